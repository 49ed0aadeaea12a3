/* progress.h - how far a run is, on stderr: one self-updating line on a
 * terminal, a plain line every 10 % or 30 s otherwise. */
#ifndef BF_PROGRESS_H
#define BF_PROGRESS_H

#include <stddef.h>

typedef struct progress {
    int enabled, tty;
    size_t total;
    double start, last_print;
    size_t last_tenth;
    double est_s_per_date; /* from recorded durations, 0 if none: the ETA
                              until PROGRESS_WARM dates finished */
} progress;

#define PROGRESS_WARM 10

/* total: dates to run. enabled = 0 silences it (--no-progress, -q). */
void progress_init(progress *pg, size_t total, int enabled);
/* Called (under the caller's lock) after each finished date. */
void progress_update(progress *pg, size_t done, size_t failed, size_t blocked);
/* Clear the terminal line before the summary. */
void progress_end(progress *pg);

#endif
