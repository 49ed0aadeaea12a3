/* cli.h - parsed command line and the commands it dispatches to. */
#ifndef BF_CLI_H
#define BF_CLI_H

#include "base/exit_code.h"
#include <stdio.h>

#include "config/config.h"
#include "engine/run.h"
#include "report/report.h"

typedef struct cli_options {
    const char *program;     /* argv[0], for ready-to-paste commands */
    const char *config_path; /* as given by -c, or NULL */
    int json, no_progress;
    int allow_insecure_plugins; /* load plugins that fail the trust checks */
    char *command_line;         /* argv joined, for the checkpoint */

    const char *processor;
    const char *start_date, *end_date, *dates, *dates_file;
    int workers, retries;    /* -1: from config */
    int batch;               /* --batch; 0: from config */
    int max_failures;        /* 0: default (1, or none with --keep-going) */
    double max_failure_rate; /* percent; -1: off */
    int skip_preflight, keep_going, no_resume, dry_run, reverse, verbose, audit;
    int no_stale, keep_outdated, purge_orphans, adopt;
    int quality;         /* verify --quality */
    int inputs, sample;  /* verify --inputs [--sample N]; sample 0: the default */
    const char *reason;  /* why --skip-preflight: recorded */
    const char *targets; /* pipeline --targets A,B|GROUP */
    const char *outputs; /* verify --outputs A,B|GROUP */
    int graph, dot;      /* list --graph, list --dot */
    int compact, csv;    /* gaps --compact, gaps --csv */
    const char *html;    /* gaps --html FILE */
    const char *dir;     /* new --dir DIR */
    int sql;             /* new --sql: a model file, not C */
    int quiet;           /* -q: errors and warnings only */
    int names_only;      /* help --options */
    int version;         /* --version */

    /* Relative dates resolved by cli_dates_settle: the texts the dates
     * options point at once resolved (dates_buf malloc'd; main frees it). */
    char start_buf[DATE_LEN], end_buf[DATE_LEN];
    char *dates_buf;

    /* --wait-for-upstream DURATION [--poll S] (run, pipeline): a refused
     * pre-flight is judged again every poll_s seconds until wait_until
     * (CLOCK_MONOTONIC seconds, fixed when the command starts). */
    double wait_s, wait_until; /* 0: no waiting */
    int poll_s;
    /* signoff [--by NAME] [--md FILE | --html FILE], signoff --check FILE */
    const char *by, *md, *check_file;
} cli_options;

/* What the engine and the reports take from the command line. */
invocation cli_invocation(const cli_options *o);
date_args cli_dates(const cli_options *o);
/* Where a command tells what it does (pre-flight tables, summaries):
 * stdout; stderr under --json (whose document owns stdout); nowhere under
 * -q. Borrowed: never closed. */
FILE *cli_narration(const cli_options *o);
/* The run o asks for, without hooks. */
run_request cli_run_request(const cli_options *o);

int cmd_list(const cli_options *o, const bf_config *cfg);
int cmd_run(const cli_options *o, const bf_config *cfg);
int cmd_verify(const cli_options *o, const bf_config *cfg);
int cmd_status(const cli_options *o, const bf_config *cfg);
int cmd_pipeline(const cli_options *o, const bf_config *cfg);
/* `new NAME [--dir DIR]`: needs no config (cfg is NULL). */
int cmd_new(const cli_options *o, const bf_config *cfg);
int cmd_gaps(const cli_options *o, const bf_config *cfg);
int cmd_verify_outputs(const cli_options *o, const bf_config *cfg);
int cmd_verify_quality(const cli_options *o, const bf_config *cfg);
int cmd_verify_inputs(const cli_options *o, const bf_config *cfg);

/* Before a command that takes DATES runs: resolve today, yesterday,
 * today-N and season in o's dates options (BACKFILL_TODAY fixes today),
 * say on stderr what they resolved to, record the resolved dates in
 * o->command_line; then, with refuse_no_dates, refuse (one line) a
 * selection holding no date of the calendar (gaps judges the calendar
 * once and refuses it itself). Returns 0 or EXIT_USAGE. reldates.c. */
int cli_dates_settle(cli_options *o, const bf_config *cfg, int refuse_no_dates);
/* Operations: runs in progress (ps.c). */
int cmd_ps(const cli_options *o, const bf_config *cfg);
/* `status` with no processor: one line per processor (status_all.c). */
int cmd_status_all(const cli_options *o, const bf_config *cfg);
/* The config's expectations judged now, for cron (watch.c). */
int cmd_watch(const cli_options *o, const bf_config *cfg);
/* The handoff document, and its re-check (signoff.c, signoff_check.c). */
int cmd_signoff(const cli_options *o, const bf_config *cfg);
int cmd_signoff_check(const cli_options *o, const bf_config *cfg);

#endif
