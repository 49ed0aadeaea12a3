/* bad_check - a processor declaring a quality check of no known kind. */
#include "backfill/plugin.h"

BF_PLUGIN_MAGIC

static const bf_check checks[] = {
    {.name = "fine", .kind = BF_CHECK_NOT_NULL, .column = "v"},
    {.name = "median_ok", .kind = 42, .column = "v"},
    {0},
};

static const bf_descriptor descriptor = {
    .name = "bad_check",
    .output_table = "bad_check",
    .date_column = "game_date",
    .checks = checks,
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

const bf_dependency *dependencies(size_t *count)
{
    *count = 0;
    return NULL;
}

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
    out->expected = out->actual = 0;
    return BF_OK;
}
