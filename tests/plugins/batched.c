/* batched - copies upstream like copy, and computes blocks of dates in one
 * statement (process_dates). Its config section breaks a block on purpose:
 * bad_date is written twice by process_dates (one row too many, so that
 * date fails in its block, while process_date alone writes it right);
 * outside_date makes process_dates also write a row of a date outside its
 * block; block_fails makes process_dates fail; crash_after_block kills the
 * process once a block holding that date is computed (the rows staged,
 * none published); pause_date pauses the block holding it once computed:
 * it writes "ready" to the FIFO handshake_dir/ready and waits until
 * handshake_dir/go is opened and closed. Each call appends a line to log_file: "block FIRST LAST
 * N" or "date DATE". */
#include <signal.h>

#define TEST_RUN_ONLY_KEYS                                                                         \
    "bad_date, outside_date, block_fails, crash_after_block, log_file, pause_date, handshake_dir"
#include <fcntl.h>
#include <unistd.h>
#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "bad_date", .type = BF_CONFIG_STRING, .description = "doubled in its block"},
    {.name = "outside_date", .type = BF_CONFIG_STRING, .description = "a row outside the block"},
    {.name = "block_fails", .type = BF_CONFIG_INT, .description = "process_dates fails"},
    {.name = "crash_after_block", .type = BF_CONFIG_STRING, .description = "SIGKILL after it"},
    {.name = "log_file", .type = BF_CONFIG_STRING, .description = "calls appended here"},
    {.name = "pause_date", .type = BF_CONFIG_STRING, .description = "pause its block"},
    {.name = "handshake_dir", .type = BF_CONFIG_STRING, .description = "FIFOs ready and go"},
    {0},
};

TEST_PROCESSOR("batched", "copies upstream, a block at a time (test)", BF_DEFAULT_BOOTSTRAP, 1,
               UPSTREAM, keys)

static void note(bf_ctx *ctx, const char *fmt, const char *a, const char *b, size_t n)
{
    const char *path = NULL;
    if (bf_config_string(ctx, "log_file", "", &path) != BF_OK || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, fmt, a, b, n);
    fclose(f);
}

/* "ready" into DIR/ready, then wait for DIR/go to be opened and closed. */
static void pause_here(bf_ctx *ctx)
{
    const char *dir = NULL;
    char path[512];
    if (bf_config_string(ctx, "handshake_dir", "", &dir) != BF_OK)
        return;
    snprintf(path, sizeof path, "%s/ready", dir);
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
        (void)!write(fd, "ready\n", 6);
        close(fd);
    }
    snprintf(path, sizeof path, "%s/go", dir);
    fd = open(path, O_RDONLY);
    if (fd >= 0) {
        char buf[16];
        while (read(fd, buf, sizeof buf) > 0)
            ;
        close(fd);
    }
}

int process_date(bf_ctx *ctx, const char *date)
{
    note(ctx, "date %s%s\n", date, "", 0);
    return test_copy(ctx, date, -1);
}

int process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                  size_t n)
{
    const char *bad = NULL, *outside = NULL, *crash = NULL, *pause = NULL;
    int64_t fails = 0;
    if (bf_config_string(ctx, "bad_date", "", &bad) != BF_OK ||
        bf_config_string(ctx, "outside_date", "", &outside) != BF_OK ||
        bf_config_string(ctx, "crash_after_block", "", &crash) != BF_OK ||
        bf_config_string(ctx, "pause_date", "", &pause) != BF_OK ||
        bf_config_int(ctx, "block_fails", 0, &fails) != BF_OK)
        return BF_ERROR;
    note(ctx, "block %s %s %zu\n", first, last, n);
    if (fails)
        return bf_set_error(ctx, BF_TRANSIENT, "configured to fail its blocks");
    char sql[400];
    /* ClickHouse parses a date text even where no row is selected: there
     * the bad date is compared as text, and the stray row is added only
     * when asked for. */
    int ch = strcmp(bf_dialect(ctx), "clickhouse") == 0;
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT game_date, v FROM upstream WHERE game_date BETWEEN ?1 AND ?2"
             " UNION ALL SELECT game_date, 9 FROM upstream"
             " WHERE %s = ?3 AND game_date BETWEEN ?1 AND ?2 AND v = 1%s",
             bf_output_table(ctx), ch ? "toString(game_date)" : "game_date",
             !ch        ? " UNION ALL SELECT ?4, 9 WHERE ?4 <> ''"
             : *outside ? " UNION ALL SELECT toDate(?4), 9"
                        : "");
    bf_value p[4] = {BF_V_TEXT(first), BF_V_TEXT(last), BF_V_TEXT(bad), BF_V_TEXT(outside)};
    int rc = bf_exec(ctx, sql, p, ch && !*outside ? 3 : 4);
    for (size_t i = 0; rc == BF_OK && i < n; i++) {
        if (test_listed(crash, dates[i]))
            raise(SIGKILL); /* the block staged, nothing of it published */
        if (test_listed(pause, dates[i]))
            pause_here(ctx);
    }
    return rc;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
