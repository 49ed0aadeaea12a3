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
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

/* What the kinds cannot say: each team line against the sum of its
 * players' box scores (coalesce, not IS NOT, so every dialect reads it). */
static const bf_check checks[] = {
    {.name = "team_totals_match_players",
     .kind = BF_CHECK_SQL,
     .sql = "SELECT count(*) FROM %s o LEFT JOIN (SELECT game_id, team, sum(points) AS points,"
            "   sum(fga) AS fga, sum(fta) AS fta, sum(oreb) AS oreb, sum(tov) AS tov"
            "   FROM player_boxscores WHERE game_date = ?1 GROUP BY game_id, team) p"
            " ON p.game_id = o.game_id AND p.team = o.team WHERE o.game_date = ?1"
            " AND (coalesce(p.points, -1) <> o.points OR coalesce(p.fga, -1) <> o.fga"
            "   OR coalesce(p.fta, -1) <> o.fta OR coalesce(p.oreb, -1) <> o.oreb"
            "   OR coalesce(p.tov, -1) <> o.tov)"},
    {0},
};

NBA_CHECKED_PROCESSOR("team_offense_game_summary",
                      "team totals, possessions and offensive rating per game", BF_NO_BOOTSTRAP,
                      checks)
