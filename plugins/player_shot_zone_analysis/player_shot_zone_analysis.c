/* player_shot_zone_analysis - for each player who played on the date, the
 * share and accuracy of his shots by zone (paint, mid-range, three) over
 * the previous 30 days. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 30},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, games INTEGER, fga INTEGER,"
               " paint_share REAL, mid_share REAL, three_share REAL, paint_pct REAL,"
               " mid_pct REAL, three_pct REAL",
    .insert = "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, count(w.player_id),"
              " coalesce(sum(w.fga), 0), 1.0 * sum(w.paint_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.mid_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.three_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.paint_fgm) / NULLIF(sum(w.paint_fga), 0),"
              " 1.0 * sum(w.mid_fgm) / NULLIF(sum(w.mid_fga), 0),"
              " 1.0 * sum(w.three_fgm) / NULLIF(sum(w.three_fga), 0)" SQLITE_PLAYER_LAST_30_DAYS,
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

NBA_PROCESSOR("player_shot_zone_analysis", "shot-zone shares and accuracy, last 30 days", 14)
