/* test_judge.c - every state the judge gives a date, and the order of its
 * rules (judge.h), over real SQLite files and real checkpoint files.
 *
 * Each case starts from the same world: a calendar of 2024-01-01..12 and
 * 2024-01-14 (01-13 is no calendar day), one season from 01-01 whose first
 * two days are bootstrap days, and a processor "t" writing t_out that reads
 *   up_out  (required, the day before and the day itself), written by the
 *           processor "up", which published every calendar day with 2 rows;
 *   raw     (required), a raw table with a row every calendar day;
 *   extra   (optional), a raw table with a row every calendar day.
 * t has published nothing. A case changes the store or the checkpoints and
 * asks the judge about one date. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/config.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "engine/settings.h"
#include "plugin/plugin_config.h"
#include "state/checkpoint.h"
#include "stores/store.h"
#include "unit.h"

static char dir[64], db_path[128];
static json_t *records[2]; /* the dates of up's and t's checkpoints */
static const char *const procs[2] = {"up", "t"};
enum { UP = 0, T = 1 };

static const bf_descriptor up_desc = {.name = "up",
                                      .output_table = "up_out",
                                      .date_column = "game_date",
                                      .bootstrap_days = BF_NO_BOOTSTRAP};
static const bf_descriptor t_desc = {
    .name = "t", .output_table = "t_out", .date_column = "game_date"};
static const bf_dependency t_deps[] = {
    {"up_out", "game_date", BF_REQUIRED, 0, 1},
    {"raw", "game_date", BF_REQUIRED, 0, 0},
    {"extra", "game_date", BF_OPTIONAL, 0, 0},
};

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

static void sql(const char *text)
{
    sqlite3 *db;
    char *msg = NULL;
    sqlite3_open(db_path, &db);
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        printf("# sql: %s: %s\n", text, msg);
    sqlite3_free(msg);
    sqlite3_close(db);
}

/* Record what proc's checkpoint says of date (published_seq 0: never
 * published, so no published figures; error NULL: none). */
static void record(int proc, const char *date, const char *status, int64_t published_rows,
                   int64_t published_seq, int64_t read_stamp, const char *error)
{
    json_t *rec = json_pack("{s:s, s:I, s:I}", "status", status, "expected", (json_int_t)2,
                            "actual", (json_int_t)(published_seq ? published_rows : 0));
    if (published_seq) {
        /* Built by the code and config judged now: neither declares a
         * version or a key, so both fingerprints are the plain ones. */
        plugin built = {.desc = proc == T ? &t_desc : &up_desc};
        char config[64];
        plugin_config_fingerprint(NULL, &built, config, sizeof config);
        json_object_set_new(rec, "code", json_string(built.code));
        json_object_set_new(rec, "config", json_string(config));
        json_object_set_new(rec, "published_rows", json_integer(published_rows));
        json_object_set_new(rec, "published_seq", json_integer(published_seq));
        json_object_set_new(rec, "read_stamp", json_integer(read_stamp));
    }
    if (error)
        json_object_set_new(rec, "error", json_string(error));
    json_object_set_new(records[proc], date, rec);
}

/* Write both checkpoint files as a run would leave them. */
static void save_checkpoints(void)
{
    for (int i = 0; i < 2; i++) {
        char path[192];
        snprintf(path, sizeof path, "%s/state/%s.json", dir, procs[i]);
        json_t *root = json_pack("{s:s, s:i, s:{}, s:O}", "processor", procs[i], "version", 1,
                                 "run", "dates", records[i]);
        json_dump_file(root, path, JSON_SORT_KEYS);
        json_decref(root);
    }
}

