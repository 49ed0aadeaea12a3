/* test_preflight.c - coverage math, and pre-flight over a real SQLite file. */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/settings.h"
#include "config/config.h"
#include "engine/preflight.h"
#include "report/preflight_text.h"
#include "unit.h"

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

/* The cases after coverage_math run in order over one store: store makes
 * it, cleanup removes it. */
static char dir[] = "/tmp/bf-unit-preflight.XXXXXX", path[128], conf[128];
static bf_config cfg;
static store *s;
static date_list cal;
static date_selection range;
static const bf_descriptor desc = {.name = "t", .output_table = "t", .date_column = "game_date"};
static plugin p = {.desc = &desc};

UNIT_CASE(coverage_math)
{
    CHECK("0.95 of 20 needs 19: 19 passes", judge_meets(19, 20, 0.95));
    CHECK("0.95 of 20 needs 19: 18 fails", !judge_meets(18, 20, 0.95));
    CHECK("0.95 of 848 is 805.6: 806 passes", judge_meets(806, 848, 0.95));
    CHECK("0.95 of 848 is 805.6: 805 fails", !judge_meets(805, 848, 0.95));
    CHECK("776 of 848 fails 0.95", !judge_meets(776, 848, 0.95));
    CHECK("threshold 1 needs all", judge_meets(848, 848, 1.0) && !judge_meets(847, 848, 1.0));
    CHECK("nothing expected passes", judge_meets(0, 0, 0.95));
    CHECK("coverage 776/848",
          judge_coverage(776, 848) > 0.91509 && judge_coverage(776, 848) < 0.91510);
    CHECK("coverage of nothing is 1", judge_coverage(0, 0) == 1.0);
    CHECK("coverage 19/20", judge_coverage(19, 20) == 0.95);
    CHECK("0.95 of 1 needs 1", judge_meets(1, 1, 0.95) && !judge_meets(0, 1, 0.95));
    CHECK("threshold 0 passes nothing covered", judge_meets(0, 848, 0.0));
    CHECK("0.5 of 3 needs 2", judge_meets(2, 3, 0.5) && !judge_meets(1, 3, 0.5));
    CHECK("0.1 of 10 needs 1", judge_meets(1, 10, 0.1) && !judge_meets(0, 10, 0.1));
}

UNIT_CASE(open_store)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/store.db", dir);
    sqlite3 *db;
    sqlite3_open(path, &db);
    /* 10 calendar days; "full" covers all, "holey" misses 01-05 and 01-07,
     * "maybe" (optional) misses 01-06. */
    sqlite3_exec(db,
                 "CREATE TABLE schedule (game_date TEXT);"
                 "CREATE TABLE full (game_date TEXT); CREATE TABLE holey (d TEXT);"
                 "CREATE TABLE maybe (game_date TEXT);"
                 "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)"
                 " INSERT INTO schedule SELECT date('2024-01-01', '+' || i || ' days') FROM n;"
                 "INSERT INTO full SELECT game_date FROM schedule;"
                 "INSERT INTO full SELECT game_date FROM schedule;"
                 "INSERT INTO holey SELECT game_date FROM schedule"
                 " WHERE game_date NOT IN ('2024-01-05', '2024-01-07');"
                 "INSERT INTO maybe SELECT game_date FROM schedule WHERE game_date <> '2024-01-06';"
                 "CREATE TABLE twin (game_date TEXT);"
                 "INSERT INTO twin SELECT game_date FROM schedule"
                 " WHERE game_date NOT IN ('2024-01-05', '2024-01-09');"
                 "CREATE TABLE early (game_date TEXT);"
                 "INSERT INTO early SELECT game_date FROM schedule"
                 " WHERE game_date NOT IN ('2024-01-02', '2024-01-05');"
                 "INSERT INTO early VALUES ('2023-12-31'), ('2024-01-11'), (NULL), ('not a date');",
                 NULL, NULL, NULL);
    sqlite3_close(db);
    snprintf(conf, sizeof conf, "%s/backfill.conf", dir);
    FILE *f = fopen(conf, "w");
    fputs("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
          "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n",
          f);
    fclose(f);
    char err[512];
    CHECK("config loads", settings_load(conf, &cfg, err, sizeof err) == 0);
    CHECK("store opens read-only",
          store_open(cfg.store_conf, STORE_READ_ONLY, &s, err, sizeof err) == BF_OK);
    for (int i = 0; i < 10; i++)
        date_list_push(&cal, day("2024-01-01") + i);
    range = (date_selection){.is_range = 1, .first = day("2024-01-01"), .last = day("2024-01-10")};
}

