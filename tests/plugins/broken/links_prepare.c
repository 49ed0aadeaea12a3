/* links_prepare - a valid processor without prepare() that links
 * lib/libprepare_helper.so, which exports an unrelated prepare(). */
#include "backfill/plugin.h"

int helper_rows(void);

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "links_prepare",
    .output_table = "links_prepare",
    .date_column = "game_date",
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
    out->expected = out->actual = helper_rows();
    return BF_OK;
}
