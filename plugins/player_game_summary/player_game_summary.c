/* player_game_summary - one row per player who played (minutes > 0):
 * scoring, shooting efficiency, shot zones and usage rate. Usage needs the
 * team's totals; without a team_offense_game_summary row it is NULL. That
 * dependency is optional (the processor still runs without the table), but
 * a date whose team rows are missing or partial is not worth publishing:
 * the declared check refuses more than 5 % NULL usage among the players
 * who played, so such a date fails and is retried until the feed is in. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_boxscores", "game_date", BF_REQUIRED, 0, 0},
    {"team_offense_game_summary", "game_date", BF_OPTIONAL, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, player_id INTEGER, player_name TEXT, team TEXT,"
               " opponent TEXT, minutes REAL, points INTEGER, rebounds INTEGER, assists INTEGER,"
               " fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER,"
               " tov INTEGER, paint_fga INTEGER, paint_fgm INTEGER, mid_fga INTEGER,"
               " mid_fgm INTEGER, three_fga INTEGER, three_fgm INTEGER, ts_pct REAL,"
               " efg_pct REAL, usage_rate REAL",
    .indexes = {"player_id, game_date"},
    .insert = "INSERT INTO %s SELECT b.game_date, b.game_id, b.player_id, b.player_name, b.team,"
              " b.opponent, b.minutes, b.points, b.oreb + b.dreb, b.ast, b.fgm, b.fga, b.fg3m,"
              " b.fg3a, b.ftm, b.fta, b.tov, b.paint_fga, b.paint_fgm, b.mid_fga, b.mid_fgm,"
              " b.three_fga, b.three_fgm, b.points / NULLIF(2.0 * (b.fga + 0.44 * b.fta), 0),"
              " (b.fgm + 0.5 * b.fg3m) / NULLIF(1.0 * b.fga, 0),"
              " 100.0 * (b.fga + 0.44 * b.fta + b.tov) * (t.minutes / 5.0)"
              "   / NULLIF(b.minutes * (t.fga + 0.44 * t.fta + t.tov), 0)"
              " FROM player_boxscores b LEFT JOIN team_offense_game_summary t"
              "   ON t.game_date = ?1 AND t.game_id = b.game_id AND t.team = b.team"
              " WHERE b.game_date = ?1 AND b.minutes > 0",
    .expected = "SELECT count(*) FROM player_boxscores WHERE game_date = ?1 AND minutes > 0",
    .optional_table = "team_offense_game_summary",
    .optional_empty = "WITH team_offense_game_summary (game_date, game_id, team, minutes, fga, fta,"
                      " tov) AS (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0) ",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

static const bf_check checks[] = {
    {.name = "usage_rate_coverage",
     .kind = BF_CHECK_NOT_NULL,
     .column = "usage_rate",
     .filter = "minutes > 0",
     .max_null_share = 0.05},
    {.name = "one_row_per_player", .kind = BF_CHECK_UNIQUE, .column = "game_id, player_id"},
    {0},
};

NBA_CHECKED_PROCESSOR("player_game_summary", "per-player box score, efficiency and usage rate",
                      BF_NO_BOOTSTRAP, checks)
