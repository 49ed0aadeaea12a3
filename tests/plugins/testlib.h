/* testlib.h - shared by the test processors: each copies the rows of table
 * "upstream" for a date into its own output table, two rows per calendar
 * date in the tests' stores. */
#ifndef BF_TESTLIB_H
#define BF_TESTLIB_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backfill/plugin.h"

/* "extra" is optional and absent from most test stores: pre-flight must
 * warn about it, never refuse. */
static const bf_dependency upstream_dependency[] = {
    {"upstream", "game_date", BF_REQUIRED, 0.0, 0},
    {"extra", "game_date", BF_OPTIONAL, 0.0, 0},
};

#define UPSTREAM        upstream_dependency, sizeof upstream_dependency / sizeof upstream_dependency[0]
#define NO_DEPENDENCIES NULL, 0

/* Everything but process_date and validate_date: the ABI block, a
 * descriptor for processor NAME writing table NAME with its config keys
 * (an array, or NO_KEYS), its dependencies (UPSTREAM or NO_DEPENDENCIES)
 * and a prepare() creating its table. */
#define NO_KEYS NULL
/* A plugin whose config keys are test hooks (they steer a run, never the
 * rows) names them here, before including this file. */
#ifndef TEST_RUN_ONLY_KEYS
#define TEST_RUN_ONLY_KEYS NULL
#endif
#ifndef TEST_VERSION
#define TEST_VERSION NULL
#endif
#define TEST_PROCESSOR(NAME, DESCRIPTION, BOOTSTRAP, THREAD_SAFE, DEPENDENCIES, KEYS)              \
    BF_PLUGIN_MAGIC                                                                                \
    static const bf_descriptor descriptor = {                                                      \
        .name = NAME,                                                                              \
        .output_table = NAME,                                                                      \
        .date_column = "game_date",                                                                \
        .description = DESCRIPTION,                                                                \
        .bootstrap_days = BOOTSTRAP,                                                               \
        .thread_safe = THREAD_SAFE,                                                                \
        .config_keys = KEYS,                                                                       \
        .version = TEST_VERSION,                                                                   \
        .run_only_keys = TEST_RUN_ONLY_KEYS,                                                       \
    };                                                                                             \
    const bf_descriptor *backfill_descriptor(void)                                                 \
    {                                                                                              \
        return &descriptor;                                                                        \
    }                                                                                              \
    static const bf_dependency *test_dependencies(size_t *count, const bf_dependency *deps,        \
                                                  size_t n)                                        \
    {                                                                                              \
        *count = n;                                                                                \
        return deps;                                                                               \
    }                                                                                              \
    const bf_dependency *dependencies(size_t *count)                                               \
    {                                                                                              \
        return test_dependencies(count, DEPENDENCIES);                                             \
    }                                                                                              \
    int prepare(bf_ctx *ctx)                                                                       \
    {                                                                                              \
        return test_create(ctx);                                                                   \
    }

/* ClickHouse publishes a date by replacing its partition: the output is
 * partitioned by the date column. */
static inline int test_create(bf_ctx *ctx)
{
    char sql[256];
    if (strcmp(bf_dialect(ctx), "clickhouse") == 0)
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS %s (game_date Date, v Int64)"
                 " ENGINE = MergeTree PARTITION BY game_date ORDER BY v",
                 bf_output_table(ctx));
    else
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s (game_date TEXT, v INTEGER)",
                 bf_output_table(ctx));
    return bf_exec(ctx, sql, NULL, 0);
}

/* Copy up to limit (-1: all) upstream rows of date (every store takes a
 * LIMIT that is not negative). */
static inline int test_copy(bf_ctx *ctx, const char *date, int limit)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT game_date, v FROM upstream WHERE game_date = ? "
             "ORDER BY v LIMIT ?",
             bf_output_table(ctx));
    bf_value p[2] = {BF_V_TEXT(date), BF_V_INT(limit < 0 ? INT32_MAX : limit)};
    return bf_exec(ctx, sql, p, 2);
}

/* expected = upstream rows of date; actual = output rows of date. */
static inline int test_validate(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[256];
    bf_value d = BF_V_TEXT(date);
    int rc = bf_query_int(ctx, "SELECT count(*) FROM upstream WHERE game_date = ?", &d, 1,
                          &out->expected);
    if (rc != BF_OK)
        return rc;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    return bf_query_int(ctx, sql, &d, 1, &out->actual);
}

/* 1 if date is in the comma-separated list. */
static inline int test_listed(const char *list, const char *date)
{
    size_t n = strlen(date);
    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, date, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

#endif
