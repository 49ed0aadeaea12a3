/* abi_v1 - the copy processor built against a copy of the first published
 * SDK header (tests/plugins/abi_v1/backfill/plugin.h, found first on the
 * include path): it must load and run in a core whose header has grown,
 * with every member appended since then read as 0. Never edit that copy. */
#include "../testlib.h"

TEST_PROCESSOR("abi_v1", "copies upstream, built against SDK v1 (test)", BF_DEFAULT_BOOTSTRAP, 1,
               UPSTREAM)

int process_date(bf_ctx *ctx, const char *date)
{
    return test_copy(ctx, date, -1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
