/* notify.h - a JSON summary POSTed to notify.webhook_url when a run or a
 * pipeline ends in one of the events it subscribes to (config.h). A webhook
 * that is down, slow or failing never changes the command's result and
 * costs at most notify.timeout_ms: the delivery is retried with backoff
 * inside that budget, then given up with one line on stderr. Header values
 * read from files (tokens) are never printed. */
#ifndef BF_NOTIFY_H
#define BF_NOTIFY_H

#include <jansson.h>

#include "config/config.h"
#include "engine/run.h"
#include "report/report.h"

/* The events of a command that exited with exit_code and found nstale
 * stale dates (enum notify_event bits). */
unsigned notify_events(int exit_code, size_t nstale);

/* Post summary (a reference is stolen) if cfg->notify subscribes to any of
 * events; adds "event", "events", "host" to it. Returns 0 if posted or
 * nothing was due, -1 if the webhook was not reached in time (said on
 * stderr). Call from one thread at a time. */
int notify_send(const bf_config *cfg, unsigned events, json_t *summary);

/* At the end of `run`: processor, range, counts per status, failed dates
 * (at most RUN_FAILED_SHOWN, with the total), duration, exit code and a
 * command re-running what needs it. Never changes the run's result. */
int notify_run(const invocation *o, const bf_config *cfg, const char *processor,
               const run_result *res);

/* At the end of `pipeline`: the same per processor (names[i], res[i]),
 * the counts summed, and the pipeline's exit code and duration. */
int notify_pipeline(const invocation *o, const char *targets, const bf_config *cfg,
                    const char *const *names, const run_result *const *res, size_t n, int exit_code,
                    double wall_s);

#endif