/* A world as the file header describes it. */
static void world(void)
{
    snprintf(dir, sizeof dir, "/tmp/bf-unit-judge.XXXXXX");
    if (!mkdtemp(dir))
        printf("# mkdtemp failed\n");
    snprintf(db_path, sizeof db_path, "%s/store.db", dir);
    char path[192];
    snprintf(path, sizeof path, "%s/state", dir);
    checkpoint_mkdirs(path);
    snprintf(path, sizeof path, "%s/backfill.conf", dir);
    FILE *f = fopen(path, "w");
    fputs("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
          "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"
          "state_dir = \"state\";\n"
          "seasons = ( { start = \"2024-01-01\"; end = \"2024-06-30\"; } );\n"
          "bootstrap_days = 2;\n",
          f);
    fclose(f);
    sql("CREATE TABLE schedule (game_date TEXT);"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i "
        "< 11)"
        " INSERT INTO schedule SELECT date('2024-01-01', '+' || i || ' days') "
        "FROM n;"
        "INSERT INTO schedule VALUES ('2024-01-14');"
        "CREATE TABLE up_out (game_date TEXT, v INTEGER);"
        "INSERT INTO up_out SELECT game_date, 1 FROM schedule;"
        "INSERT INTO up_out SELECT game_date, 2 FROM schedule;"
        "CREATE TABLE raw (game_date TEXT); INSERT INTO raw SELECT game_date "
        "FROM schedule;"
        "CREATE TABLE extra (game_date TEXT); INSERT INTO extra SELECT game_date "
        "FROM schedule;"
        "CREATE TABLE t_out (game_date TEXT, v INTEGER);");
    records[UP] = json_object();
    records[T] = json_object();
    for (bf_day d = day("2024-01-01"); d <= day("2024-01-14"); d++) {
        char date[DATE_LEN];
        date_format(d, date);
        if (d != day("2024-01-13"))
            record(UP, date, "complete", 2, d - day("2024-01-01") + 1, 0, NULL);
    }
    save_checkpoints();
}

static void world_free(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    json_decref(records[UP]);
    json_decref(records[T]);
}

/* The graph run and gaps derive: t reads up_out, which up writes. Nodes
 * sorted by name. */
static size_t t_writers[] = {1, GRAPH_NONE, GRAPH_NONE};
static graph_node nodes[2] = {
    {.p = {.desc = &t_desc, .deps = t_deps, .ndeps = 3}, .name = "t", .writer = t_writers},
    {.p = {.desc = &up_desc}, .name = "up"},
};
static const graph g = {.nodes = nodes, .n = 2};
static const plugin *const t_proc = &nodes[0].p;

/* One judgement of t over the whole calendar, as run makes one. */
typedef struct judging {
    bf_config cfg;
    store *s;
    plan pl;
    judgement jg;
    date_selection range;
} judging;

static int judging_open(judging *j)
{
    char path[192], err[512];
    memset(j, 0, sizeof *j);
    snprintf(path, sizeof path, "%s/backfill.conf", dir);
    if (settings_load(path, &j->cfg, err, sizeof err) != 0 ||
        store_open(j->cfg.store_conf, STORE_READ_ONLY, &j->s, err, sizeof err) != BF_OK) {
        printf("# %s\n", err);
        return -1;
    }
    date_list cal = {0};
    for (bf_day d = day("2024-01-01"); d <= day("2024-01-14"); d++)
        if (d != day("2024-01-13"))
            date_list_push(&cal, d);
    j->range =
        (date_selection){.is_range = 1, .first = day("2024-01-01"), .last = day("2024-01-14")};
    plan_build(&j->pl, &cal, &j->range, j->cfg.seasons, j->cfg.nseasons,
               loader_bootstrap_days(t_proc, j->cfg.bootstrap_days));
    date_list_free(&cal);
    if (judge_open(&j->jg, j->s, &j->cfg, &g, t_proc, &j->pl, err, sizeof err) != 0) {
        printf("# judge_open: %s\n", err);
        return -1;
    }
    return 0;
}

static void judging_close(judging *j)
{
    judge_close(&j->jg);
    plan_free(&j->pl);
    store_close(j->s);
    settings_free(&j->cfg);
}

