/* abi_v1 - the copy processor built against a copy of the first published
 * SDK header (tests/plugins/abi_v1/backfill/plugin.h, found first on the
 * include path): it must load and run in a core whose header has grown,
 * with every member appended since then read as 0. Never edit that copy;
 * this file uses only what that header offers. */
#include <stdio.h>

#include "backfill/plugin.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "abi_v1",
    .output_table = "abi_v1",
    .date_column = "game_date",
    .description = "copies upstream, built against SDK v1 (test)",
    .bootstrap_days = BF_DEFAULT_BOOTSTRAP, /* -1 in ABI 1 */
    .thread_safe = 1,
};

static const bf_dependency deps[] = {
    {"upstream", "game_date", BF_REQUIRED, 0.0},
    {"extra", "game_date", BF_OPTIONAL, 0.0},
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

const bf_dependency *dependencies(size_t *count)
{
    *count = sizeof deps / sizeof deps[0];
    return deps;
}

int prepare(bf_ctx *ctx)
{
    return bf_exec(ctx, "CREATE TABLE IF NOT EXISTS abi_v1 (game_date TEXT, v INTEGER)", NULL, 0);
}

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT game_date, v FROM upstream WHERE game_date = ?",
             bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    return bf_exec(ctx, sql, &d, 1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[256];
    bf_value d = BF_V_TEXT(date);
    int rc = bf_query_int(ctx, "SELECT count(*) FROM upstream WHERE game_date = ?", &d, 1,
                          &out->expected);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    return rc != BF_OK ? rc : bf_query_int(ctx, sql, &d, 1, &out->actual);
}
