/* hooks - per-worker state through worker_init/worker_fini and
 * bf_user_data: each worker counts the dates it wrote and says so when it
 * ends, so the test can sum them. Also reads rows through bf_query. */
#include <stdlib.h>

#include "testlib.h"

TEST_PROCESSOR("hooks", "per-worker state (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM, NO_KEYS)

typedef struct tally {
    int dates;
    int64_t sum;
} tally;

int worker_init(bf_ctx *ctx, void **user)
{
    tally *t = calloc(1, sizeof *t);
    if (!t)
        return bf_set_error(ctx, BF_PERMANENT, "out of memory");
    *user = t;
    bf_log(ctx, BF_LOG_WARN, "worker_init");
    return BF_OK;
}

void worker_fini(bf_ctx *ctx, void *user)
{
    tally *t = user;
    bf_log(ctx, BF_LOG_WARN, "worker_fini: %d dates, sum %lld", t->dates, (long long)t->sum);
    free(t);
}

static int add_row(void *udata, int ncols, const bf_value *values)
{
    tally *t = udata;
    if (ncols == 2 && values[0].type == BF_TEXT && values[1].type == BF_INT)
        t->sum += values[1].v.i;
    return 0;
}

int process_date(bf_ctx *ctx, const char *date)
{
    tally *t = bf_user_data(ctx);
    bf_value d = BF_V_TEXT(date);
    if (!t || !BF_API_HAS(ctx, user_data))
        return bf_set_error(ctx, BF_PERMANENT, "no per-worker state");
    t->dates++;
    if (bf_query(ctx, "SELECT game_date, v FROM upstream WHERE game_date = ?", &d, 1, add_row, t) !=
        BF_OK)
        return BF_ERROR;
    return test_copy(ctx, date, -1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
