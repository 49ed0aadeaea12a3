/* ml_feature_store - one feature row per player-game, joined from the four
 * other Phase 4 tables: form, shot profile, composite factors and the
 * opponent's defensive zone profile. A player missing from any of them is
 * a missing feature row, and so an incomplete date. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 0},
    {"player_daily_cache", "game_date", BF_REQUIRED, 0, 0},
    {"player_shot_zone_analysis", "game_date", BF_REQUIRED, 0, 0},
    {"player_composite_factors", "game_date", BF_REQUIRED, 0, 0},
    {"team_defense_zone_analysis", "game_date", BF_REQUIRED, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, opponent TEXT,"
               " points_last_30 REAL, minutes_last_30 REAL, usage_last_30 REAL, paint_share REAL,"
               " three_share REAL, three_pct REAL, composite REAL, opp_paint_fg_pct REAL,"
               " opp_three_fg_pct REAL, team_pace REAL",
    .insert = "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, p.opponent,"
              " d.avg_points_last_30, d.avg_minutes_last_30, d.avg_usage_last_30, s.paint_share,"
              " s.three_share, s.three_pct, c.composite, z.opp_paint_fg_pct, z.opp_three_fg_pct,"
              " d.team_pace_last_30 FROM player_game_summary p"
              " JOIN player_daily_cache d ON d.game_date = ?1 AND d.player_id = p.player_id"
              " JOIN player_shot_zone_analysis s ON s.game_date = ?1 AND s.player_id = p.player_id"
              " JOIN player_composite_factors c ON c.game_date = ?1 AND c.player_id = p.player_id"
              " JOIN team_defense_zone_analysis z ON z.game_date = ?1 AND z.team = p.opponent"
              " WHERE p.game_date = ?1",
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

NBA_PROCESSOR("ml_feature_store", "one model feature row per player-game", 14)
