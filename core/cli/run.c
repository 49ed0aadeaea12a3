/* run.c - the `run` command: one processor over its dates, told on stdout
 * (stderr under --json, whose document goes to stdout), then the webhook. */
#include "cli/cli.h"

#include "base/log.h"
#include "engine/range_verdict.h"
#include "engine/run.h"
#include "report/notify.h"
#include "report/range_quality.h"
#include "report/run_text.h"

run_request cli_run_request(const cli_options *o)
{
    return (run_request){
        .processor = o->processor,
        .dates = cli_dates(o),
        .workers = o->workers,
        .retries = o->retries,
        .batch = o->batch,
        .max_failures = o->max_failures,
        .max_failure_rate = o->max_failure_rate,
        .skip_preflight = o->skip_preflight,
        .keep_going = o->keep_going,
        .no_resume = o->no_resume,
        .no_stale = o->no_stale,
        .keep_outdated = o->keep_outdated,
        .dry_run = o->dry_run,
        .reverse = o->reverse,
        .purge_orphans = o->purge_orphans,
        .reason = o->reason,
        .command_line = o->command_line,
        .wait_s = o->wait_s,
        .wait_until = o->wait_until,
        /* Every minute by default, never past the wait. */
        .poll_s = o->poll_s        ? o->poll_s
                  : o->wait_s < 60 ? (int)o->wait_s
                                   : 60,
    };
}

/* After the dates: the processor's range checks over the range as now
 * published. A failing one makes the run exit 1 (the range does not pass
 * its gate); its dates stay published, since each passed its own checks.
 * Returns rc, or EXIT_DATES_FAILED. */
static int range_after_run(FILE *out, const run_result *res, const bf_config *cfg, int rc)
{
    json_t *verdicts = NULL;
    char err[1024];
    if ((rc != EXIT_DONE && rc != EXIT_DATES_FAILED) || !res->job || res->refused)
        return rc;
    int failing =
        range_verdict(cfg, &res->job->p, NULL, &res->job->plan, &verdicts, err, sizeof err);
    if (failing < 0)
        fprintf(out, "range checks not measured: %s\n", err);
    else if (failing > 0) {
        range_quality_failures(out, verdicts);
        fprintf(out,
                "range quality: %d of %zu range checks fail over the published dates; they "
                "stay published (`backfill verify --quality %s DATES` shows every group)\n",
                failing, json_array_size(verdicts), res->job->p.desc->name);
    }
    json_decref(verdicts);
    return failing != 0 ? EXIT_DATES_FAILED : rc;
}

int cmd_run(const cli_options *o, const bf_config *cfg)
{
    invocation inv = cli_invocation(o);
    run_text rt = {
        .out = cli_narration(o),
        .verbose = o->verbose,
        .progress = !o->no_progress && log_level() >= BF_LOG_INFO,
        .json = o->json,
        .skip_preflight = o->skip_preflight,
        .inv = &inv,
        .dates = cli_dates(o),
        .notify_cfg = cfg,
    };
    run_request rq = cli_run_request(o);
    rq.hooks = run_text_hooks(&rt);
    run_result res;
    int rc = run_processor(&rq, cfg, NULL, &res);
    run_text_end(&rt, &res, cfg);
    if (!o->dry_run) {
        rc = range_after_run(rt.out, &res, cfg, rc);
        notify_run(&inv, cfg, o->processor, &res);
    }
    run_result_free(&res);
    return rc;
}
