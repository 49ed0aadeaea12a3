/* upcoming_player_game_context - for every player dressed for a game: days
 * of rest, back-to-backs, home/away, games played and scoring over the
 * previous 30 days, and the points prop line. Reads only earlier dates, so
 * recomputing a date gives the same rows. */
#include "../nba.h"

static const bf_dependency deps[] = {
    /* The previous 30 days of games and box scores: declared, so a
     * corrected box score makes the dates that read it stale. */
    {"player_boxscores", "game_date", BF_REQUIRED, 0, 30},
    {"schedule", "game_date", BF_REQUIRED, 0, 30},
    {"player_props", "game_date", BF_OPTIONAL, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, player_id INTEGER, team TEXT, opponent TEXT,"
               " home INTEGER, days_rest REAL, back_to_back INTEGER, games_last_30 INTEGER,"
               " avg_points_last_30 REAL, avg_minutes_last_30 REAL, points_line REAL",
    .indexes = {"game_date, player_id"}, /* the key later processors join on */
    .insert = "INSERT INTO %s SELECT c.*, c.days_rest = 1,"
              " (SELECT count(*) FROM player_boxscores p WHERE p.player_id = c.player_id"
              "   AND p.game_date < ?1 AND p.game_date >= date(?1, '-30 days') AND p.minutes > 0),"
              " (SELECT avg(points) FROM player_boxscores p WHERE p.player_id = c.player_id"
              "   AND p.game_date < ?1 AND p.game_date >= date(?1, '-30 days') AND p.minutes > 0),"
              " (SELECT avg(minutes) FROM player_boxscores p WHERE p.player_id = c.player_id"
              "   AND p.game_date < ?1 AND p.game_date >= date(?1, '-30 days') AND p.minutes > 0),"
              " (SELECT max(line) FROM player_props pp WHERE pp.game_date = ?1"
              "   AND pp.player_id = c.player_id AND pp.market = 'points')"
              " FROM (SELECT b.game_date, b.game_id, b.player_id, b.team, b.opponent, b.home,"
              "   julianday(?1) - julianday((SELECT max(s.game_date) FROM schedule s"
              "     WHERE s.game_date < ?1 AND s.game_date >= date(?1, '-30 days')"
              "     AND (s.home_team = b.team OR s.away_team = b.team))) AS days_rest"
              "   FROM player_boxscores b WHERE b.game_date = ?1) c",
    .insert_block =
        "INSERT INTO %s SELECT c.*, c.days_rest = 1,"
        " (SELECT count(*) FROM player_boxscores p WHERE p.player_id = c.player_id"
        "   AND p.game_date < c.game_date AND p.game_date >= date(c.game_date, '-30 days')"
        "   AND p.minutes > 0),"
        " (SELECT avg(points) FROM player_boxscores p WHERE p.player_id = c.player_id"
        "   AND p.game_date < c.game_date AND p.game_date >= date(c.game_date, '-30 days')"
        "   AND p.minutes > 0),"
        " (SELECT avg(minutes) FROM player_boxscores p WHERE p.player_id = c.player_id"
        "   AND p.game_date < c.game_date AND p.game_date >= date(c.game_date, '-30 days')"
        "   AND p.minutes > 0),"
        " (SELECT max(line) FROM player_props pp WHERE pp.game_date = c.game_date"
        "   AND pp.player_id = c.player_id AND pp.market = 'points')"
        " FROM (SELECT b.game_date, b.game_id, b.player_id, b.team, b.opponent, b.home,"
        "   julianday(b.game_date) - julianday((SELECT max(s.game_date) FROM schedule s"
        "     WHERE s.game_date < b.game_date AND s.game_date >= date(b.game_date, '-30 days')"
        "     AND (s.home_team = b.team OR s.away_team = b.team))) AS days_rest"
        "   FROM player_boxscores b WHERE" SQLITE_IN_BLOCK("b.game_date") ") c",
    .expected = "SELECT count(*) FROM player_boxscores WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, game_id String, player_id Int64, team String, opponent String,"
               " home Int64, days_rest Nullable(Float64), back_to_back Nullable(Int64),"
               " games_last_30 Int64, avg_points_last_30 Nullable(Float64),"
               " avg_minutes_last_30 Nullable(Float64), points_line Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY (player_id, game_id)",
    .insert =
        "INSERT INTO %s SELECT game_date, game_id, player_id, team, opponent, home, days_rest,"
        " days_rest = 1, coalesce(games, 0), avg_points, avg_minutes, points_line"
        " FROM (SELECT * FROM (SELECT * FROM (SELECT game_date, game_id, player_id, team,"
        "       opponent, home FROM player_boxscores WHERE game_date = ?1)"
        "     ALL LEFT JOIN (SELECT team, toDate(?1) - max(s_date) AS days_rest"
        "       FROM (SELECT game_date AS s_date, home_team AS team FROM schedule UNION ALL"
        "         SELECT game_date, away_team FROM schedule)"
        "       WHERE s_date < ?1 AND s_date >= toDate(?1) - 30 GROUP BY team) USING team)"
        "   ALL LEFT JOIN (SELECT player_id, count() AS games, avg(points) AS avg_points,"
        "     avg(minutes) AS avg_minutes FROM player_boxscores"
        "     WHERE game_date < ?1 AND game_date >= toDate(?1) - 30 AND minutes > 0 GROUP BY "
        "player_id) USING player_id)"
        " ALL LEFT JOIN (SELECT player_id, max(line) AS points_line FROM player_props"
        "   WHERE game_date = ?1 AND market = 'points' GROUP BY player_id) USING player_id",
    /* Each date's own window, as upcoming_team_game_context's; the props
     * of each date of the block. */
    /* clang-format off */
    .insert_block =
        "INSERT INTO %s SELECT game_date, game_id, player_id, team, opponent, home, days_rest,"
        " days_rest = 1, coalesce(games, 0), avg_points, avg_minutes, points_line"
        " FROM (SELECT * FROM (SELECT * FROM (SELECT game_date, game_id, player_id, team,"
        "       opponent, home FROM player_boxscores WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        "     ALL LEFT JOIN (SELECT d AS game_date, team, d - max(s_date) AS days_rest"
        "       FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK("team, game_date AS s_date",
                  "(SELECT game_date, home_team AS team FROM schedule UNION ALL"
                  " SELECT game_date, away_team FROM schedule)")
        "       GROUP BY game_date, team) USING (game_date, team))"
        "   ALL LEFT JOIN (SELECT d AS game_date, player_id, count() AS games,"
        "     avg(points) AS avg_points, avg(minutes) AS avg_minutes"
        "     FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK("player_id, points, minutes", "player_boxscores")
        "     AND minutes > 0 GROUP BY game_date, player_id) USING (game_date, player_id))"
        " ALL LEFT JOIN (SELECT game_date, player_id, max(line) AS points_line FROM player_props"
        "   WHERE" CLICKHOUSE_IN_BLOCK("game_date") " AND market = 'points'"
        "   GROUP BY game_date, player_id) USING (game_date, player_id)",
    /* clang-format on */
    .expected = "SELECT count(*) FROM player_boxscores WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("upcoming_player_game_context", "rest, form and prop line of each dressed player",
              BF_NO_BOOTSTRAP)
