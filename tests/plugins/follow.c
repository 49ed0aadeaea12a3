/* follow - reads what copy wrote: a processor downstream of another, for
 * the pipeline tests (its dates wait for copy's). */
#include "testlib.h"

static const bf_dependency reads_copy[] = {{"copy", "game_date", BF_REQUIRED, 0.0, 0}};
#define FROM_COPY reads_copy, 1

TEST_PROCESSOR("follow", "copies what copy wrote (test)", BF_DEFAULT_BOOTSTRAP, 1, FROM_COPY,
               NO_KEYS)

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO %s SELECT game_date, v FROM copy WHERE game_date = ?",
             bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    return bf_exec(ctx, sql, &d, 1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[256];
    bf_value d = BF_V_TEXT(date);
    int rc =
        bf_query_int(ctx, "SELECT count(*) FROM copy WHERE game_date = ?", &d, 1, &out->expected);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    return rc != BF_OK ? rc : bf_query_int(ctx, sql, &d, 1, &out->actual);
}
