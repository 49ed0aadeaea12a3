/* upcoming_team_game_context - for both teams of every scheduled game:
 * days of rest, back-to-backs, home/away, games in the previous week and
 * points per game over the previous 30 days. */
#include "../nba.h"

static const bf_dependency deps[] = {
    /* The previous 30 days (games in the last week, rest, points). */
    {"schedule", "game_date", BF_REQUIRED, 0, 30},
    {"team_boxscores", "game_date", BF_REQUIRED, 0, 30},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, team TEXT, opponent TEXT, home INTEGER,"
               " days_rest REAL, back_to_back INTEGER, games_last_7 INTEGER,"
               " points_per_game_last_30 REAL",
    .indexes = {"team, game_date"},
    .insert =
        "INSERT INTO %s SELECT g.*, g.days_rest = 1,"
        " (SELECT count(*) FROM schedule s WHERE s.game_date < ?1"
        "   AND s.game_date >= date(?1, '-7 days')"
        "   AND (s.home_team = g.team OR s.away_team = g.team)),"
        " (SELECT avg(points) FROM team_boxscores p WHERE p.team = g.team"
        "   AND p.game_date < ?1 AND p.game_date >= date(?1, '-30 days'))"
        " FROM (SELECT t.*, julianday(?1) - julianday((SELECT max(s.game_date) FROM schedule s"
        "     WHERE s.game_date < ?1 AND s.game_date >= date(?1, '-30 days')"
        "     AND (s.home_team = t.team OR s.away_team = t.team))) AS days_rest"
        "   FROM (SELECT game_date, game_id, home_team AS team, away_team AS opponent, 1 AS home"
        "     FROM schedule WHERE game_date = ?1 UNION ALL"
        "     SELECT game_date, game_id, away_team, home_team, 0"
        "     FROM schedule WHERE game_date = ?1) t) g",
    .insert_block =
        "INSERT INTO %s SELECT g.*, g.days_rest = 1,"
        " (SELECT count(*) FROM schedule s WHERE s.game_date < g.game_date"
        "   AND s.game_date >= date(g.game_date, '-7 days')"
        "   AND (s.home_team = g.team OR s.away_team = g.team)),"
        " (SELECT avg(points) FROM team_boxscores p WHERE p.team = g.team"
        "   AND p.game_date < g.game_date AND p.game_date >= date(g.game_date, '-30 days'))"
        " FROM (SELECT t.*, julianday(t.game_date) - julianday((SELECT max(s.game_date)"
        "     FROM schedule s WHERE s.game_date < t.game_date"
        "     AND s.game_date >= date(t.game_date, '-30 days')"
        "     AND (s.home_team = t.team OR s.away_team = t.team))) AS days_rest"
        "   FROM (SELECT game_date, game_id, home_team AS team, away_team AS opponent, 1 AS home"
        "     FROM schedule WHERE" SQLITE_IN_BLOCK(
            "game_date") " UNION ALL"
                         "     SELECT game_date, game_id, away_team, home_team, 0"
                         "     FROM schedule WHERE" SQLITE_IN_BLOCK("game_date") ") t) g",
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, game_id String, team String, opponent String, home Int64,"
               " days_rest Nullable(Float64), back_to_back Nullable(Int64), games_last_7 Int64,"
               " points_per_game_last_30 Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY (team, game_id)",
    .insert = "INSERT INTO %s SELECT game_date, game_id, team, opponent, home, days_rest,"
              " days_rest = 1, coalesce(games_last_7, 0), ppg"
              " FROM (SELECT * FROM (SELECT game_date, game_id, home_team AS team,"
              "     away_team AS opponent, 1 AS home FROM schedule WHERE game_date = ?1 UNION ALL"
              "     SELECT game_date, game_id, away_team, home_team, 0 FROM schedule"
              "     WHERE game_date = ?1)"
              "   ALL LEFT JOIN (SELECT team, toDate(?1) - max(s_date) AS days_rest,"
              "     countIf(s_date >= toDate(?1) - 7) AS games_last_7"
              "     FROM (SELECT game_date AS s_date, home_team AS team FROM schedule UNION ALL"
              "       SELECT game_date, away_team FROM schedule)"
              "     WHERE s_date < ?1 AND s_date >= toDate(?1) - 30 GROUP BY team) USING team)"
              " ALL LEFT JOIN (SELECT team, avg(points) AS ppg FROM team_boxscores"
              "   WHERE game_date < ?1 AND game_date >= toDate(?1) - 30 GROUP BY team) USING team",
    /* Each date's own window: the schedule's and box scores' rows of the
     * 30 days before it, grouped by the date they count for. */
    /* clang-format off */
    .insert_block =
        "INSERT INTO %s SELECT game_date, game_id, team, opponent, home, days_rest,"
        " days_rest = 1, coalesce(games_last_7, 0), ppg"
        " FROM (SELECT * FROM (SELECT game_date, game_id, home_team AS team,"
        "     away_team AS opponent, 1 AS home FROM schedule WHERE" CLICKHOUSE_IN_BLOCK("game_date")
        "     UNION ALL SELECT game_date, game_id, away_team, home_team, 0 FROM schedule"
        "     WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        "   ALL LEFT JOIN (SELECT d AS game_date, team, d - max(s_date) AS days_rest,"
        "     countIf(s_date >= d - 7) AS games_last_7"
        "     FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK("team, game_date AS s_date",
                "(SELECT game_date, home_team AS team FROM schedule UNION ALL"
                " SELECT game_date, away_team FROM schedule)")
        "     GROUP BY game_date, team) USING (game_date, team))"
        " ALL LEFT JOIN (SELECT d AS game_date, team, avg(points) AS ppg"
        "   FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK("team, points", "team_boxscores")
        "   GROUP BY game_date, team) USING (game_date, team)",
    /* clang-format on */
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("upcoming_team_game_context", "rest, schedule density and form of each team",
              BF_NO_BOOTSTRAP)
