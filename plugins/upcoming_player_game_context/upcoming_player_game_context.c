/* upcoming_player_game_context - for every player dressed for a game: days
 * of rest, back-to-backs, home/away, games played and scoring over the
 * previous 30 days, and the points prop line. Reads only earlier dates, so
 * recomputing a date gives the same rows. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_boxscores", "game_date", BF_REQUIRED, 0, 0},
    {"schedule", "game_date", BF_REQUIRED, 0, 0},
    {"player_props", "game_date", BF_OPTIONAL, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, player_id INTEGER, team TEXT, opponent TEXT,"
               " home INTEGER, days_rest REAL, back_to_back INTEGER, games_last_30 INTEGER,"
               " avg_points_last_30 REAL, avg_minutes_last_30 REAL, points_line REAL",
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
    .expected = "SELECT count(*) FROM player_boxscores WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}};

NBA_PROCESSOR("upcoming_player_game_context", "rest, form and prop line of each dressed player",
              BF_NO_BOOTSTRAP)
