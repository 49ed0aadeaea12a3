/* team_offense_game_summary - each team's box-score totals per game, its
 * possessions (FGA + 0.44 FTA - OREB + TOV) and offensive rating. Two rows
 * per scheduled game: a team missing from the box scores is an incomplete
 * date, not a smaller one. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_boxscores", "game_date", BF_REQUIRED, 0},
    {"schedule", "game_date", BF_REQUIRED, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, team TEXT, opponent TEXT, home INTEGER,"
               " points INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER,"
               " ftm INTEGER, fta INTEGER, oreb INTEGER, dreb INTEGER, ast INTEGER, stl INTEGER,"
               " blk INTEGER, tov INTEGER, minutes REAL, possessions REAL, off_rating REAL",
    .indexes = {"team, game_date"},
    .insert = "INSERT INTO %s SELECT game_date, game_id, team, opponent, max(home), sum(points),"
              " sum(fgm), sum(fga), sum(fg3m), sum(fg3a), sum(ftm), sum(fta), sum(oreb),"
              " sum(dreb), sum(ast), sum(stl), sum(blk), sum(tov), sum(minutes),"
              " sum(fga) + 0.44 * sum(fta) - sum(oreb) + sum(tov),"
              " 100.0 * sum(points) / NULLIF(sum(fga) + 0.44 * sum(fta) - sum(oreb) + sum(tov), 0)"
              " FROM player_boxscores WHERE game_date = ?1 GROUP BY game_id, team, opponent",
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

NBA_PROCESSOR("team_offense_game_summary", "team totals, possessions and offensive rating per game",
              0)
