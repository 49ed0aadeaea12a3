/* sly - its prepare() creates its output table, then tries a table beside
 * it and ignores the refusal: the run must fail all the same. */
#include "testlib.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "sly",
    .output_table = "sly",
    .date_column = "game_date",
    .description = "ignores a refused statement in prepare (test)",
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
    bf_exec(ctx, "CREATE TABLE IF NOT EXISTS sly_side (x INTEGER)", NULL, 0);
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
