/* always_fails - writes its rows, then reports an error every time: the
 * rows must never become visible. */
#include "testlib.h"

TEST_PROCESSOR("always_fails", "fails every date (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM,
               NO_KEYS)

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
