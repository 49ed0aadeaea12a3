/* team_defense_game_summary - a team's defense is its opponent's offense:
 * what the opponent scored and shot, plus the team's own defensive boards,
 * steals and blocks. Two rows per scheduled game. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"team_offense_game_summary", "game_date", BF_REQUIRED, 0, 0},
    {"schedule", "game_date", BF_REQUIRED, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, game_id TEXT, team TEXT, opponent TEXT, opp_points INTEGER,"
               " opp_fgm INTEGER, opp_fga INTEGER, opp_fg3m INTEGER, opp_fg3a INTEGER,"
               " opp_fta INTEGER, opp_tov INTEGER, opp_oreb INTEGER, dreb INTEGER, stl INTEGER,"
               " blk INTEGER, opp_possessions REAL, def_rating REAL",
    .indexes = {"team, game_date"},
    .insert = "INSERT INTO %s SELECT o.game_date, o.game_id, o.opponent, o.team, o.points, o.fgm,"
              " o.fga, o.fg3m, o.fg3a, o.fta, o.tov, o.oreb, d.dreb, d.stl, d.blk, o.possessions,"
              " o.off_rating FROM team_offense_game_summary o"
              " JOIN team_offense_game_summary d ON d.game_date = ?1 AND d.game_id = o.game_id"
              " AND d.team = o.opponent WHERE o.game_date = ?1",
    .insert_block =
        "INSERT INTO %s SELECT o.game_date, o.game_id, o.opponent, o.team, o.points, o.fgm,"
        " o.fga, o.fg3m, o.fg3a, o.fta, o.tov, o.oreb, d.dreb, d.stl, d.blk, o.possessions,"
        " o.off_rating FROM team_offense_game_summary o"
        " JOIN team_offense_game_summary d ON d.game_date = o.game_date AND d.game_id = o.game_id"
        " AND d.team = o.opponent WHERE" SQLITE_IN_BLOCK("o.game_date"),
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, game_id String, team String, opponent String, opp_points Int64,"
               " opp_fgm Int64, opp_fga Int64, opp_fg3m Int64, opp_fg3a Int64, opp_fta Int64,"
               " opp_tov Int64, opp_oreb Int64, dreb Int64, stl Int64, blk Int64,"
               " opp_possessions Float64, def_rating Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY (team, game_id)",
    .insert = "INSERT INTO %s SELECT game_date, game_id, opponent, team, points, fgm, fga, fg3m,"
              " fg3a, fta, tov, oreb, d_dreb, d_stl, d_blk, possessions, off_rating"
              " FROM team_offense_game_summary ALL INNER JOIN (SELECT game_id, team AS opponent,"
              "   dreb AS d_dreb, stl AS d_stl, blk AS d_blk FROM team_offense_game_summary"
              "   WHERE game_date = ?1) USING (game_id, opponent) WHERE game_date = ?1",
    /* clang-format off */
    .insert_block =
        "INSERT INTO %s SELECT game_date, game_id, opponent, team, points, fgm, fga, fg3m,"
        " fg3a, fta, tov, oreb, d_dreb, d_stl, d_blk, possessions, off_rating"
        " FROM team_offense_game_summary ALL INNER JOIN (SELECT game_date, game_id,"
        "   team AS opponent, dreb AS d_dreb, stl AS d_stl, blk AS d_blk"
        "   FROM team_offense_game_summary WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        " USING (game_date, game_id, opponent) WHERE" CLICKHOUSE_IN_BLOCK("game_date"),
    /* clang-format on */
    .expected = "SELECT 2 * count(*) FROM schedule WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("team_defense_game_summary", "opponent scoring and shooting allowed per game",
              BF_NO_BOOTSTRAP)