UNIT_CASE(four_dependencies)
{
    char err[512];
    static const bf_dependency deps[] = {
        {"full", "game_date", BF_REQUIRED, 0, 0},
        {"holey", "d", BF_REQUIRED, 0.75, 0},
        {"maybe", "game_date", BF_OPTIONAL, 0, 0},
        {"absent", "game_date", BF_OPTIONAL, 0, 0},
    };
    p.deps = deps;
    p.ndeps = 4;
    plan pl;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    pl.dates[8].status = STATE_COMPLETE; /* as if resumed: never blocked */
    preflight_report rep;
    CHECK("pre-flight runs", preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err) == 0);
    CHECK("one report per dependency, in order",
          rep.n == 4 && rep.deps[0].dep == &deps[0] && rep.deps[3].dep == &deps[3]);
    CHECK("no threshold of its own: preflight.min_coverage",
          rep.deps[0].threshold == 0.95 && rep.deps[2].threshold == 0.95);
    CHECK("full: 10/10 passes",
          rep.deps[0].covered == 10 && rep.deps[0].expected == 10 && rep.deps[0].passed);
    CHECK("holey: 8/10 with its own 0.75 threshold passes",
          rep.deps[1].covered == 8 && rep.deps[1].threshold == 0.75 && rep.deps[1].passed);
    CHECK("holey: missing dates listed in order",
          rep.deps[1].missing.n == 2 && rep.deps[1].missing.days[0] == day("2024-01-05") &&
              rep.deps[1].missing.days[1] == day("2024-01-07"));
    CHECK("maybe: 9/10 under 0.95 fails but is optional",
          rep.deps[2].covered == 9 && !rep.deps[2].passed);
    CHECK("absent: table missing", rep.deps[3].table_missing && rep.deps[3].covered == 0);
    CHECK("only optional failures: not refused", !rep.refused);
    CHECK("required gaps block their dates", pl.dates[4].status == STATE_BLOCKED &&
                                                 pl.dates[6].status == STATE_BLOCKED &&
                                                 rep.blocked == 2);
    CHECK_STR("blocked date names its table",
              "blocked: required upstream holey has no rows for 2024-01-05", pl.dates[4].error);
    CHECK("optional gaps block nothing", pl.dates[5].status == STATE_PENDING);
    CHECK("a date complete before pre-flight is never blocked",
          pl.dates[8].status == STATE_COMPLETE && pl.dates[8].error == NULL);
    CHECK("covered dates stay pending", pl.dates[0].status == STATE_PENDING &&
                                            pl.dates[9].status == STATE_PENDING &&
                                            pl.dates[0].error == NULL);
    preflight_report_free(&rep);
    plan_free(&pl);
}

UNIT_CASE(refusal)
{
    char err[512];
    plan pl;
    preflight_report rep;
    static const bf_dependency strict[] = {{"holey", "d", BF_REQUIRED, 0, 0}};
    p.deps = strict;
    p.ndeps = 1;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("required 8/10 under 0.95 refuses", rep.refused && !rep.deps[0].passed);
    {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        report_preflight_table(out, &rep, p.desc->name, 1);
        fclose(out);
        CHECK_STR("the printed report",
                  "pre-flight for t:\n"
                  "  FAIL holey 8/10 (80.0%)  2 missing  0 partial  0 unverified  required, needs "
                  "95.0%\n"
                  "       missing 2024-01-05\n"
                  "       missing 2024-01-07\n"
                  "  2 dates blocked: a required upstream date in the window is missing or "
                  "partial\n",
                  text);
        free(text);
    }
    preflight_report_free(&rep);
    plan_free(&pl);
}

/* preflight.min_coverage from the config: exactly at it passes. */
UNIT_CASE(min_coverage)
{
    char err[512];
    plan pl;
    preflight_report rep;
    cfg.min_coverage = 0.8;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("8/10 meets min_coverage 0.8",
          !rep.refused && rep.deps[0].passed && rep.deps[0].threshold == 0.8);
    CHECK("passing coverage still blocks the empty dates", rep.blocked == 2);
    preflight_report_free(&rep);
    plan_free(&pl);
    cfg.min_coverage = 0.81;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("8/10 misses min_coverage 0.81", rep.refused && !rep.deps[0].passed);
    preflight_report_free(&rep);
    plan_free(&pl);
    cfg.min_coverage = 0.95;
}

