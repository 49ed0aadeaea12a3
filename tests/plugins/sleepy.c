/* sleepy - stands for a warehouse round trip: waits sleep_ms (default 20)
 * per date, then writes one row. Used by the speed-up benchmark. */
#include <errno.h>
#include <time.h>

#define TEST_RUN_ONLY_KEYS "sleep_ms"
#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "sleep_ms",
     .type = BF_CONFIG_INT,
     .description = "wait per date",
     .int_default = 20,
     .min = 0,
     .max = 60000},
    {0},
};

TEST_PROCESSOR("sleepy", "waits like a remote query, then writes one row (test)", BF_NO_BOOTSTRAP,
               1, NO_DEPENDENCIES, keys)

int process_date(bf_ctx *ctx, const char *date)
{
    int64_t ms = 20;
    if (bf_config_int(ctx, "sleep_ms", 20, &ms) != BF_OK)
        return BF_ERROR;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?, 1)", bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    return bf_exec(ctx, sql, &d, 1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    out->expected = 1;
    return bf_query_int(ctx, sql, &d, 1, &out->actual);
}
