/* scale_node - one processor file that serves every processor of the
 * generated scale graph (tests/bench/scale.sh). The benchmark copies it to
 * NAME.so once per processor; a copy takes its name from its own file name
 * and its dependencies from NAME.deps beside it, one "TABLE LOOKBACK_DAYS"
 * line each (at most 8). It writes one row per date, so that downstream
 * processors see the date as held, and expects exactly that row: the core's
 * own work (judge, audit, publish, checkpoint) is nearly all a date costs.
 * With "sql" as a line of its own in NAME.deps it also reads its first
 * dependency's window (a count over an indexed range) to compute its row.
 * BF_SCALE_KILL=NAME:DATE in the environment kills the process (SIGKILL)
 * when processor NAME has written DATE's row: a crash in mid-pipeline. */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backfill/plugin.h"

#define MAX_DEPS 8

BF_PLUGIN_MAGIC

static char node_name[128];
static char dep_tables[MAX_DEPS][128];
static bf_dependency deps[MAX_DEPS];
static size_t ndeps;
static int reads_sql;

static bf_descriptor descriptor = {
    .name = node_name,
    .output_table = node_name,
    .date_column = "game_date",
    .description = "scale benchmark node: one row per date",
    .bootstrap_days = BF_NO_BOOTSTRAP,
    .thread_safe = 1,
    .version = "1",
};

/* The file this copy was loaded from, without directory and ".so"; its
 * NAME.deps read into deps. Called once, on the loading thread. */
static void identify(void)
{
    Dl_info info;
    if (node_name[0] || !dladdr((void *)&descriptor, &info) || !info.dli_fname)
        return;
    const char *base = strrchr(info.dli_fname, '/');
    base = base ? base + 1 : info.dli_fname;
    size_t n = strlen(base);
    if (n < 4 || n - 3 >= sizeof node_name)
        return;
    memcpy(node_name, base, n - 3);
    char path[4096];
    snprintf(path, sizeof path, "%.*s.deps", (int)(strlen(info.dli_fname) - 3), info.dli_fname);
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f) && ndeps < MAX_DEPS) {
        int lookback = 0;
        if (strncmp(line, "sql", 3) == 0) {
            reads_sql = 1;
            continue;
        }
        if (sscanf(line, "%127s %d", dep_tables[ndeps], &lookback) < 1)
            continue;
        deps[ndeps] = (bf_dependency){dep_tables[ndeps], "game_date", BF_REQUIRED, 0.0, lookback};
        ndeps++;
    }
    if (f)
        fclose(f);
}

const bf_descriptor *backfill_descriptor(void)
{
    identify();
    return &descriptor;
}

const bf_dependency *dependencies(size_t *count)
{
    identify();
    *count = ndeps;
    return deps;
}

int prepare(bf_ctx *ctx)
{
    char sql[512];
    snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s (game_date TEXT, v INTEGER)",
             bf_output_table(ctx));
    int rc = bf_exec(ctx, sql, NULL, 0);
    snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s_date ON %s (game_date)",
             bf_output_table(ctx), bf_output_table(ctx));
    return rc == BF_OK ? bf_exec(ctx, sql, NULL, 0) : rc;
}

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[512];
    bf_value d = BF_V_TEXT(date);
    if (reads_sql && ndeps > 0) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s SELECT ?1, count(*) FROM %s WHERE game_date BETWEEN "
                 "date(?1, '-%d days') AND ?1",
                 bf_output_table(ctx), deps[0].table, deps[0].lookback_days);
    } else {
        snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?1, 1)", bf_output_table(ctx));
    }
    int rc = bf_exec(ctx, sql, &d, 1);
    const char *kill_at = getenv("BF_SCALE_KILL");
    size_t n = strlen(node_name);
    if (rc == BF_OK && kill_at && strncmp(kill_at, node_name, n) == 0 && kill_at[n] == ':' &&
        strcmp(kill_at + n + 1, date) == 0)
        raise(SIGKILL); /* the row written, its transaction open */
    return rc;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[512];
    bf_value d = BF_V_TEXT(date);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?1", bf_output_table(ctx));
    out->expected = 1;
    return bf_query_int(ctx, sql, &d, 1, &out->actual);
}
