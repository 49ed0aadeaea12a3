/* team_offense_game_summary - each team's line from the team box-score
 * feed, with its possessions (FGA + 0.44 FTA - OREB + TOV) and offensive
 * rating. Two rows per scheduled game: a team whose line has not arrived is
 * an incomplete date, not a smaller one. The quality check reconciles each
 * line with the player box scores of the same team and game. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"team_boxscores", "game_date", BF_REQUIRED, 0, 0},
    {"player_boxscores", "game_date", BF_REQUIRED, 0, 0},
    {"schedule", "game_date", BF_REQUIRED, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, team TEXT, opponent TEXT, home INTEGER,"
               " points INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER,"
               " ftm INTEGER, fta INTEGER, oreb INTEGER, dreb INTEGER, ast INTEGER, stl INTEGER,"
               " blk INTEGER, tov INTEGER, minutes REAL, possessions REAL, off_rating REAL",
    .indexes = {"team, game_date"},
    .insert = "INSERT INTO %s SELECT t.*, 100.0 * t.points / NULLIF(t.possessions, 0)"
              " FROM (SELECT game_date, game_id, team, opponent, home, points, fgm, fga, fg3m,"
              "   fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, minutes,"
              "   fga + 0.44 * fta - oreb + tov AS possessions"
              "   FROM team_boxscores WHERE game_date = ?1) t",
    .insert_block = "INSERT INTO %s SELECT t.*, 100.0 * t.points / NULLIF(t.possessions, 0)"
                    " FROM (SELECT game_date, game_id, team, opponent, home, points, fgm, fga,"
                    "   fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, minutes,"
                    "   fga + 0.44 * fta - oreb + tov AS possessions"
                    "   FROM team_boxscores WHERE" SQLITE_IN_BLOCK("game_date") ") t",
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, game_id String, team String, opponent String, home Int64,"
               " points Int64, fgm Int64, fga Int64, fg3m Int64, fg3a Int64, ftm Int64, fta Int64,"
               " oreb Int64, dreb Int64, ast Int64, stl Int64, blk Int64, tov Int64,"
               " minutes Float64, possessions Float64, off_rating Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY (team, game_id)",
    .insert = "INSERT INTO %s SELECT *, 100.0 * points / nullIf(possessions, 0)"
              " FROM (SELECT game_date, game_id, team, opponent, home, points, fgm, fga, fg3m,"
              "   fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, minutes,"
              "   fga + 0.44 * fta - oreb + tov AS possessions"
              "   FROM team_boxscores WHERE game_date = ?1)",
    .insert_block = "INSERT INTO %s SELECT *, 100.0 * points / nullIf(possessions, 0)"
                    " FROM (SELECT game_date, game_id, team, opponent, home, points, fgm, fga,"
                    "   fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, minutes,"
                    "   fga + 0.44 * fta - oreb + tov AS possessions"
                    "   FROM team_boxscores WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")",
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

/* What the kinds cannot say: each team line against the sum of its
 * players' box scores, for a whole block of dates in one statement (a row
 * per failing date), in SQL every dialect reads: coalesce, not IS NOT;
 * the right side's columns named apart (ClickHouse hides a right column
 * named like a left one); the checked rows in a subquery, so that on a
 * cluster the join runs where the statement was sent (a shard would not
 * find player_boxscores in the database its Distributed connection
 * defaults to). */
static const bf_check checks[] = {
    {.name = "team_totals_match_players",
     .kind = BF_CHECK_SQL_BY_DATE,
     .sql = "SELECT o_date, count(*) FROM (SELECT game_date AS o_date, game_id, team, points,"
            "   fga, fta, oreb, tov FROM %s WHERE game_date BETWEEN ?1 AND ?2) o"
            " LEFT JOIN (SELECT game_id AS p_game_id, team AS p_team, sum(points) AS p_points,"
            "   sum(fga) AS p_fga, sum(fta) AS p_fta, sum(oreb) AS p_oreb, sum(tov) AS p_tov"
            "   FROM player_boxscores WHERE game_date BETWEEN ?1 AND ?2 GROUP BY game_id, team) p"
            " ON p_game_id = o.game_id AND p_team = o.team"
            " WHERE coalesce(p_points, -1) <> o.points OR coalesce(p_fga, -1) <> o.fga"
            "   OR coalesce(p_fta, -1) <> o.fta OR coalesce(p_oreb, -1) <> o.oreb"
            "   OR coalesce(p_tov, -1) <> o.tov GROUP BY o_date"},
    {0},
};

NBA_CHECKED_PROCESSOR("team_offense_game_summary",
                      "team totals, possessions and offensive rating per game", BF_NO_BOOTSTRAP,
                      checks)