/* Two required tables empty the same date: blocked once, by the first. */
UNIT_CASE(two_required_tables)
{
    char err[512];
    plan pl;
    preflight_report rep;
    static const bf_dependency two[] = {{"holey", "d", BF_REQUIRED, 0.5, 0},
                                        {"twin", "game_date", BF_REQUIRED, 0.5, 0}};
    p.deps = two;
    p.ndeps = 2;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("two required gaps: 3 distinct dates blocked", rep.blocked == 3 && !rep.refused);
    CHECK("blocked by either table", pl.dates[4].status == STATE_BLOCKED &&
                                         pl.dates[6].status == STATE_BLOCKED &&
                                         pl.dates[8].status == STATE_BLOCKED);
    CHECK_STR("a date both miss names the first",
              "blocked: required upstream holey has no rows for 2024-01-05", pl.dates[4].error);
    CHECK_STR("a date only the second misses names it",
              "blocked: required upstream twin has no rows for 2024-01-09", pl.dates[8].error);
    preflight_report_free(&rep);
    plan_free(&pl);
}

/* Bootstrap days are not expected: a gap there is neither missing nor
 * blocking; rows outside the range, NULL and unparsable dates cover
 * nothing. */
UNIT_CASE(bootstrap_days)
{
    char err[512];
    plan pl;
    preflight_report rep;
    season se = {day("2024-01-01"), day("2024-06-30")};
    static const bf_dependency boot[] = {{"early", "game_date", BF_REQUIRED, 0, 0}};
    p.deps = boot;
    p.ndeps = 1;
    plan_build(&pl, &cal, &range, &se, 1, 3);
    CHECK("pre-flight over a plan with bootstrap days",
          preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err) == 0);
    CHECK("bootstrap days are not expected", rep.deps[0].expected == 7 && rep.deps[0].covered == 6);
    CHECK("only the expected gap is missing",
          rep.deps[0].missing.n == 1 && rep.deps[0].missing.days[0] == day("2024-01-05"));
    CHECK("6/7 under 0.95 refuses", rep.refused && !rep.deps[0].passed);
    CHECK("the skipped gap stays skipped", pl.dates[1].status == STATE_SKIPPED &&
                                               pl.dates[1].error == NULL && rep.blocked == 1 &&
                                               pl.dates[4].status == STATE_BLOCKED);
    preflight_report_free(&rep);
    plan_free(&pl);
}

/* Nothing expected in the range: every existing table passes. */
UNIT_CASE(nothing_expected)
{
    char err[512];
    plan pl;
    preflight_report rep;
    static const bf_dependency one[] = {{"full", "game_date", BF_REQUIRED, 1.0, 0}};
    p.deps = one;
    p.ndeps = 1;
    date_selection feb = {.is_range = 1, .first = day("2024-02-01"), .last = day("2024-02-05")};
    plan_build(&pl, &cal, &feb, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("no expected dates: 0/0 passes", rep.deps[0].expected == 0 && rep.deps[0].covered == 0 &&
                                               rep.deps[0].passed && !rep.refused &&
                                               rep.blocked == 0);
    preflight_report_free(&rep);
    plan_free(&pl);
}

/* A store error ends pre-flight with one line naming the table. */
UNIT_CASE(failing_query)
{
    char err[512];
    plan pl;
    preflight_report rep;
    static const bf_dependency bad[] = {{"holey", "nope", BF_REQUIRED, 0, 0}};
    p.deps = bad;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    CHECK("a failing query fails pre-flight",
          preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err) == -1);
    CHECK("the error names the table and the fault",
          strncmp(err, "pre-flight holey: no such column: nope", 38) == 0);
    preflight_report_free(&rep);
    plan_free(&pl);
}

UNIT_CASE(missing_table)
{
    char err[512];
    plan pl;
    preflight_report rep;
    CHECK("the pre-flight connection cannot write, even by the core's entry point",
          store_core_exec(s, "CREATE TABLE x (a INTEGER)", NULL, 0) != BF_OK);

    static const bf_dependency gone[] = {{"absent", "game_date", BF_REQUIRED, 0, 0}};
    p.deps = gone;
    plan_build(&pl, &cal, &range, NULL, 0, 0);
    preflight_run(s, &cfg, NULL, &p, &pl, &rep, err, sizeof err);
    CHECK("a missing required table refuses", rep.refused && rep.deps[0].table_missing);
    CHECK("and blocks every date", rep.blocked == 10);
    preflight_report_free(&rep);
    plan_free(&pl);
}

UNIT_CASE(cleanup)
{
    date_list_free(&cal);
    int found = 0;
    CHECK("table names match as SQLite matches them: FULL is full",
          store_table_exists(s, "FULL", &found) == BF_OK && found == 1);
    store_close(s);
    settings_free(&cfg);
    unlink(path);
    unlink(conf);
    rmdir(dir);
}

UNIT_MAIN(52, UNIT(coverage_math), UNIT(open_store), UNIT(four_dependencies), UNIT(refusal),
          UNIT(min_coverage), UNIT(two_required_tables), UNIT(bootstrap_days),
          UNIT(nothing_expected), UNIT(failing_query), UNIT(missing_table), UNIT(cleanup))
