/* greedy - its prepare() creates a table besides its output table, which
 * the store must refuse: prepare may only create the output table and
 * indexes on it. */
#include "testlib.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "greedy",
    .output_table = "greedy",
    .date_column = "game_date",
    .description = "creates more than its table in prepare (test)",
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

const bf_dependency *dependencies(size_t *count)
{
    *count = 1;
    return upstream_dependency;
}

int prepare(bf_ctx *ctx)
{
    int rc = test_create(ctx);
    if (rc == BF_OK)
        rc = bf_exec(ctx, "CREATE INDEX IF NOT EXISTS greedy_date ON greedy (game_date)", NULL, 0);
    if (rc == BF_OK)
        rc = bf_exec(ctx, "CREATE TABLE IF NOT EXISTS greedy_side (x INTEGER)", NULL, 0);
    return rc;
}

int process_date(bf_ctx *ctx, const char *date)
{
    return test_copy(ctx, date, -1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
