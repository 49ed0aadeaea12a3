/* wrong_abi - a processor built against a future ABI version; or, built
 * with -DDESCRIPTOR_SIZE=N, one whose ABI block claims a bf_descriptor of N
 * bytes: larger than the core's (a newer SDK) or smaller than the first
 * published one (corrupt). */
#include "backfill/plugin.h"

#ifdef DESCRIPTOR_SIZE
#define ABI_VERSION BF_ABI_VERSION
#else
#define ABI_VERSION     (BF_ABI_VERSION + 1)
#define DESCRIPTOR_SIZE sizeof(bf_descriptor)
#endif

const bf_magic *backfill_magic(void)
{
    static const bf_magic magic = {sizeof(bf_magic), ABI_VERSION, DESCRIPTOR_SIZE,
                                   sizeof(bf_dependency), sizeof(bf_validation), sizeof(bf_check)};
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
