-- team_defense_game_summary - a team's defense is its opponent's offense:
-- what the opponent scored and shot, plus the team's own defensive boards,
-- steals and blocks. Two rows per scheduled game. The model-file form of
-- plugins/team_defense_game_summary (see backfill-model(5)). Its block
-- sections write the block's own dates ({{dates}}), never a date between
-- them that the run did not select.
--
-- description: opponent scoring and shooting allowed per game
-- date_column: game_date
-- bootstrap_days: none
-- depends: team_offense_game_summary required
-- depends: schedule required
-- columns.sqlite: game_date TEXT, game_id TEXT, team TEXT, opponent TEXT, opp_points INTEGER, opp_fgm INTEGER, opp_fga INTEGER, opp_fg3m INTEGER, opp_fg3a INTEGER, opp_fta INTEGER, opp_tov INTEGER, opp_oreb INTEGER, dreb INTEGER, stl INTEGER, blk INTEGER, opp_possessions REAL, def_rating REAL
-- index: team, game_date
-- columns.clickhouse: game_date Date, game_id String, team String, opponent String, opp_points Int64, opp_fgm Int64, opp_fga Int64, opp_fg3m Int64, opp_fg3a Int64, opp_fta Int64, opp_tov Int64, opp_oreb Int64, dreb Int64, stl Int64, blk Int64, opp_possessions Float64, def_rating Nullable(Float64)
-- table_options.clickhouse: ENGINE = MergeTree PARTITION BY game_date ORDER BY (team, game_id)

-- @process.sqlite
INSERT INTO {{table}}
SELECT o.game_date, o.game_id, o.opponent, o.team, o.points, o.fgm, o.fga, o.fg3m, o.fg3a,
       o.fta, o.tov, o.oreb, d.dreb, d.stl, d.blk, o.possessions, o.off_rating
  FROM team_offense_game_summary o
  JOIN team_offense_game_summary d
    ON d.game_date = {{date}} AND d.game_id = o.game_id AND d.team = o.opponent
 WHERE o.game_date = {{date}};

-- @process_block.sqlite
INSERT INTO {{table}}
SELECT o.game_date, o.game_id, o.opponent, o.team, o.points, o.fgm, o.fga, o.fg3m, o.fg3a,
       o.fta, o.tov, o.oreb, d.dreb, d.stl, d.blk, o.possessions, o.off_rating
  FROM team_offense_game_summary o
  JOIN team_offense_game_summary d
    ON d.game_date = o.game_date AND d.game_id = o.game_id AND d.team = o.opponent
 WHERE o.game_date IN {{dates}}

-- @process.clickhouse
INSERT INTO {{table}}
SELECT game_date, game_id, opponent, team, points, fgm, fga, fg3m, fg3a, fta, tov, oreb,
       d_dreb, d_stl, d_blk, possessions, off_rating
  FROM team_offense_game_summary
  ALL INNER JOIN (SELECT game_id, team AS opponent, dreb AS d_dreb, stl AS d_stl, blk AS d_blk
                    FROM team_offense_game_summary WHERE game_date = {{date}})
 USING (game_id, opponent)
 WHERE game_date = {{date}}

-- @process_block.clickhouse
INSERT INTO {{table}}
SELECT game_date, game_id, opponent, team, points, fgm, fga, fg3m, fg3a, fta, tov, oreb,
       d_dreb, d_stl, d_blk, possessions, off_rating
  FROM team_offense_game_summary
  ALL INNER JOIN (SELECT game_date, game_id, team AS opponent, dreb AS d_dreb, stl AS d_stl,
                         blk AS d_blk
                    FROM team_offense_game_summary
                   WHERE game_date IN {{dates}})
 USING (game_date, game_id, opponent)
 WHERE game_date IN {{dates}}

-- @expected
SELECT 2 * count(*) FROM schedule WHERE game_date = {{date}}

-- @expected_block
SELECT game_date, 2 * count(*) FROM schedule
 WHERE game_date IN {{dates}}
 GROUP BY game_date