/* The verdict on date; state -1 if the judgement could not be made. */
static verdict judge(const char *date)
{
    verdict v;
    memset(&v, 0, sizeof v);
    v.state = -1;
    judging j;
    if (judging_open(&j) == 0)
        for (size_t i = 0; i < j.pl.n; i++)
            if (strcmp(j.pl.dates[i].date, date) == 0)
                judge_date(&j.jg, &j.pl.dates[i], &v);
    judging_close(&j);
    return v;
}

static const char *state_of(const char *date)
{
    return date_state_name(judge(date).state);
}

/* How t's dependency k counts on date; -1 if it could not be judged. */
static int upstream(size_t k, const char *date)
{
    judging j;
    int up = judging_open(&j) == 0 ? judge_upstream(&j.jg, k, day(date)) : -1;
    judging_close(&j);
    return up;
}

/* Publish rows rows of t on date as a run does: the rows, then a record
 * of them with the upstream stamp read. */
static void publish(const char *date, int rows, int64_t seq)
{
    char text[256];
    for (int i = 0; i < rows; i++) {
        snprintf(text, sizeof text, "INSERT INTO t_out VALUES ('%s', %d);", date, i);
        sql(text);
    }
    record(T, date, "complete", rows, seq, judge(date).stamp, NULL);
    save_checkpoints();
}

UNIT_CASE(names)
{
    static const char *const want[STATE_COUNT] = {[STATE_PENDING] = "pending",
                                                  [STATE_COMPLETE] = "complete",
                                                  [STATE_PARTIAL] = "partial",
                                                  [STATE_MISSING] = "missing",
                                                  [STATE_BLOCKED] = "blocked",
                                                  [STATE_SKIPPED] = "skipped",
                                                  [STATE_STALE] = "stale",
                                                  [STATE_ORPHANED] = "orphaned",
                                                  [STATE_FAILED] = "failed",
                                                  [STATE_UNVERIFIED] = "unverified",
                                                  [STATE_CHECK_FAILED] = "check-failed",
                                                  [STATE_OUTDATED] = "outdated",
                                                  [STATE_WAIVED] = "waived"};
    int named = 1;
    for (int i = 0; i < STATE_COUNT; i++)
        named &= want[i] && strcmp(date_state_name(i), want[i]) == 0;
    CHECK("every state has its own name", named);
    CHECK_STR("a value out of range", "unknown", date_state_name(STATE_COUNT));
    CHECK_STR("a negative value", "unknown", date_state_name(-1));
}

UNIT_CASE(missing)
{
    world();
    CHECK_STR("no rows and no record", "missing", state_of("2024-01-05"));
    record(T, "2024-01-05", "pending", 0, 0, 0, NULL);
    save_checkpoints();
    CHECK_STR("no rows and a pending record", "missing", state_of("2024-01-05"));
    sql("DROP TABLE t_out;");
    verdict v = judge("2024-01-06");
    CHECK("no table at all", v.state == STATE_MISSING && v.rows == 0 && v.published_rows == -1);
    world_free();
}

UNIT_CASE(unverified)
{
    world();
    sql("INSERT INTO t_out VALUES ('2024-01-05', 1);");
    verdict v = judge("2024-01-05");
    CHECK("rows backfill never published", v.state == STATE_UNVERIFIED && v.rows == 1);
    world_free();
}

UNIT_CASE(complete)
{
    world();
    publish("2024-01-05", 3, 1);
    verdict v = judge("2024-01-05");
    CHECK("published, rows and upstream unchanged", v.state == STATE_COMPLETE);
    CHECK("its figures", v.rows == 3 && v.published_rows == 3 && !v.changed && !v.why[0]);
    publish("2024-01-06", 0, 2);
    CHECK_STR("published empty, still empty", "complete", state_of("2024-01-06"));
    world_free();
}

