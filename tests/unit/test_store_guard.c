/* test_store_guard.c - the store denies a plugin's writes by default: a
 * fresh read-write SQLite connection refuses every write on the plugin's
 * entry point and records the refusal until it is cleared, while the core's
 * own entry point writes without the guard ever being switched off. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/settings.h"
#include "stores/store.h"
#include "unit.h"

static int take_int(void *udata, int ncols, const bf_value *values)
{
    if (ncols > 0 && values[0].type == BF_INT)
        *(int64_t *)udata = values[0].v.i;
    return 1;
}

static store *s;
static bf_config cfg;
static char dir[] = "/tmp/bf-unit-guard.XXXXXX", path[128], conf[128];

static int64_t rows_of(store *st)
{
    int64_t n = -1;
    store_core_query(st, "SELECT count(*) FROM t", NULL, 0, take_int, &n);
    return n;
}

/* A fresh connection, before any guard is set: every write is refused. */
UNIT_CASE(fresh_connection_denies)
{
    CHECK("fresh connection: a plugin's INSERT is refused",
          store_exec(s, "INSERT INTO t VALUES (1)", NULL, 0) == BF_ERROR_STORE);
    CHECK_STR("the refusal is recorded, naming statement and rule",
              "refused INSERT into t: only process_date and prepare may write (worker_init, "
              "validate_date, worker_fini and audits are read-only) (in: INSERT INTO t VALUES (1))",
              store_refused(s));
    CHECK("a refusal is permanent", s->error_class == BF_PERMANENT);
    CHECK("a plugin's DROP TABLE is refused",
          store_exec(s, "DROP TABLE t", NULL, 0) == BF_ERROR_STORE);
    CHECK("a plugin's PRAGMA write is refused",
          store_exec(s, "PRAGMA user_version = 7", NULL, 0) == BF_ERROR_STORE);
    CHECK("nothing was written", rows_of(s) == 0);
    int exists = 0;
    CHECK("the table is still there", store_table_exists(s, "t", &exists) == BF_OK && exists);
}

/* The first refusal is kept through later statements until cleared. */
UNIT_CASE(refusal_kept_until_cleared)
{
    int64_t n = -1;
    CHECK("a plugin's read runs",
          store_query(s, "SELECT count(*) FROM t", NULL, 0, take_int, &n) == BF_OK && n == 0);
    CHECK("a read after the refusal leaves it recorded",
          store_refused(s) && strstr(store_refused(s), "refused INSERT into t"));
    store_clear_refused(s);
    CHECK("cleared: no refusal", store_refused(s) == NULL);
    CHECK("a read records none",
          store_query(s, "SELECT 1", NULL, 0, NULL, NULL) == BF_OK && !store_refused(s));
}

/* The core's entry point writes under the same connection, and the
 * plugin's guard is still read-only afterwards. */
UNIT_CASE(core_entry_point)
{
    CHECK("the core's INSERT runs",
          store_core_exec(s, "INSERT INTO t VALUES (1)", NULL, 0) == BF_OK && rows_of(s) == 1);
    CHECK("the core's statement records no refusal", store_refused(s) == NULL);
    CHECK("the plugin's same INSERT is still refused (not the core's kept statement)",
          store_exec(s, "INSERT INTO t VALUES (1)", NULL, 0) == BF_ERROR_STORE && rows_of(s) == 1);
    CHECK("and recorded", store_refused(s) != NULL);
    store_clear_refused(s);
}

/* prepare's guard, set and set back: read-only again afterwards. */
UNIT_CASE(guard_back_to_read)
{
    store_guard(s, STORE_GUARD_PREPARE, "made");
    CHECK("under prepare's guard: its output table is created",
          store_exec(s, "CREATE TABLE made (x INTEGER)", NULL, 0) == BF_OK);
    store_guard(s, STORE_GUARD_READ, NULL);
    CHECK("back under the default: a write into it is refused",
          store_exec(s, "INSERT INTO made VALUES (1)", NULL, 0) == BF_ERROR_STORE);
}
/* A store of one table t, opened read-write. */
UNIT_CASE(open_store)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/store.db", dir);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "CREATE TABLE t (x INTEGER)", NULL, NULL, NULL);
    sqlite3_close(db);
    snprintf(conf, sizeof conf, "%s/backfill.conf", dir);
    FILE *f = fopen(conf, "w");
    fputs("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
          "calendar = { table = \"t\"; date_column = \"x\"; };\n",
          f);
    fclose(f);
    char err[512];
    CHECK("config loads, store opens read-write",
          settings_load(conf, &cfg, err, sizeof err) == 0 &&
              store_open(cfg.store_conf, STORE_READ_WRITE, &s, err, sizeof err) == BF_OK);
}

UNIT_CASE(close_store)
{
    store_close(s);
    settings_free(&cfg);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
    unlink(conf);
    rmdir(dir);
}

UNIT_MAIN(19, UNIT(open_store), UNIT(fresh_connection_denies), UNIT(refusal_kept_until_cleared),
          UNIT(core_entry_point), UNIT(guard_back_to_read), UNIT(close_store))
