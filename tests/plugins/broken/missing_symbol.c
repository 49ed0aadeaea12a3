/* missing_symbol - a processor that forgot to export validate_date. */
#include "backfill/plugin.h"

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "missing_symbol", .output_table = "t", .date_column = "game_date",
};

const bf_descriptor *backfill_descriptor(void) { return &descriptor; }

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