UNIT_CASE(stale)
{
    world();
    publish("2024-01-05", 3, 1);
    record(UP, "2024-01-04", "complete", 2, 100, 0, NULL); /* republished, same rows */
    save_checkpoints();
    verdict v = judge("2024-01-05");
    CHECK("an upstream date in the window was republished", v.state == STATE_STALE);
    CHECK_STR("why", "stale: an upstream date in its window was republished since", v.why);
    CHECK_STR("a republish outside the window leaves the next day alone", "missing",
              state_of("2024-01-07"));
    world_free();
}

UNIT_CASE(partial)
{
    world();
    publish("2024-01-05", 3, 1);
    sql("DELETE FROM t_out WHERE v = 0;");
    verdict v = judge("2024-01-05");
    CHECK("fewer rows than published", v.state == STATE_PARTIAL && v.changed);
    CHECK_STR("why", "holds 2 rows, 3 were published", v.why);
    sql("INSERT INTO t_out VALUES ('2024-01-05', 7), ('2024-01-05', 8);");
    CHECK_STR("more rows than published", "partial", state_of("2024-01-05"));
    publish("2024-01-06", 0, 2);
    sql("INSERT INTO t_out VALUES ('2024-01-06', 1);");
    CHECK_STR("rows on a date published empty", "partial", state_of("2024-01-06"));
    world_free();
}

UNIT_CASE(failed)
{
    world();
    record(T, "2024-01-05", "failed", 0, 0, 0, "process_date returned -1");
    record(T, "2024-01-06", "incomplete", 0, 0, 0, NULL);
    save_checkpoints();
    verdict v = judge("2024-01-05");
    CHECK("the last attempt failed, nothing published", v.state == STATE_FAILED);
    CHECK_STR("why is the recorded error", "process_date returned -1", v.why);
    v = judge("2024-01-06");
    CHECK("too few rows, rolled back", v.state == STATE_FAILED);
    CHECK_STR("why without a recorded error", "the last attempt failed", v.why);
    world_free();
}

UNIT_CASE(check_failed)
{
    world();
    record(T, "2024-01-05", "check-failed", 0, 0, 0, "check rows_positive: 0 < 1");
    record(T, "2024-01-06", "failed", 0, 0, 0, "check rows_positive: statement failed");
    save_checkpoints();
    verdict v = judge("2024-01-05");
    CHECK("a failed quality check", v.state == STATE_CHECK_FAILED);
    CHECK_STR("why", "check rows_positive: 0 < 1", v.why);
    CHECK_STR("the recorded state decides, not the error's text", "failed", state_of("2024-01-06"));
    world_free();
}

UNIT_CASE(skipped)
{
    world();
    CHECK_STR("a bootstrap day", "skipped", state_of("2024-01-01"));
    /* Before blocked, orphaned and unverified: nothing is expected. */
    sql("DELETE FROM up_out WHERE game_date = '2024-01-02';"
        "INSERT INTO t_out VALUES ('2024-01-02', 1);");
    CHECK_STR("a bootstrap day with rows and its upstream missing", "skipped",
              state_of("2024-01-02"));
    CHECK_STR("the first day after bootstrap is judged", "blocked", state_of("2024-01-03"));
    world_free();
}

UNIT_CASE(blocked)
{
    world();
    sql("DELETE FROM up_out WHERE game_date = '2024-01-05';");
    verdict v = judge("2024-01-05");
    CHECK("a required upstream date is missing", v.state == STATE_BLOCKED);
    CHECK_STR("why names the table and the date",
              "blocked: required upstream up_out has no rows for 2024-01-05", v.why);
    CHECK_STR("the next day reads it in its window", "blocked", state_of("2024-01-06"));
    CHECK_STR("the day after does not", "missing", state_of("2024-01-07"));
    sql("DELETE FROM raw WHERE game_date = '2024-01-09';");
    CHECK_STR("a required raw table: presence", "blocked", state_of("2024-01-09"));
    sql("DELETE FROM extra WHERE game_date = '2024-01-10';");
    CHECK_STR("an optional table never blocks", "missing", state_of("2024-01-10"));
    CHECK_STR("01-13 is no calendar day: 01-14 does not expect it", "missing",
              state_of("2024-01-14"));
    world_free();
}

