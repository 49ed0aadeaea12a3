/* run_history.h - what a processor's dates took across its recent runs:
 * the duration of every date published, read from the event logs the runs
 * left in state_dir/runs (their date_committed events), newest run first,
 * bounded. Reads only. */
#ifndef BF_RUN_HISTORY_H
#define BF_RUN_HISTORY_H

#include <stddef.h>

/* At most this many runs (those that published a date) are read, and at
 * most RUN_HISTORY_LOGS logs looked at. */
#define RUN_HISTORY_RUNS 10
#define RUN_HISTORY_LOGS 50

typedef struct run_history {
    double *ms;  /* owned: one duration per date published, in no set order */
    size_t n;    /* durations */
    size_t runs; /* runs they come from */
} run_history;

/* processor's history in state_dir into *h (empty when there is none: no
 * logs, or none publishing). A log that cannot be read, or a line that is
 * not JSON (a log cut short), is passed over. Returns 0, or -1 out of
 * memory (*h then empty). */
int run_history_read(const char *state_dir, const char *processor, run_history *h);
void run_history_free(run_history *h);

#endif
