/* runs_active.h - the runs in progress in a state_dir, read from the files
 * the runs keep: each processor's lock (held by flock while a run lives,
 * naming its holder) and that run's event log. Reads only; takes no lock,
 * so looking never makes a starting run fail. */
#ifndef BF_RUNS_ACTIVE_H
#define BF_RUNS_ACTIVE_H

#include <stddef.h>

typedef struct active_run {
    char processor[128];
    char holder[256]; /* the lock's holder line: "pid P on HOST since T" */
    long pid;         /* from the holder line, 0 if unknown */
    char host[128], since[32];
    char first[16], last[16]; /* the run's range, "" until it started */
    long dates, to_run;       /* calendar dates of the range; dates to run; -1 unknown */
    long done, failed;        /* dates finished (published or failed), failed */
    char state[32];           /* "starting", "waiting", "running" */
    char waiting_for[256];    /* when waiting for upstream */
    char log[2400];           /* the event log, "" if none yet */
} active_run;

/* Every run holding a lock in state_dir now, by processor name, into a
 * malloc'd array (*out, *n; free()). A lock file whose flock nobody holds
 * is a finished run and is left out. Counts come from the event log as far
 * as it is on disk (it lags the checkpoint by at most one interval).
 * Returns 0, or -1 with one line in err (state_dir unreadable: a missing
 * state_dir is no runs). Linux: the flocks are read from /proc/locks. */
int runs_active(const char *state_dir, active_run **out, size_t *n, char *err, size_t errlen);

#endif