UNIT_CASE(blocked_by_partial)
{
    world();
    sql("DELETE FROM up_out WHERE game_date = '2024-01-08' AND v = 2;");
    verdict v = judge("2024-01-08");
    CHECK("a required upstream date holds other rows than published", v.state == STATE_BLOCKED);
    CHECK_STR("why",
              "blocked: required upstream up_out is partial on 2024-01-08 (1 "
              "rows, 2 published)",
              v.why);
    world_free();
}

UNIT_CASE(orphaned)
{
    world();
    publish("2024-01-05", 3, 1);
    sql("DELETE FROM up_out WHERE game_date = '2024-01-04';");
    verdict v = judge("2024-01-05");
    CHECK("blocked, yet holding rows: before complete", v.state == STATE_ORPHANED && v.rows == 3);
    CHECK_STR("why", "blocked: required upstream up_out has no rows for 2024-01-04", v.why);
    sql("INSERT INTO t_out VALUES ('2024-01-04', 1);");
    CHECK_STR("unpublished rows on a blocked date", "orphaned", state_of("2024-01-04"));
    world_free();
}

UNIT_CASE(blocked_before_failed)
{
    world();
    record(T, "2024-01-05", "failed", 0, 0, 0, "process_date returned -1");
    record(T, "2024-01-06", "failed", 0, 0, 0, "check rows_positive: 0 < 1");
    save_checkpoints();
    sql("DELETE FROM raw WHERE game_date IN ('2024-01-05', '2024-01-06');");
    CHECK_STR("failed, and now blocked", "blocked", state_of("2024-01-05"));
    CHECK_STR("check-failed, and now blocked", "blocked", state_of("2024-01-06"));
    world_free();
}

UNIT_CASE(published_before_failed)
{
    world();
    publish("2024-01-05", 3, 1);
    /* A later attempt failed: the record keeps what was published. */
    json_object_set_new(json_object_get(records[T], "2024-01-05"), "status", json_string("failed"));
    json_object_set_new(json_object_get(records[T], "2024-01-05"), "error",
                        json_string("check rows_positive: 0 < 1"));
    save_checkpoints();
    CHECK_STR("a failed retry leaves the published date complete", "complete",
              state_of("2024-01-05"));
    sql("DELETE FROM t_out WHERE v = 0;");
    CHECK_STR("and partial once its rows change", "partial", state_of("2024-01-05"));
    world_free();
}

UNIT_CASE(unverified_before_failed)
{
    world();
    record(T, "2024-01-05", "failed", 0, 0, 0, "process_date returned -1");
    record(T, "2024-01-06", "failed", 0, 0, 0, "check rows_positive: 0 < 1");
    save_checkpoints();
    sql("INSERT INTO t_out VALUES ('2024-01-05', 1), ('2024-01-06', 1);");
    CHECK_STR("rows after a failed attempt", "unverified", state_of("2024-01-05"));
    CHECK_STR("rows after a failed check", "unverified", state_of("2024-01-06"));
    world_free();
}

UNIT_CASE(upstream_states)
{
    world();
    sql("DELETE FROM up_out WHERE game_date = '2024-01-05';"
        "DELETE FROM up_out WHERE game_date = '2024-01-06' AND v = 1;"
        "DELETE FROM raw WHERE game_date = '2024-01-07';");
    record(UP, "2024-01-08", "failed", 0, 0, 0, "process_date returned -1");
    json_object_del(records[UP], "2024-01-09");
    save_checkpoints();
    CHECK("published, rows unchanged: covered", upstream(0, "2024-01-04") == UP_COVERED);
    CHECK("no rows: missing", upstream(0, "2024-01-05") == UP_MISSING);
    CHECK("other rows than published: partial", upstream(0, "2024-01-06") == UP_PARTIAL);
    CHECK("rows under a record without a publish: partial",
          upstream(0, "2024-01-08") == UP_PARTIAL);
    CHECK("rows backfill never recorded: unverified", upstream(0, "2024-01-09") == UP_UNVERIFIED);
    CHECK("a raw table with rows: covered", upstream(1, "2024-01-06") == UP_COVERED);
    CHECK("a raw table without: missing", upstream(1, "2024-01-07") == UP_MISSING);
    CHECK_STR("an unverified upstream date (01-09) does not block", "missing",
              state_of("2024-01-10"));
    CHECK_STR("a partial one does", "blocked", state_of("2024-01-08"));
    sql("DROP TABLE extra;");
    CHECK("a table that does not exist: missing", upstream(2, "2024-01-04") == UP_MISSING);
    world_free();
}

