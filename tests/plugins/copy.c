/* copy - a healthy processor: copies upstream rows. Its config section can
 * make chosen dates fail (fail_dates), kill the process mid-date
 * (crash_date), standing in for a bug and for a power cut, write a stray
 * row dated stray_date as well, or pause on handshake_date (a list): it
 * writes "ready DATE" to the FIFO handshake_dir/ready, then waits until
 * handshake_dir/go-DATE (if the test made it, else handshake_dir/go) is
 * opened and closed by the test, which so acts while the date is in flight
 * without any sleep. A worker thread that paused writes "exit DATE" to
 * handshake_dir/ready when it ends, if the test is reading it then.
 * handshake_after pauses the same way once the date's rows are copied. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define TEST_RUN_ONLY_KEYS                                                                         \
    "fail_dates, crash_date, stray_date, handshake_date, handshake_after, handshake_dir"
#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "fail_dates", .type = BF_CONFIG_STRING, .description = "dates that fail"},
    {.name = "crash_date", .type = BF_CONFIG_STRING, .description = "SIGKILL mid-date"},
    {.name = "stray_date", .type = BF_CONFIG_STRING, .description = "also write a row dated so"},
    {.name = "handshake_date", .type = BF_CONFIG_STRING, .description = "pause on these dates"},
    {.name = "handshake_after", .type = BF_CONFIG_STRING, .description = "pause after copying"},
    {.name = "handshake_dir", .type = BF_CONFIG_STRING, .description = "FIFOs ready and go"},
    {0},
};

TEST_PROCESSOR("copy", "copies upstream (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM, keys)

static void say(const char *path, int flags, const char *what, const char *date)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s %s\n", what, date);
    int fd = open(path, O_WRONLY | flags);
    if (fd >= 0) {
        (void)!write(fd, line, (size_t)n);
        close(fd);
    }
}

/* Thread-exit notice: the key's destructor runs when the worker thread
 * ends, which is after the core recorded the outcome of its last date. */
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static void say_exit(void *arg)
{
    char *notice = arg; /* "PATH\0DATE" */
    say(notice, O_NONBLOCK, "exit", notice + strlen(notice) + 1);
    free(notice);
}

static void make_exit_key(void)
{
    (void)!pthread_key_create(&exit_key, say_exit);
}

static void handshake(const char *dir, const char *date)
{
    char path[512];
    snprintf(path, sizeof path, "%s/ready", dir);
    pthread_once(&exit_once, make_exit_key);
    char *notice = malloc(strlen(path) + strlen(date) + 2);
    if (notice) {
        strcpy(notice, path);
        strcpy(notice + strlen(path) + 1, date);
        free(pthread_getspecific(exit_key));
        pthread_setspecific(exit_key, notice);
    }
    say(path, 0, "ready", date);
    snprintf(path, sizeof path, "%s/go-%s", dir, date);
    if (access(path, F_OK) != 0)
        snprintf(path, sizeof path, "%s/go", dir);
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        char buf[64];
        while (read(fd, buf, sizeof buf) > 0)
            ;
        close(fd);
    }
}

int process_date(bf_ctx *ctx, const char *date)
{
    const char *fail = NULL, *crash = NULL, *stray = NULL;
    if (bf_config_string(ctx, "fail_dates", "", &fail) != BF_OK ||
        bf_config_string(ctx, "crash_date", "", &crash) != BF_OK ||
        bf_config_string(ctx, "stray_date", "", &stray) != BF_OK)
        return BF_ERROR;
    const char *hs_date = NULL, *hs_after = NULL, *hs_dir = NULL;
    if (bf_config_string(ctx, "handshake_date", "", &hs_date) != BF_OK ||
        bf_config_string(ctx, "handshake_after", "", &hs_after) != BF_OK ||
        bf_config_string(ctx, "handshake_dir", "", &hs_dir) != BF_OK)
        return BF_ERROR;
    if (test_listed(hs_date, date))
        handshake(hs_dir, date);
    if (test_listed(fail, date)) {
        bf_log(ctx, BF_LOG_ERROR, "configured to fail");
        return BF_ERROR;
    }
    int rc = test_copy(ctx, date, -1);
    if (rc == BF_OK && *stray) {
        char sql[256];
        snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?, 7)", bf_output_table(ctx));
        bf_value d = BF_V_TEXT(stray);
        rc = bf_exec(ctx, sql, &d, 1);
    }
    if (rc == BF_OK && test_listed(hs_after, date))
        handshake(hs_dir, date);
    if (rc == BF_OK && test_listed(crash, date))
        raise(SIGKILL); /* rows written, transaction open: the worst moment */
    return rc;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
