/* partial_save - the incident: a write that "succeeds" with fewer rows
 * than upstream holds. By default only the first attempt of each date is
 * short; with always_partial = 1 every attempt is. */
#include <pthread.h>

#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "always_partial",
     .type = BF_CONFIG_INT,
     .description = "1: every attempt is short",
     .min = 0,
     .max = 1},
    {0},
};

TEST_PROCESSOR("partial_save", "saves one row short on a first attempt (test)",
               BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM, keys)

/* Dates attempted so far in this process, for "first attempt". */
#define SEEN_MAX 20000
static char seen[SEEN_MAX][11];
static int nseen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static int first_attempt(const char *date)
{
    pthread_mutex_lock(&seen_lock);
    int first = 1;
    for (int i = 0; i < nseen && first; i++)
        first = strcmp(seen[i], date) != 0;
    if (first && nseen < SEEN_MAX)
        snprintf(seen[nseen++], sizeof seen[0], "%s", date);
    pthread_mutex_unlock(&seen_lock);
    return first;
}

int process_date(bf_ctx *ctx, const char *date)
{
    int64_t always = 0;
    if (bf_config_int(ctx, "always_partial", 0, &always) != BF_OK)
        return BF_ERROR;
    int short_write = first_attempt(date) || always;
    return test_copy(ctx, date, short_write ? 1 : -1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