/* Counts per state over the calendar, with the cache or without. */
static void count_state(void *udata, const date_entry *e, const verdict *v)
{
    (void)e;
    ((size_t *)udata)[v->state]++;
}

UNIT_CASE(whole_range)
{
    world();
    publish("2024-01-03", 2, 1);
    publish("2024-01-04", 2, 2);
    sql("DELETE FROM raw WHERE game_date = '2024-01-12';"
        "INSERT INTO t_out VALUES ('2024-01-10', 1);");
    judging j;
    size_t plain[STATE_COUNT] = {0}, cached[STATE_COUNT] = {0};
    char err[256];
    judge_cache *c = judge_cache_new(7);
    int ok =
        judging_open(&j) == 0 &&
        judge_range(j.s, &j.cfg, &g, t_proc, &j.range, count_state, plain, err, sizeof err) == 0 &&
        judge_range_cached(j.s, &j.cfg, &g, t_proc, &j.range, c, count_state, cached, err,
                           sizeof err) == 0;
    CHECK("judge_range and judge_range_cached run", ok);
    CHECK("13 calendar days: 2 skipped, 2 complete, 1 unverified, 1 blocked, 7 "
          "missing",
          plain[STATE_SKIPPED] == 2 && plain[STATE_COMPLETE] == 2 && plain[STATE_UNVERIFIED] == 1 &&
              plain[STATE_BLOCKED] == 1 && plain[STATE_MISSING] == 7 && plain[STATE_PENDING] == 0);
    CHECK("the cache judges the same", memcmp(plain, cached, sizeof plain) == 0);
    judge_cache_free(c);
    judging_close(&j);
    world_free();
}

UNIT_CASE(table_passes)
{
    size_t s[STATE_COUNT] = {0};
    s[STATE_COMPLETE] = 18;
    s[STATE_UNVERIFIED] = 1;
    s[STATE_MISSING] = 1;
    CHECK("complete and unverified meet 0.95 of 20", judge_table_passes(s, 20, 0.95));
    CHECK("but not 1.0", !judge_table_passes(s, 20, 1.0));
    static const int bad[] = {STATE_STALE, STATE_ORPHANED, STATE_PARTIAL};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        s[bad[i]] = 1;
        char name[64];
        snprintf(name, sizeof name, "one %s date fails it", date_state_name(bad[i]));
        CHECK(name, !judge_table_passes(s, 20, 0.5));
        s[bad[i]] = 0;
    }
    s[STATE_BLOCKED] = s[STATE_FAILED] = s[STATE_CHECK_FAILED] = 1;
    CHECK("blocked, failed and check-failed count only against coverage",
          judge_table_passes(s, 20, 0.9));
}

UNIT_MAIN(64, UNIT(names), UNIT(missing), UNIT(unverified), UNIT(complete), UNIT(stale),
          UNIT(partial), UNIT(failed), UNIT(check_failed), UNIT(skipped), UNIT(blocked),
          UNIT(blocked_by_partial), UNIT(orphaned), UNIT(blocked_before_failed),
          UNIT(published_before_failed), UNIT(unverified_before_failed), UNIT(upstream_states),
          UNIT(whole_range), UNIT(table_passes))
