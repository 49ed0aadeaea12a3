/* test_judge_cache.c - a judge_cache shared by threads (judge_cache.h), over
 * real SQLite files: a thread reading one table into it never makes a
 * thread asking for another table wait.
 *
 * The world: raw.db holds raw (a row on 2024-01-01), other.db holds extra
 * (a row on 2024-01-02), both rollback-journal files, each read through a
 * store of its own as the threads of a pipeline or a judge_pool do. */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/judge_cache.h"
#include "engine/settings.h"
#include "stores/store.h"
#include "unit.h"

static char dir[64];

/* dir/name, made by sql. */
static void database(const char *name, const char *sql)
{
    char path[192];
    sqlite3 *db;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sqlite3_open(path, &db);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        printf("# %s: %s\n", name, sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* A read-only store of dir/name; its statements traced into trace if not
 * NULL. NULL if it cannot be opened. */
static store *open_store(const char *name, const char *trace)
{
    char conf[192], err[512];
    snprintf(conf, sizeof conf, "%s/%s.conf", dir, name);
    FILE *f = fopen(conf, "w");
    fprintf(f,
            "store = { driver = \"sqlite\"; path = \"%s\"; timeout_s = 60; };\n"
            "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"
            "state_dir = \"state\";\n",
            name);
    fclose(f);
    bf_config cfg;
    store *s = NULL;
    if (trace)
        setenv("BACKFILL_SQL_TRACE", trace, 1);
    if (settings_load(conf, &cfg, err, sizeof err) != 0)
        printf("# %s\n", err);
    else if (store_open(cfg.store_conf, STORE_READ_ONLY, &s, err, sizeof err) != BF_OK)
        printf("# %s\n", err), settings_free(&cfg);
    else
        settings_free(&cfg);
    unsetenv("BACKFILL_SQL_TRACE");
    return s;
}

/* One raw table's rows per date of 2024-01-01..14 through the shared
 * cache. */
typedef struct asker {
    store *s;
    judge_cache *c;
    const char *table;
    day_facts days[14];
    int rc;
    char err[256];
} asker;

static void *ask(void *arg)
{
    asker *a = arg;
    char why[64];
    table_facts t = {.table = (char *)a->table, .ndays = 14, .days = a->days};
    date_parse("2024-01-01", &t.first, why, sizeof why);
    a->rc = judge_count_rows(a->s, a->c, &t, "game_date", a->err, sizeof a->err);
    return NULL;
}

/* The first asker is held inside its query (its database locked by
 * another connection; its first statement seen on a FIFO) while the
 * second asks for another table. The second must finish while the lock is
 * held, and the first still read its table once the lock is let go: had
 * the second waited for the cache until the first gave up (timeout_s),
 * the first would have failed. */
UNIT_CASE(other_table_does_not_wait)
{
    snprintf(dir, sizeof dir, "/tmp/bf-unit-cache.XXXXXX");
    if (!mkdtemp(dir))
        printf("# mkdtemp failed\n");
    database("raw.db", "CREATE TABLE raw (game_date TEXT); INSERT INTO raw VALUES ('2024-01-01');");
    database("other.db",
             "CREATE TABLE extra (game_date TEXT); INSERT INTO extra VALUES ('2024-01-02');");
    char path[192], fifo[192], line[512];
    snprintf(fifo, sizeof fifo, "%s/trace", dir);
    int rd = mkfifo(fifo, 0600) == 0 ? open(fifo, O_RDONLY | O_NONBLOCK) : -1;
    judge_cache *c = judge_cache_new_raw(0);
    asker first = {.s = open_store("raw.db", fifo), .c = c, .table = "raw"};
    asker second = {.s = open_store("other.db", NULL), .c = c, .table = "extra"};
    if (rd >= 0)
        fcntl(rd, F_SETFL, 0); /* a read waits for first's next statement */
    sqlite3 *db;
    snprintf(path, sizeof path, "%s/raw.db", dir);
    sqlite3_open(path, &db); /* a rollback journal: this lock stops readers */
    int locked = sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK;
    pthread_t tid;
    int ok = c && rd >= 0 && first.s && second.s && locked &&
             pthread_create(&tid, NULL, ask, &first) == 0;
    ssize_t n = ok ? read(rd, line, sizeof line - 1) : -1; /* first is in its query */
    if (ok)
        ask(&second);
    CHECK("another table is read while the first is held in its query",
          ok && n > 0 && second.rc == 0);
    CHECK("with its counts", second.days[1].rows == 1 && second.days[0].rows == 0);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    if (ok)
        pthread_join(tid, NULL);
    CHECK("the first was still in its query: it reads its table once the lock goes",
          first.rc == 0 && first.days[0].rows == 1 && first.days[1].rows == 0);
    if (rd >= 0)
        close(rd);
    store_close(first.s);
    store_close(second.s);
    judge_cache_free(c);
    snprintf(path, sizeof path, "rm -rf %s", dir);
    if (system(path) != 0)
        printf("# could not remove %s\n", dir);
}

UNIT_MAIN(3, UNIT(other_table_does_not_wait))
