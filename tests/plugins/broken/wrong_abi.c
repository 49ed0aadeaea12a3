/* wrong_abi - a processor built against a future ABI version. */
#include "backfill/plugin.h"

const bf_magic *backfill_magic(void)
{
    static const bf_magic magic = {sizeof(bf_magic),      BF_ABI_VERSION + 1,
                                   sizeof(bf_descriptor), sizeof(bf_dependency),
                                   sizeof(bf_validation), sizeof(bf_check)};
    return &magic;
}

static const bf_descriptor descriptor = {
    .name = "wrong_abi",
    .output_table = "t",
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
    (void)out;
    return BF_OK;
}
