/* upstream_wait.h - --wait-for-upstream: a run whose pre-flight refused it
 * waits for the late upstream instead, judging the gate again (the same
 * one grouped query per dependency) every poll until it passes, the time
 * runs out or an interrupt arrives. It prints nothing: the run's hooks
 * are told each poll, the result says how the wait ended. */
#ifndef BF_UPSTREAM_WAIT_H
#define BF_UPSTREAM_WAIT_H

#include "engine/run.h"
#include "state/checkpoint.h"
#include "state/events.h"

/* What a refused pre-flight waits for: each required dependency under its
 * threshold as "TABLE covered/expected, needs N" (or "TABLE (table does
 * not exist)"), joined with "; ", into out. */
void upstream_wait_what(const job *j, char *out, size_t outlen);

/* j was judged refused. Until rq->wait_until (CLOCK_MONOTONIC seconds):
 * every rq->poll_s seconds rq->hooks.waiting is told what it waits for,
 * then j is closed, opened and judged again (cp as the owner of its
 * dates). The wait is in the event log *ev (opened here when NULL):
 * "waiting" when it begins, then "upstream_ready", "wait_timed_out" or
 * "wait_interrupted"; res->waited_s, wait_end and waiting_for say the
 * same. Returns 0 once judged for the last time (j->pre.refused says
 * whether it passed), EXIT_INTERRUPTED on SIGINT/SIGTERM, or another exit
 * code with res->error set (j is then closed and zeroed). */
int upstream_wait(job *j, const run_request *rq, checkpoint *cp, events **ev, run_result *res);

#endif
