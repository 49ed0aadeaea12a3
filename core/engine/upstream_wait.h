/* upstream_wait.h - --wait-for-upstream: a run whose pre-flight refused it
 * waits for the late upstream instead, judging the gate again (the same
 * one grouped query per dependency) every poll until it passes, the time
 * runs out or an interrupt arrives. */
#ifndef BF_UPSTREAM_WAIT_H
#define BF_UPSTREAM_WAIT_H

#include <stdio.h>

#include "engine/job.h"
#include "state/checkpoint.h"
#include "state/events.h"

/* Called once, when the wait begins, with what it waits for
 * ("upstream 6/7, needs 7"): the run's notification. May be NULL. */
typedef void (*wait_begun_fn)(void *arg, const job *j, const char *what);

/* What a refused pre-flight waits for: each required dependency under its
 * threshold as "TABLE covered/expected, needs N" (or "TABLE (table does
 * not exist)"), joined with "; ", into out. */
void upstream_wait_what(const job *j, char *out, size_t outlen);

/* j was judged refused. Until o->wait_until (CLOCK_MONOTONIC seconds):
 * every o->poll_s seconds, one line on stderr saying what it waits for,
 * then j closed, opened and judged again (its checkpoint cp as the owner
 * of its dates). The wait is in the event log *ev (opened here when NULL):
 * "waiting" when it begins, then "upstream_ready", "wait_timed_out" or
 * "wait_interrupted". The last judgement's report goes on out.
 * Returns 0 once judged for the last time (j->pre.refused says whether it
 * passed), EXIT_INTERRUPTED on SIGINT/SIGTERM (j stays open), or another
 * exit code after one error line (j is then closed and zeroed). */
int upstream_wait(job *j, const cli_options *o, checkpoint *cp, events **ev, wait_begun_fn begun,
                  void *arg, FILE *out);

#endif
