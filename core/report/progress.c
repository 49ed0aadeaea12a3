/* progress.c - done/total, failures, rate and ETA. */
#include "report/progress.h"

#include "base/clock.h"

#include <stdio.h>
#include <unistd.h>

#define TTY_REFRESH_S 0.1
#define PLAIN_EVERY_S 30.0

void progress_init(progress *pg, size_t total, int enabled)
{
    pg->enabled = enabled && total > 0;
    pg->tty = isatty(STDERR_FILENO);
    pg->total = total;
    pg->start = pg->last_print = clock_now_s();
    pg->last_tenth = 0;
    pg->est_s_per_date = 0;
}

void progress_update(progress *pg, size_t done, size_t failed, size_t blocked)
{
    if (!pg->enabled)
        return;
    double t = clock_now_s();
    size_t tenth = done * 10 / pg->total;
    int due = pg->tty ? t - pg->last_print >= TTY_REFRESH_S || done == pg->total
                      : tenth > pg->last_tenth || t - pg->last_print >= PLAIN_EVERY_S;
    if (!due)
        return;
    double elapsed = t - pg->start, rate = elapsed > 0 ? done / elapsed : 0;
    double eta = rate > 0 ? (pg->total - done) / rate : 0;
    if (done < PROGRESS_WARM && pg->est_s_per_date > 0)
        eta = (double)(pg->total - done) * pg->est_s_per_date;
    char line[256];
    int n = snprintf(line, sizeof line,
                     "%zu/%zu dates (%zu%%)  failed %zu  blocked %zu  %.1f dates/s  ETA %d:%02d",
                     done, pg->total, done * 100 / pg->total, failed, blocked, rate, (int)eta / 60,
                     (int)eta % 60);
    if (pg->tty)
        fprintf(stderr, "\r%.*s\033[K", n, line);
    else
        fprintf(stderr, "progress: %.*s\n", n, line);
    pg->last_print = t;
    pg->last_tenth = tenth;
}

void progress_end(progress *pg)
{
    if (pg->enabled && pg->tty)
        fputs("\r\033[K", stderr);
}
