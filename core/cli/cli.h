/* cli.h - parsed command line and the commands it dispatches to. */
#ifndef BF_CLI_H
#define BF_CLI_H

#include "config/config.h"

/* Exit codes: the contract scripts are written against. */
enum exit_code {
    EXIT_DONE = 0,            /* every expected date complete or skipped */
    EXIT_DATES_FAILED = 1,    /* some dates failed, incomplete or blocked */
    EXIT_USAGE = 2,           /* usage, config or plugin error: nothing ran */
    EXIT_REFUSED = 3,         /* pre-flight refused the run: nothing written */
    EXIT_LOCKED = 4,          /* another run of this processor holds the lock */
    EXIT_STATE_NOT_SAVED = 5, /* dates ran, but the checkpoint or event log could not be saved */
    EXIT_INTERRUPTED = 130    /* interrupted; checkpoint saved */
};

typedef struct cli_options {
    const char *program;     /* argv[0], for ready-to-paste commands */
    const char *config_path; /* as given by -c, or NULL */
    int json, no_progress;
    int allow_insecure_plugins; /* load plugins that fail the trust checks */
    char *command_line;         /* argv joined, for the checkpoint */

    const char *processor;
    const char *start_date, *end_date, *dates, *dates_file;
    int workers, retries;    /* -1: from config */
    int max_failures;        /* 0: default (1, or none with --keep-going) */
    double max_failure_rate; /* percent; -1: off */
    int skip_preflight, keep_going, no_resume, dry_run, reverse, verbose, audit;
    int no_stale, purge_orphans, adopt;
    int quality;         /* verify --quality */
    const char *reason;  /* why --skip-preflight: recorded */
    const char *targets; /* pipeline --targets A,B|GROUP */
    const char *outputs; /* verify --outputs A,B|GROUP */
    int graph, dot;      /* list --graph, list --dot */
    int compact, csv;    /* gaps --compact, gaps --csv */
    const char *html;    /* gaps --html FILE */

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

/* Before a command that takes DATES runs: resolve today, yesterday,
 * today-N and season in o's dates options (BACKFILL_TODAY fixes today),
 * say on stderr what they resolved to, record the resolved dates in
 * o->command_line; then, with refuse_no_dates, refuse (one line) a
 * selection holding no date of the calendar (gaps judges the calendar
 * once and refuses it itself). Returns 0 or EXIT_USAGE. reldates.c. */
int cli_dates_settle(cli_options *o, const bf_config *cfg, int refuse_no_dates);

int cmd_list(const cli_options *o, const bf_config *cfg);
int cmd_run(const cli_options *o, const bf_config *cfg);
int cmd_verify(const cli_options *o, const bf_config *cfg);
int cmd_status(const cli_options *o, const bf_config *cfg);
int cmd_pipeline(const cli_options *o, const bf_config *cfg);
/* `new NAME [--dir DIR]` (argv[0] is "new"): needs no config. */
int cmd_new(int argc, char **argv);
int cmd_gaps(const cli_options *o, const bf_config *cfg);
int cmd_verify_outputs(const cli_options *o, const bf_config *cfg);
int cmd_verify_quality(const cli_options *o, const bf_config *cfg);
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
