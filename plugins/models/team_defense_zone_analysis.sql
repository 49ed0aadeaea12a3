-- team_defense_zone_analysis - for each team playing on the date, how
-- opponents shot against it by zone over the previous 30 days, and its
-- average defensive rating. One row per team scheduled that date, counted
-- from the schedule so that a partial upstream date cannot look whole.
-- The model-file form of plugins/team_defense_zone_analysis.
--
-- description: opponent shooting by zone allowed, last 30 days
-- date_column: game_date
-- bootstrap_days: 14
-- depends: team_defense_game_summary required lookback_days=30
-- depends: player_game_summary required lookback_days=30
-- depends: schedule required
-- columns.sqlite: game_date TEXT, team TEXT, games INTEGER, opp_paint_fg_pct REAL, opp_mid_fg_pct REAL, opp_three_fg_pct REAL, opp_paint_share REAL, opp_three_share REAL, avg_def_rating REAL
-- index: game_date, team
-- columns.clickhouse: game_date Date, team String, games Int64, opp_paint_fg_pct Nullable(Float64), opp_mid_fg_pct Nullable(Float64), opp_three_fg_pct Nullable(Float64), opp_paint_share Nullable(Float64), opp_three_share Nullable(Float64), avg_def_rating Nullable(Float64)
-- table_options.clickhouse: ENGINE = MergeTree PARTITION BY game_date ORDER BY team

-- @process.sqlite
INSERT INTO {{table}}
SELECT d.game_date, d.team,
       (SELECT count(*) FROM team_defense_game_summary w WHERE w.team = d.team
           AND w.game_date < {{date}} AND w.game_date >= date({{date}}, '-30 days')),
       1.0 * z.paint_fgm / NULLIF(z.paint_fga, 0), 1.0 * z.mid_fgm / NULLIF(z.mid_fga, 0),
       1.0 * z.three_fgm / NULLIF(z.three_fga, 0), 1.0 * z.paint_fga / NULLIF(z.fga, 0),
       1.0 * z.three_fga / NULLIF(z.fga, 0),
       (SELECT avg(def_rating) FROM team_defense_game_summary w WHERE w.team = d.team
           AND w.game_date < {{date}} AND w.game_date >= date({{date}}, '-30 days'))
  FROM team_defense_game_summary d
  LEFT JOIN (SELECT opponent AS team, sum(paint_fga) AS paint_fga, sum(paint_fgm) AS paint_fgm,
                    sum(mid_fga) AS mid_fga, sum(mid_fgm) AS mid_fgm, sum(three_fga) AS three_fga,
                    sum(three_fgm) AS three_fgm, sum(fga) AS fga
               FROM player_game_summary
              WHERE game_date < {{date}} AND game_date >= date({{date}}, '-30 days')
              GROUP BY opponent) z
    ON z.team = d.team
 WHERE d.game_date = {{date}}

-- @process_block.sqlite
INSERT INTO {{table}}
SELECT d.game_date, d.team,
       (SELECT count(*) FROM team_defense_game_summary w WHERE w.team = d.team
           AND w.game_date < d.game_date AND w.game_date >= date(d.game_date, '-30 days')),
       1.0 * z.paint_fgm / NULLIF(z.paint_fga, 0), 1.0 * z.mid_fgm / NULLIF(z.mid_fga, 0),
       1.0 * z.three_fgm / NULLIF(z.three_fga, 0), 1.0 * z.paint_fga / NULLIF(z.fga, 0),
       1.0 * z.three_fga / NULLIF(z.fga, 0),
       (SELECT avg(def_rating) FROM team_defense_game_summary w WHERE w.team = d.team
           AND w.game_date < d.game_date AND w.game_date >= date(d.game_date, '-30 days'))
  FROM team_defense_game_summary d
  LEFT JOIN (SELECT b.gd AS gd, a.team AS team, sum(a.paint_fga) AS paint_fga,
                    sum(a.paint_fgm) AS paint_fgm, sum(a.mid_fga) AS mid_fga,
                    sum(a.mid_fgm) AS mid_fgm, sum(a.three_fga) AS three_fga,
                    sum(a.three_fgm) AS three_fgm, sum(a.fga) AS fga
               FROM (SELECT DISTINCT game_date AS gd FROM team_defense_game_summary
                      WHERE game_date BETWEEN {{first}} AND {{last}}) b
               JOIN (SELECT game_date, opponent AS team, sum(paint_fga) AS paint_fga,
                            sum(paint_fgm) AS paint_fgm, sum(mid_fga) AS mid_fga,
                            sum(mid_fgm) AS mid_fgm, sum(three_fga) AS three_fga,
                            sum(three_fgm) AS three_fgm, sum(fga) AS fga
                       FROM player_game_summary
                      WHERE game_date >= date({{first}}, '-30 days') AND game_date < {{last}}
                      GROUP BY game_date, opponent) a
                 ON a.game_date < b.gd AND a.game_date >= date(b.gd, '-30 days')
              GROUP BY b.gd, a.team) z
    ON z.team = d.team AND z.gd = d.game_date
 WHERE d.game_date BETWEEN {{first}} AND {{last}}

