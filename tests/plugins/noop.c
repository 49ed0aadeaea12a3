/* noop - no dependencies, writes nothing, expects nothing: measures the
 * runner alone. Not thread-safe, to exercise the one-worker fallback. */
#include "testlib.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "noop",
    .output_table = "noop",
    .date_column = "game_date",
    .description = "does nothing (test)",
    .bootstrap_days = 0,
    .thread_safe = 0,
};

const bf_descriptor *backfill_descriptor(void) { return &descriptor; }

const bf_dependency *dependencies(size_t *count)
{
    *count = 0;
    return NULL;
}

int prepare(bf_ctx *ctx) { return test_create(ctx); }

int process_date(bf_ctx *ctx, const char *date)
{
    (void)ctx;
    (void)date;
    return BF_OK;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    (void)ctx;
    (void)date;
    out->expected = 0;
    out->actual = 0;
    return BF_OK;
}
