/* always_fails - writes its rows, then reports an error every time: the
 * rows must never become visible. */
#include "testlib.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "always_fails",
    .output_table = "always_fails",
    .date_column = "game_date",
    .description = "fails every date (test)",
    .bootstrap_days = BF_DEFAULT_BOOTSTRAP,
    .thread_safe = 1,
};

const bf_descriptor *backfill_descriptor(void) { return &descriptor; }

const bf_dependency *dependencies(size_t *count)
{
    *count = sizeof upstream_dependency / sizeof upstream_dependency[0];
    return upstream_dependency;
}

int prepare(bf_ctx *ctx) { return test_create(ctx); }

int process_date(bf_ctx *ctx, const char *date)
{
    if (test_copy(ctx, date, -1) != BF_OK)
        return BF_ERROR;
    bf_log(ctx, BF_LOG_ERROR, "simulated failure after writing");
    return BF_ERROR;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