-- @process.clickhouse
INSERT INTO {{table}}
SELECT game_date, team, coalesce(games, 0),
       z_paint_fgm / nullIf(z_paint_fga, 0), z_mid_fgm / nullIf(z_mid_fga, 0),
       z_three_fgm / nullIf(z_three_fga, 0), z_paint_fga / nullIf(z_fga, 0),
       z_three_fga / nullIf(z_fga, 0), avg_def
  FROM (SELECT game_date, team, games, avg_def FROM team_defense_game_summary
          ALL LEFT JOIN (SELECT team, count() AS games, avg(def_rating) AS avg_def
                           FROM team_defense_game_summary
                          WHERE game_date < {{date}} AND game_date >= toDate({{date}}) - 30
                          GROUP BY team) USING team
         WHERE game_date = {{date}})
  ALL LEFT JOIN (SELECT opponent AS team, sum(paint_fga) AS z_paint_fga,
                        sum(paint_fgm) AS z_paint_fgm, sum(mid_fga) AS z_mid_fga,
                        sum(mid_fgm) AS z_mid_fgm, sum(three_fga) AS z_three_fga,
                        sum(three_fgm) AS z_three_fgm, sum(fga) AS z_fga
                   FROM player_game_summary
                  WHERE game_date < {{date}} AND game_date >= toDate({{date}}) - 30
                  GROUP BY opponent) USING team

-- @process_block.clickhouse
INSERT INTO {{table}}
SELECT game_date, team, coalesce(games, 0),
       z_paint_fgm / nullIf(z_paint_fga, 0), z_mid_fgm / nullIf(z_mid_fga, 0),
       z_three_fgm / nullIf(z_three_fga, 0), z_paint_fga / nullIf(z_fga, 0),
       z_three_fga / nullIf(z_fga, 0), avg_def
  FROM (SELECT game_date, team, games, avg_def FROM team_defense_game_summary
          ALL LEFT JOIN (SELECT d AS game_date, team, count() AS games, avg(def_rating) AS avg_def
                           FROM (SELECT team, def_rating,
                                        arrayJoin(arrayMap(k -> game_date + k + 1, range(30))) AS d
                                   FROM team_defense_game_summary
                                  WHERE game_date >= toDate({{first}}) - 30
                                    AND game_date < toDate({{last}}))
                          WHERE d BETWEEN toDate({{first}}) AND toDate({{last}})
                          GROUP BY game_date, team) USING (game_date, team)
         WHERE game_date BETWEEN toDate({{first}}) AND toDate({{last}}))
  ALL LEFT JOIN (SELECT d AS game_date, opponent AS team, sum(paint_fga) AS z_paint_fga,
                        sum(paint_fgm) AS z_paint_fgm, sum(mid_fga) AS z_mid_fga,
                        sum(mid_fgm) AS z_mid_fgm, sum(three_fga) AS z_three_fga,
                        sum(three_fgm) AS z_three_fgm, sum(fga) AS z_fga
                   FROM (SELECT opponent, paint_fga, paint_fgm, mid_fga, mid_fgm, three_fga,
                                three_fgm, fga,
                                arrayJoin(arrayMap(k -> game_date + k + 1, range(30))) AS d
                           FROM player_game_summary
                          WHERE game_date >= toDate({{first}}) - 30
                            AND game_date < toDate({{last}}))
                  WHERE d BETWEEN toDate({{first}}) AND toDate({{last}})
                  GROUP BY game_date, opponent) USING (game_date, team)

-- @expected
SELECT 2 * count(*) FROM schedule WHERE game_date = {{date}}

-- @expected_block
SELECT game_date, 2 * count(*) FROM schedule
 WHERE game_date BETWEEN {{first}} AND {{last}}
 GROUP BY game_date
