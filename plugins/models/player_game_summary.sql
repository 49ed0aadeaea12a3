-- player_game_summary - one row per player who played (minutes > 0):
-- scoring, shooting efficiency, shot zones and usage rate. Usage needs the
-- team's totals; without a team_offense_game_summary row it is NULL. That
-- dependency is optional: while its table does not exist at all, the
-- @fallback statement runs instead, with usage NULL. The declared check
-- refuses more than 5 % NULL usage among the players who played, so such a
-- date fails and is retried until the team feed is in. Its @process_block
-- sections compute a block of dates in one statement (while the team table
-- is missing, a block runs @fallback date by date).
-- The model-file form of plugins/player_game_summary.
--
-- description: per-player box score, efficiency and usage rate
-- date_column: game_date
-- bootstrap_days: none
-- depends: player_boxscores required
-- depends: team_offense_game_summary optional
-- check: usage_rate_coverage not_null column=usage_rate filter="minutes > 0" max_null_share=0.05
-- check: one_row_per_player unique column="game_id, player_id"
-- columns.sqlite: game_date TEXT, game_id TEXT, player_id INTEGER, player_name TEXT, team TEXT, opponent TEXT, minutes REAL, points INTEGER, rebounds INTEGER, assists INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER, tov INTEGER, paint_fga INTEGER, paint_fgm INTEGER, mid_fga INTEGER, mid_fgm INTEGER, three_fga INTEGER, three_fgm INTEGER, ts_pct REAL, efg_pct REAL, usage_rate REAL
-- index: player_id, game_date
-- columns.clickhouse: game_date Date, game_id String, player_id Int64, player_name String, team String, opponent String, minutes Float64, points Int64, rebounds Int64, assists Int64, fgm Int64, fga Int64, fg3m Int64, fg3a Int64, ftm Int64, fta Int64, tov Int64, paint_fga Int64, paint_fgm Int64, mid_fga Int64, mid_fgm Int64, three_fga Int64, three_fgm Int64, ts_pct Nullable(Float64), efg_pct Nullable(Float64), usage_rate Nullable(Float64)
-- table_options.clickhouse: ENGINE = MergeTree PARTITION BY game_date ORDER BY (player_id, game_id)

-- @process.sqlite
INSERT INTO {{table}}
SELECT b.game_date, b.game_id, b.player_id, b.player_name, b.team, b.opponent, b.minutes,
       b.points, b.oreb + b.dreb, b.ast, b.fgm, b.fga, b.fg3m, b.fg3a, b.ftm, b.fta, b.tov,
       b.paint_fga, b.paint_fgm, b.mid_fga, b.mid_fgm, b.three_fga, b.three_fgm,
       b.points / NULLIF(2.0 * (b.fga + 0.44 * b.fta), 0),
       (b.fgm + 0.5 * b.fg3m) / NULLIF(1.0 * b.fga, 0),
       100.0 * (b.fga + 0.44 * b.fta + b.tov) * (t.minutes / 5.0)
         / NULLIF(b.minutes * (t.fga + 0.44 * t.fta + t.tov), 0)
  FROM player_boxscores b
  LEFT JOIN team_offense_game_summary t
    ON t.game_date = {{date}} AND t.game_id = b.game_id AND t.team = b.team
 WHERE b.game_date = {{date}} AND b.minutes > 0

-- @fallback.sqlite
INSERT INTO {{table}}
SELECT b.game_date, b.game_id, b.player_id, b.player_name, b.team, b.opponent, b.minutes,
       b.points, b.oreb + b.dreb, b.ast, b.fgm, b.fga, b.fg3m, b.fg3a, b.ftm, b.fta, b.tov,
       b.paint_fga, b.paint_fgm, b.mid_fga, b.mid_fgm, b.three_fga, b.three_fgm,
       b.points / NULLIF(2.0 * (b.fga + 0.44 * b.fta), 0),
       (b.fgm + 0.5 * b.fg3m) / NULLIF(1.0 * b.fga, 0),
       NULL
  FROM player_boxscores b
 WHERE b.game_date = {{date}} AND b.minutes > 0

