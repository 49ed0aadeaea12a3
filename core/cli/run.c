/* run.c - the `run` command: one processor over its dates, told on stdout
 * (stderr under --json, whose document goes to stdout), then the webhook. */
#include "cli/cli.h"

#include "base/log.h"
#include "engine/run.h"
#include "report/notify.h"
#include "report/run_text.h"

invocation cli_invocation(const cli_options *o)
{
    return (invocation){o->program, o->config_path, o->command_line};
}

date_args cli_dates(const cli_options *o)
{
    return (date_args){o->start_date, o->end_date, o->dates, o->dates_file};
}

FILE *cli_narration(const cli_options *o)
{
    static FILE *nowhere;
    if (!o->quiet)
        return o->json ? stderr : stdout;
    if (!nowhere)
        nowhere = fopen("/dev/null", "w");
    return nowhere ? nowhere : o->json ? stderr : stdout;
}

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
    if (!o->dry_run)
        notify_run(&inv, cfg, o->processor, &res);
    run_result_free(&res);
    return rc;
}
