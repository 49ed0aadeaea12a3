/* follow - reads what copy wrote: a processor downstream of another, for
 * the pipeline tests (its dates wait for copy's). With handshake_date (a
 * list) it pauses at the start of those dates, before it reads anything:
 * it writes "ready DATE" to the FIFO handshake_dir/ready, then waits until
 * the test opens and closes handshake_dir/go. */
#include <fcntl.h>
#include <unistd.h>

#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "handshake_date", .type = BF_CONFIG_STRING, .description = "pause on these dates"},
    {.name = "handshake_dir", .type = BF_CONFIG_STRING, .description = "FIFOs ready and go"},
    {0},
};

static const bf_dependency reads_copy[] = {{"copy", "game_date", BF_REQUIRED, 0.0, 0}};
#define FROM_COPY reads_copy, 1

TEST_PROCESSOR("follow", "copies what copy wrote (test)", BF_DEFAULT_BOOTSTRAP, 1, FROM_COPY, keys)

static void handshake(const char *dir, const char *date)
{
    char path[512], line[64];
    int n = snprintf(line, sizeof line, "ready %s\n", date);
    snprintf(path, sizeof path, "%s/ready", dir);
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
        (void)!write(fd, line, (size_t)n);
        close(fd);
    }
    snprintf(path, sizeof path, "%s/go", dir);
    fd = open(path, O_RDONLY);
    if (fd >= 0) {
        while (read(fd, line, sizeof line) > 0)
            ;
        close(fd);
    }
}

int process_date(bf_ctx *ctx, const char *date)
{
    const char *hs_date = NULL, *hs_dir = NULL;
    if (bf_config_string(ctx, "handshake_date", "", &hs_date) != BF_OK ||
        bf_config_string(ctx, "handshake_dir", "", &hs_dir) != BF_OK)
        return BF_ERROR;
    if (test_listed(hs_date, date))
        handshake(hs_dir, date);
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