-- @process_block.sqlite
INSERT INTO {{table}}
SELECT b.game_date, b.game_id, b.player_id, b.player_name, b.team, b.opponent, b.minutes,
       b.points, b.oreb + b.dreb, b.ast, b.fgm, b.fga, b.fg3m, b.fg3a, b.ftm, b.fta, b.tov,
       b.paint_fga, b.paint_fgm, b.mid_fga, b.mid_fgm, b.three_fga, b.three_fgm,
       b.points / NULLIF(2.0 * (b.fga + 0.44 * b.fta), 0),
       (b.fgm + 0.5 * b.fg3m) / NULLIF(1.0 * b.fga, 0),
       100.0 * (b.fga + 0.44 * b.fta + b.tov) * (t.minutes / 5.0)
         / NULLIF(b.minutes * (t.fga + 0.44 * t.fta + t.tov), 0)
  FROM player_boxscores b
  LEFT JOIN team_offense_game_summary t
    ON t.game_date = b.game_date AND t.game_id = b.game_id AND t.team = b.team
 WHERE b.game_date BETWEEN {{first}} AND {{last}} AND b.minutes > 0

-- @process.clickhouse
INSERT INTO {{table}}
SELECT game_date, game_id, player_id, player_name, team, opponent, minutes, points,
       oreb + dreb, ast, fgm, fga, fg3m, fg3a, ftm, fta, tov, paint_fga, paint_fgm,
       mid_fga, mid_fgm, three_fga, three_fgm, points / nullIf(2.0 * (fga + 0.44 * fta), 0),
       (fgm + 0.5 * fg3m) / nullIf(1.0 * fga, 0),
       100.0 * (fga + 0.44 * fta + tov) * (t_minutes / 5.0)
         / nullIf(minutes * (t_fga + 0.44 * t_fta + t_tov), 0)
  FROM player_boxscores
  ALL LEFT JOIN (SELECT game_id, team, minutes AS t_minutes, fga AS t_fga, fta AS t_fta,
                        tov AS t_tov
                   FROM team_offense_game_summary WHERE game_date = {{date}})
 USING (game_id, team)
 WHERE game_date = {{date}} AND minutes > 0

-- @fallback.clickhouse
INSERT INTO {{table}}
SELECT game_date, game_id, player_id, player_name, team, opponent, minutes, points,
       oreb + dreb, ast, fgm, fga, fg3m, fg3a, ftm, fta, tov, paint_fga, paint_fgm,
       mid_fga, mid_fgm, three_fga, three_fgm, points / nullIf(2.0 * (fga + 0.44 * fta), 0),
       (fgm + 0.5 * fg3m) / nullIf(1.0 * fga, 0), CAST(NULL AS Nullable(Float64))
  FROM player_boxscores
 WHERE game_date = {{date}} AND minutes > 0

-- @process_block.clickhouse
INSERT INTO {{table}}
SELECT game_date, game_id, player_id, player_name, team, opponent, minutes, points,
       oreb + dreb, ast, fgm, fga, fg3m, fg3a, ftm, fta, tov, paint_fga, paint_fgm,
       mid_fga, mid_fgm, three_fga, three_fgm, points / nullIf(2.0 * (fga + 0.44 * fta), 0),
       (fgm + 0.5 * fg3m) / nullIf(1.0 * fga, 0),
       100.0 * (fga + 0.44 * fta + tov) * (t_minutes / 5.0)
         / nullIf(minutes * (t_fga + 0.44 * t_fta + t_tov), 0)
  FROM player_boxscores
  ALL LEFT JOIN (SELECT game_date, game_id, team, minutes AS t_minutes, fga AS t_fga,
                        fta AS t_fta, tov AS t_tov
                   FROM team_offense_game_summary
                  WHERE game_date BETWEEN toDate({{first}}) AND toDate({{last}}))
 USING (game_date, game_id, team)
 WHERE game_date BETWEEN toDate({{first}}) AND toDate({{last}}) AND minutes > 0

-- @expected
SELECT count(*) FROM player_boxscores WHERE game_date = {{date}} AND minutes > 0

-- @expected_block
SELECT game_date, count(*) FROM player_boxscores
 WHERE game_date BETWEEN {{first}} AND {{last}} AND minutes > 0
 GROUP BY game_date
