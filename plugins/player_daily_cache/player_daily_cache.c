/* player_daily_cache - each playing player's form over the previous 30
 * days (points, minutes, usage) with his team's pace, precomputed so the
 * feature store reads one row instead of a window. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 30},
    {"team_offense_game_summary", "game_date", BF_REQUIRED, 0, 30},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, games_last_30 INTEGER,"
               " avg_points_last_30 REAL, avg_minutes_last_30 REAL, avg_usage_last_30 REAL,"
               " team_pace_last_30 REAL",
    .indexes = {"game_date, player_id"}, /* the key later processors join on */
    .insert = "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, count(w.player_id),"
              " avg(w.points), avg(w.minutes), avg(w.usage_rate),"
              " (SELECT avg(t.possessions) FROM team_offense_game_summary t WHERE t.team = p.team"
              "   AND t.game_date < ?1 AND t.game_date >= date(?1, '-30 "
              "days'))" SQLITE_PLAYER_LAST_30_DAYS,
    .insert_block =
        "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, count(w.player_id),"
        " avg(w.points), avg(w.minutes), avg(w.usage_rate),"
        " (SELECT avg(t.possessions) FROM team_offense_game_summary t WHERE t.team = p.team"
        "   AND t.game_date < p.game_date AND t.game_date >= date(p.game_date, '-30 "
        "days'))" SQLITE_PLAYER_LAST_30_DAYS_BLOCK,
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, player_id Int64, team String, games_last_30 Int64,"
               " avg_points_last_30 Nullable(Float64), avg_minutes_last_30 Nullable(Float64),"
               " avg_usage_last_30 Nullable(Float64), team_pace_last_30 Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY player_id",
    .insert = "INSERT INTO %s SELECT game_date, player_id, team, coalesce(games, 0), avg_points,"
              " avg_minutes, avg_usage, pace"
              " FROM (SELECT game_date, player_id, team, games, avg_points, avg_minutes, avg_usage"
              "   FROM player_game_summary ALL LEFT JOIN (SELECT player_id, count() AS games,"
              "     avg(points) AS avg_points, avg(minutes) AS avg_minutes,"
              "     avg(usage_rate) AS avg_usage FROM player_game_summary"
              "     WHERE game_date < ?1 AND game_date >= toDate(?1) - 30 GROUP BY player_id) "
              "USING player_id WHERE game_date = ?1)"
              " ALL LEFT JOIN (SELECT team, avg(possessions) AS pace"
              "   FROM team_offense_game_summary WHERE game_date < ?1 AND game_date >= toDate(?1) "
              "- 30 GROUP BY team) USING team",
    /* Each date's own window: the rows of the 30 days before it, grouped
     * by the date they count for. */
    .insert_block =
        "INSERT INTO %s SELECT game_date, player_id, team, coalesce(games, 0), avg_points,"
        " avg_minutes, avg_usage, pace"
        " FROM (SELECT game_date, player_id, team, games, avg_points, avg_minutes, avg_usage"
        "   FROM player_game_summary ALL LEFT JOIN (SELECT d AS game_date, player_id,"
        "     count() AS games, avg(points) AS avg_points, avg(minutes) AS avg_minutes,"
        "     avg(usage_rate) AS avg_usage FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK(
            "player_id, points, minutes, usage_rate",
            "player_game_summary") "     GROUP BY game_date, player_id) USING (game_date, "
                                   "player_id)"
                                   "   WHERE" CLICKHOUSE_IN_BLOCK(
                                       "game_date") ")"
                                                    " ALL LEFT JOIN (SELECT d AS game_date, team, "
                                                    "avg(possessions) AS pace"
                                                    "   FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK(
                                                        "team, possessions",
                                                        "team_offense_game_summary") "   GROUP BY "
                                                                                     "game_date, "
                                                                                     "team) USING "
                                                                                     "(game_date, "
                                                                                     "team)",
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("player_daily_cache", "30-day player form and team pace, precomputed", 14)
