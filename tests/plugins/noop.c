/* noop - no dependencies, writes nothing, expects nothing: measures the
 * runner alone. Not thread-safe, to exercise the one-worker fallback. */
#include "testlib.h"

TEST_PROCESSOR("noop", "does nothing (test)", BF_NO_BOOTSTRAP, 0, NO_DEPENDENCIES, NO_KEYS)

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
