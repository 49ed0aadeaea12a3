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
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
    .check = "SELECT count(*) FROM %s o LEFT JOIN (SELECT game_id, team, sum(points) AS points,"
             "   sum(fga) AS fga, sum(fta) AS fta, sum(oreb) AS oreb, sum(tov) AS tov"
             "   FROM player_boxscores WHERE game_date = ?1 GROUP BY game_id, team) p"
             " ON p.game_id = o.game_id AND p.team = o.team WHERE o.game_date = ?1"
             " AND (p.points IS NOT o.points OR p.fga IS NOT o.fga OR p.fta IS NOT o.fta"
             "   OR p.oreb IS NOT o.oreb OR p.tov IS NOT o.tov)",
    .check_what = "team totals that disagree with the player box scores",
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
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
    /* The staged rows are read in a subquery, so that the join runs where
     * the statement was sent: a shard would not find player_boxscores in
     * the database its Distributed connection defaults to. */
    .check = "SELECT count(*) FROM (SELECT game_id, team, points, fga, fta, oreb, tov FROM %s"
             "   WHERE game_date = ?1)"
             " ALL LEFT JOIN (SELECT game_id, team, sum(points) AS p_points, sum(fga) AS p_fga,"
             "   sum(fta) AS p_fta, sum(oreb) AS p_oreb, sum(tov) AS p_tov FROM player_boxscores"
             "   WHERE game_date = ?1 GROUP BY game_id, team) USING (game_id, team)"
             " WHERE p_points IS NULL OR p_points != points OR p_fga != fga OR p_fta != fta"
             "   OR p_oreb != oreb OR p_tov != tov",
    .check_what = "team totals that disagree with the player box scores",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("team_offense_game_summary", "team totals, possessions and offensive rating per game",
              BF_NO_BOOTSTRAP)
