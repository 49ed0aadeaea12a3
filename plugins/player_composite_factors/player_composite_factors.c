/* player_composite_factors - adjustment factors for each player who played
 * on the date: fatigue from his rest, the rest advantage over the opponent,
 * usage relative to a league-average 20 %, and the pace both teams score
 * at. A NULL usage (a missing team row upstream) would poison the composite,
 * so the declared check rejects any NULL composite instead. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 0},
    {"upcoming_player_game_context", "game_date", BF_REQUIRED, 0, 0},
    {"upcoming_team_game_context", "game_date", BF_REQUIRED, 0, 0},
};

/* The factors of a player's game on SQLite, from the joins that follow:
 * one date (insert) or a block (insert_block). */
#define SQLITE_FACTORS                                                                             \
    "INSERT INTO %s SELECT f.*, f.fatigue_factor + 0.25 * f.rest_advantage"                        \
    "   + f.usage_factor + f.pace_factor"                                                          \
    " FROM (SELECT p.game_date, p.player_id, p.team, p.opponent,"                                  \
    "   CASE WHEN u.back_to_back THEN -1.0 WHEN u.days_rest >= 3 THEN 0.5 ELSE 0.0 END"            \
    "     AS fatigue_factor,"                                                                      \
    "   coalesce(tt.days_rest, 3) - coalesce(ot.days_rest, 3) AS rest_advantage,"                  \
    "   (p.usage_rate - 20.0) / 10.0 AS usage_factor,"                                             \
    "   (coalesce(tt.points_per_game_last_30, 110) + coalesce(ot.points_per_game_last_30, 110)"    \
    "     - 220.0) / 20.0 AS pace_factor"                                                          \
    "   FROM player_game_summary p"

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, opponent TEXT, fatigue_factor REAL,"
               " rest_advantage REAL, usage_factor REAL, pace_factor REAL, composite REAL",
    .indexes = {"game_date, player_id"}, /* the key later processors join on */
    .insert = SQLITE_FACTORS
    "   JOIN upcoming_player_game_context u ON u.game_date = ?1 AND u.player_id = p.player_id"
    "   JOIN upcoming_team_game_context tt ON tt.game_date = ?1 AND tt.team = p.team"
    "   JOIN upcoming_team_game_context ot ON ot.game_date = ?1 AND ot.team = p.opponent"
    "   WHERE p.game_date = ?1) f",
    .insert_block = SQLITE_FACTORS
    "   JOIN upcoming_player_game_context u ON u.game_date = p.game_date"
    "     AND u.player_id = p.player_id"
    "   JOIN upcoming_team_game_context tt ON tt.game_date = p.game_date AND tt.team = p.team"
    "   JOIN upcoming_team_game_context ot ON ot.game_date = p.game_date"
    "     AND ot.team = p.opponent"
    /* On u, the table the plan starts from: on p, each row of u would
     * look p up once per date of the block. */
    "   WHERE" SQLITE_IN_BLOCK("u.game_date") ") f",
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

/* The factors from the joined inputs, one date at a time or a block: the
 * two ClickHouse forms differ only in how they pick their dates. */
#define CLICKHOUSE_FACTORS                                                                         \
    "INSERT INTO %s SELECT *, fatigue_factor + 0.25 * rest_advantage + usage_factor"               \
    "   + pace_factor"                                                                             \
    " FROM (SELECT game_date, player_id, team, opponent,"                                          \
    "   multiIf(coalesce(u_b2b, 0) = 1, -1.0, coalesce(u_rest, 0) >= 3, 0.5, 0.0)"                 \
    "     AS fatigue_factor,"                                                                      \
    "   coalesce(t_rest, 3) - coalesce(o_rest, 3) AS rest_advantage,"                              \
    "   (usage_rate - 20.0) / 10.0 AS usage_factor,"                                               \
    "   (coalesce(t_ppg, 110) + coalesce(o_ppg, 110) - 220.0) / 20.0 AS pace_factor"               \
    "   FROM (SELECT * FROM (SELECT * FROM (SELECT game_date, player_id, team, opponent,"

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, player_id Int64, team String, opponent String,"
               " fatigue_factor Float64, rest_advantage Float64, usage_factor Nullable(Float64),"
               " pace_factor Float64, composite Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY player_id",
    .insert = CLICKHOUSE_FACTORS
    "         usage_rate FROM player_game_summary WHERE game_date = ?1)"
    "       ALL INNER JOIN (SELECT player_id, back_to_back AS u_b2b, days_rest AS u_rest"
    "         FROM upcoming_player_game_context WHERE game_date = ?1) USING player_id)"
    "     ALL INNER JOIN (SELECT team, days_rest AS t_rest,"
    "       points_per_game_last_30 AS t_ppg FROM upcoming_team_game_context"
    "       WHERE game_date = ?1) USING team)"
    "   ALL INNER JOIN (SELECT team AS opponent, days_rest AS o_rest,"
    "     points_per_game_last_30 AS o_ppg FROM upcoming_team_game_context"
    "     WHERE game_date = ?1) USING opponent)",
    /* clang-format off */
    .insert_block =
        CLICKHOUSE_FACTORS
        "         usage_rate FROM player_game_summary WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        "       ALL INNER JOIN (SELECT game_date, player_id, back_to_back AS u_b2b,"
        "         days_rest AS u_rest FROM upcoming_player_game_context"
        "         WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, player_id))"
        "     ALL INNER JOIN (SELECT game_date, team, days_rest AS t_rest,"
        "       points_per_game_last_30 AS t_ppg FROM upcoming_team_game_context"
        "       WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, team))"
        "   ALL INNER JOIN (SELECT game_date, team AS opponent, days_rest AS o_rest,"
        "     points_per_game_last_30 AS o_ppg FROM upcoming_team_game_context"
        "     WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, opponent))",
    /* clang-format on */
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

static const bf_check checks[] = {
    {.name = "composite_present", .kind = BF_CHECK_NOT_NULL, .column = "composite"},
    {0},
};

NBA_CHECKED_PROCESSOR("player_composite_factors", "fatigue, rest, usage and pace adjustments", 14,
                      checks)
