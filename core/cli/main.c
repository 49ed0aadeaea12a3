/* main.c - global options, then one command: list, run, verify, status, pipeline, gaps. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "plugin/loader.h"
#include "base/log.h"
#include "stores/store.h"

static const char usage_text[] =
    "usage: backfill [-c FILE] [-v|-q] [--json] [--no-progress] [--allow-insecure-plugins]\n"
    "                COMMAND ...\n"
    "\n"
    "commands:\n"
    "  list [--graph | --dot]        the processors in plugin_dir; --graph in the\n"
    "                                order they run, --dot for Graphviz\n"
    "  run PROCESSOR DATES [opts]    backfill those dates (see: backfill run --help)\n"
    "  verify PROCESSOR DATES        pre-flight alone: exit 0 ready, 3 refused;\n"
    "                                --audit also checks the published dates;\n"
    "                                --quality measures the quality checks\n"
    "  status [PROCESSOR]            checkpoint summary and a re-run command;\n"
    "                                without PROCESSOR one line per processor\n"
    "  pipeline DATES [opts]         every processor in graph order (see: backfill\n"
    "                                pipeline --help)\n"
    "  new NAME [--dir DIR]          scaffold a processor: source, Makefile, config\n"
    "                                and a test (see: backfill new --help)\n"
    "  gaps DATES [opts]             every date of every table, judged (see: backfill\n"
    "                                gaps --help)\n"
    "  ps [--json]                   the runs in progress on this store\n"
    "  watch [--json]                the config's expectations, judged now (cron)\n"
    "  signoff DATES --targets GROUP [--by NAME] [--md FILE | --html FILE]\n"
    "                                a handoff document; signoff --check FILE says\n"
    "                                what changed since it was signed\n"
    "\n"
    "DATES: --start-date D --end-date D | --dates D1,D2,... | --dates season |\n"
    "       --dates-file FILE|-\n"
    "D:     YYYY-MM-DD, today, yesterday, today-N, or season (the configured season\n"
    "       holding today, as a range's end); BACKFILL_TODAY=YYYY-MM-DD fixes today\n"
    "\n"
    "options:\n"
    "  -c, --config FILE   config file (default: $BACKFILL_CONFIG, else " CONFIG_DEFAULT_PATH ")\n"
    "  -v, --verbose       more log lines          -q, --quiet   errors and warnings only\n"
    "      --json          print the result as one JSON document on stdout\n"
    "      --no-progress   no progress line\n"
    "      --allow-insecure-plugins\n"
    "                      load plugin files or a plugin_dir that others can write,\n"
    "                      or symlinks to outside plugin_dir (refused by default)\n"
    "\n"
    "exit: 0 done, 1 dates failed/incomplete/blocked, 2 usage/config/plugin error,\n"
    "      3 pre-flight refused, 4 locked by another run, 5 state not saved,\n"
    "      130 interrupted\n";

static const char run_help[] =
    "usage: backfill run PROCESSOR DATES [options]\n"
    "\n"
    "Backfill PROCESSOR over DATES. Each date is written, validated and published\n"
    "only if complete; otherwise rolled back (keeping its previous rows) and retried.\n"
    "\n"
    "  --start-date D --end-date D | --dates D1,D2,... | --dates-file FILE|-\n"
    "  --workers N        parallel workers (default: run.workers)\n"
    "  --retries N        attempts after the first (default: run.retries)\n"
    "  --skip-preflight --reason TEXT\n"
    "                     run even if upstream coverage is too low; the reason is\n"
    "                     recorded in the checkpoint and the event log\n"
    "  --keep-going       do not stop dispatching after failed dates\n"
    "  --max-failures N   stop dispatching after N failed dates (default 1)\n"
    "  --max-failure-rate P\n"
    "                     stop once more than P % of finished dates failed\n"
    "                     (judged after 20 dates)\n"
    "  --no-resume        redo dates the checkpoint records as complete\n"
    "  --no-stale         keep complete dates whose upstream was republished since\n"
    "                     (by default they are redone)\n"
    "  --purge-orphans    delete the rows of blocked dates (their upstream is gone)\n"
    "  --dry-run          show the plan and pre-flight, and an estimate of the time\n"
    "                     the dates to run take (median and p90 of the per-date\n"
    "                     durations the checkpoint records, divided by the\n"
    "                     workers; \"no history\" when none); write nothing\n"
    "  --reverse          newest dates first\n"
    "  --wait-for-upstream DURATION [--poll S]\n"
    "                     if pre-flight refuses, wait for the upstream instead:\n"
    "                     judge it again every S seconds (default 60) until it\n"
    "                     passes, then run; after DURATION (90, 90s, 15m, 2h) the\n"
    "                     usual refusal, exit 3. Said on stderr every poll, in the\n"
    "                     event log, and posted once with notify.on = [\"waiting\"]\n";

static const char pipeline_help[] =
    "usage: backfill pipeline DATES [--targets A,B|GROUP] [--workers N] [--keep-going]\n"
    "                         [--dry-run] [--skip-preflight --reason TEXT]\n"
    "                         [--wait-for-upstream DURATION [--poll S]]\n"
    "\n"
    "Every processor (or the --targets and what they need) in the order the graph\n"
    "gives (backfill list --graph). A processor starts once everything it reads has\n"
    "finished complete; its pre-flight is judged then. Processors whose inputs are\n"
    "ready run at the same time, sharing --workers slots. A failed or refused\n"
    "processor leaves its dependents not started; nothing new starts after a\n"
    "failure unless --keep-going, which goes on with the independent branches.\n"
    "Each processor resumes, locks and records its checkpoint as `run` does.\n"
    "  --targets A,B|GROUP  these processors (or a config group) and their upstream\n"
    "  --dry-run            per processor: dates it would run, skip, block or redo,\n"
    "                       and an estimate of their time (as run --dry-run)\n"
    "  --wait-for-upstream DURATION [--poll S]\n"
    "                       a processor refused by pre-flight waits for its upstream\n"
    "                       (as run does); DURATION counts from the pipeline's start\n"
    "Exit: the worst of its processors' exits, with run's meanings.\n";

static const char verify_help[] =
    "usage: backfill verify PROCESSOR DATES [--verbose] [--audit [--adopt]]\n"
    "\n"
    "Pre-flight alone: coverage of every upstream table over the expected dates.\n"
    "Exit 0 if the run may start, 3 if a required table is under its threshold.\n"
    "  --verbose   list every missing date\n"
    "  --audit     also validate what each date holds now, as a run would before\n"
    "              publishing; exit 1 if a date is incomplete. The store is not written.\n"
    "  --adopt     record the dates the audit finds complete but no backfill run\n"
    "              published (another tool wrote them) in the checkpoint, so that\n"
    "              readers count them verified from then on\n"
    "\n"
    "usage: backfill verify --outputs GROUP|A,B DATES\n"
    "\n"
    "Is each output table complete over DATES? Per table, its dates counted by\n"
    "state (complete, partial, missing, blocked, stale, orphaned, failed,\n"
    "unverified). Exit 0 only if every table has preflight.min_coverage of its\n"
    "dates complete and none partial, stale or orphaned; else 1.\n"
    "\n"
    "usage: backfill verify --quality PROCESSOR DATES [--verbose]\n"
    "\n"
    "Every quality check PROCESSOR declares (and its config adds) measured over\n"
    "the published rows of DATES: one grouped query per check, the figure in total\n"
    "and the dates that fail (--verbose: every date). Exit 1 if a date fails a\n"
    "check, 0 otherwise. The store is not written.\n";

static const char status_help[] =
    "usage: backfill status [PROCESSOR] [--json]\n"
    "\n"
    "What the checkpoint records: dates per status, the last run, and a command\n"
    "that re-runs exactly the failed, incomplete and blocked dates.\n"
    "Without PROCESSOR: one line per processor, in graph order: the range its\n"
    "checkpoint records, judged now (complete of expected, and the dates that\n"
    "need work by state), its last run and exit, and RUNNING if a run holds it.\n";

static const char gaps_help[] =
    "usage: backfill gaps DATES [--targets A,B|GROUP] [--compact] [--csv | --json | --html FILE]\n"
    "\n"
    "The date x table matrix: each date of each processor's output table (every\n"
    "processor, or --targets) in the state the judge gives it, as verify and the\n"
    "pipeline see it. Then a coverage line per table. Nothing is written.\n"
    "  --compact     one line per run of identical dates\n"
    "  --csv         date,table,code,state,actual,expected per cell\n"
    "  --json        the same cells, and per table its counts, coverage and missing dates\n"
    "  --html FILE   one self-contained HTML heatmap: colour per state, hover per cell,\n"
    "                coverage against preflight.min_coverage, missing dates per table\n"
    "Exit 0 if every table has preflight.min_coverage of its dates complete and none\n"
    "partial, stale or orphaned (as verify --outputs), else 1.\n";

static const char ps_help[] =
    "usage: backfill ps [--json]\n"
    "\n"
    "The runs in progress in this config's state_dir: each processor whose lock a\n"
    "run holds now, with its state (starting, waiting for upstream, running), its\n"
    "range, dates done of those to run, failures, when it started, its pid and host,\n"
    "and its event log. Counts lag the run by at most run.checkpoint_interval_ms.\n"
    "Takes no lock: looking never makes a run fail. Exit 0.\n";

static const char watch_help[] =
    "usage: backfill watch [--json]\n"
    "\n"
    "The config's expectations (expect = { KEY = { min_coverage; complete_through;\n"
    "range; }; }), judged now in one pass: per table (KEY is a processor, its\n"
    "output table or a group), its coverage over the range (\"season\" or\n"
    "\"A..B\", relative dates allowed; never past complete_through, or today)\n"
    "against min_coverage, and the date it is complete through against\n"
    "complete_through. Exit 0 if every expectation is met, 1 if not.\n"
    "When what is met changed since the last watch (state_dir/watch.json), one\n"
    "notification (notify.on: \"watch\", on by default): a failure is posted once,\n"
    "and once more when it recovers. For cron:\n"
    "  */15 * * * * backfill -q -c /etc/backfill.conf watch >/dev/null\n";

static const char signoff_help[] =
    "usage: backfill signoff DATES --targets GROUP|A,B [--by NAME] [--md FILE | --html FILE]\n"
    "       backfill signoff --check FILE\n"
    "\n"
    "A handoff document over DATES of the tables of GROUP (or A,B; no upstream\n"
    "added): per table what the judge measured (complete of expected, coverage,\n"
    "the other states, complete or not), the waivers covering them or their\n"
    "inputs in the range, each\n"
    "processor's last run with its command and exit (and a skipped pre-flight\n"
    "with its reason), and a fingerprint of every judged date (state and rows),\n"
    "embedded as one line of JSON. Markdown on stdout, or into --md FILE or\n"
    "--html FILE (replaced whole). --by names who signs (default: $USER).\n"
    "Exit 0 if every table is complete, 1 if not (the document is written).\n"
    "--check FILE judges the signed range again now and prints every date whose\n"
    "state or rows changed: exit 1 if a date signed complete is no longer, or if\n"
    "the document's facts were edited (they no longer match their fingerprint).\n";

static const char list_help[] =
    "usage: backfill list [--graph | --dot | -v NAME]\n"
    "\n"
    "The processors in plugin_dir, with their output table and dependencies,\n"
    "and every fault found loading them (exit 2).\n"
    "  --graph   the processor graph: each processor in the order they can run\n"
    "            (after every processor whose table it reads; ties by name), with\n"
    "            its upstream processors and its raw input tables\n"
    "  --dot     the same graph in Graphviz DOT (try: backfill list --dot | dot -Tsvg)\n"
    "  -v NAME   one processor in full: its file, descriptor, dependencies and the\n"
    "            config keys it declares (processors.NAME)\n"
    "A cycle, a table written by two processors, a processor writing the calendar\n"
    "table, or a group naming no processor refuses the graph (exit 2).\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "backfill: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try: backfill --help)\n");
    return EXIT_USAGE;
}

enum {
    OPT_START = 256,
    OPT_END,
    OPT_DATES,
    OPT_DATES_FILE,
    OPT_WORKERS,
    OPT_RETRIES,
    OPT_MAX_FAILURES,
    OPT_MAX_FAILURE_RATE,
    OPT_SKIP_PREFLIGHT,
    OPT_KEEP_GOING,
    OPT_NO_RESUME,
    OPT_DRY_RUN,
    OPT_NO_STALE,
    OPT_PURGE_ORPHANS,
    OPT_REASON,
    OPT_TARGETS,
    OPT_REVERSE,
    OPT_WAIT,
    OPT_POLL,
    OPT_OUTPUTS,
    OPT_ADOPT,
    OPT_VERBOSE,
    OPT_HELP,
    OPT_JSON,
    OPT_AUDIT,
    OPT_QUALITY,
    OPT_NO_PROGRESS,
    OPT_GRAPH,
    OPT_DOT,
    OPT_COMPACT,
    OPT_CSV,
    OPT_HTML,
    OPT_BY,
    OPT_MD,
    OPT_CHECK
};

static int parse_count(const char *opt, const char *arg, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "backfill: %s: '%s' is not a number in %d-%d\n", opt, arg, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* DURATION: seconds, or a number with s, m or h (90, 90s, 15m, 2h). */
static int parse_duration(const char *opt, const char *arg, double *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    long unit = *end == 'h' ? 3600 : *end == 'm' ? 60 : 1;
    if (*end && strchr("smh", *end))
        end++;
    if (!isdigit((unsigned char)*arg) || *end != '\0' || v < 1 || v > 7 * 86400 / unit) {
        fprintf(stderr,
                "backfill: %s: '%s' is not a duration of 1 s to 7 days (90, 90s, 15m, 2h)\n", opt,
                arg);
        return -1;
    }
    *out = (double)(v * unit);
    return 0;
}

/* Parse a command's own options. allowed: bitmask of which are accepted. */
static int parse_command(int argc, char **argv, cli_options *o, const char *help,
                         int wants_processor, int wants_dates, int is_run, int is_verify,
                         int is_list, int is_gaps)
{
    static const struct option all[] = {
        {"start-date", required_argument, NULL, OPT_START},
        {"end-date", required_argument, NULL, OPT_END},
        {"dates", required_argument, NULL, OPT_DATES},
        {"dates-file", required_argument, NULL, OPT_DATES_FILE},
        {"workers", required_argument, NULL, OPT_WORKERS},
        {"retries", required_argument, NULL, OPT_RETRIES},
        {"max-failures", required_argument, NULL, OPT_MAX_FAILURES},
        {"max-failure-rate", required_argument, NULL, OPT_MAX_FAILURE_RATE},
        {"skip-preflight", no_argument, NULL, OPT_SKIP_PREFLIGHT},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"no-resume", no_argument, NULL, OPT_NO_RESUME},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"no-stale", no_argument, NULL, OPT_NO_STALE},
        {"purge-orphans", no_argument, NULL, OPT_PURGE_ORPHANS},
        {"reason", required_argument, NULL, OPT_REASON},
        {"targets", required_argument, NULL, OPT_TARGETS},
        {"outputs", required_argument, NULL, OPT_OUTPUTS},
        {"adopt", no_argument, NULL, OPT_ADOPT},
        {"reverse", no_argument, NULL, OPT_REVERSE},
        {"wait-for-upstream", required_argument, NULL, OPT_WAIT},
        {"poll", required_argument, NULL, OPT_POLL},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"audit", no_argument, NULL, OPT_AUDIT},
        {"quality", no_argument, NULL, OPT_QUALITY},
        {"graph", no_argument, NULL, OPT_GRAPH},
        {"dot", no_argument, NULL, OPT_DOT},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"csv", no_argument, NULL, OPT_CSV},
        {"html", required_argument, NULL, OPT_HTML},
        {"by", required_argument, NULL, OPT_BY},
        {"md", required_argument, NULL, OPT_MD},
        {"check", required_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, OPT_HELP},
        /* Output options are global, but accepted after the command too. */
        {"json", no_argument, NULL, OPT_JSON},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    optind = 0; /* 0, not 1: makes GNU getopt reinitialise after the global pass */
    opterr = 0;
    int c, which = -1;
    while ((c = getopt_long(argc, argv, ":hqv", all, &which)) != -1) {
        if (c == 'v')
            c = OPT_VERBOSE;
        int dates_opt = c >= OPT_START && c <= OPT_DATES_FILE;
        int run_opt = c >= OPT_WORKERS && c <= OPT_POLL;
        if ((dates_opt && !wants_dates) || (run_opt && !is_run && !(is_gaps && c == OPT_TARGETS)) ||
            (c == OPT_VERBOSE && !is_verify && !is_list) ||
            ((c == OPT_AUDIT || c == OPT_QUALITY) && !is_verify) ||
            (c == OPT_TARGETS && !(is_run && !wants_processor) && !is_gaps) ||
            ((c == OPT_COMPACT || c == OPT_CSV) && is_gaps != 1) || (c == OPT_HTML && !is_gaps) ||
            (c >= OPT_BY && is_gaps != 2) || ((c == OPT_OUTPUTS || c == OPT_ADOPT) && !is_verify) ||
            ((c == OPT_GRAPH || c == OPT_DOT) && !is_list)) {
            fprintf(stderr, "backfill %s: option '--%s' does not apply here\n", argv[0],
                    all[which].name);
            return EXIT_USAGE;
        }
        switch (c) {
        case OPT_START: o->start_date = optarg; break;
        case OPT_END: o->end_date = optarg; break;
        case OPT_DATES: o->dates = optarg; break;
        case OPT_DATES_FILE: o->dates_file = optarg; break;
        case OPT_WORKERS:
            if (parse_count("--workers", optarg, 1, 256, &o->workers))
                return EXIT_USAGE;
            break;
        case OPT_RETRIES:
            if (parse_count("--retries", optarg, 0, 100, &o->retries))
                return EXIT_USAGE;
            break;
        case OPT_MAX_FAILURES:
            if (parse_count("--max-failures", optarg, 1, 1000000000, &o->max_failures))
                return EXIT_USAGE;
            break;
        case OPT_MAX_FAILURE_RATE: {
            int pct;
            if (parse_count("--max-failure-rate", optarg, 0, 100, &pct))
                return EXIT_USAGE;
            o->max_failure_rate = pct;
            break;
        }
        case OPT_SKIP_PREFLIGHT: o->skip_preflight = 1; break;
        case OPT_KEEP_GOING: o->keep_going = 1; break;
        case OPT_NO_RESUME: o->no_resume = 1; break;
        case OPT_DRY_RUN: o->dry_run = 1; break;
        case OPT_NO_STALE: o->no_stale = 1; break;
        case OPT_PURGE_ORPHANS: o->purge_orphans = 1; break;
        case OPT_REASON: o->reason = optarg; break;
        case OPT_TARGETS: o->targets = optarg; break;
        case OPT_OUTPUTS: o->outputs = optarg; break;
        case OPT_ADOPT: o->adopt = 1; break;
        case OPT_REVERSE: o->reverse = 1; break;
        case OPT_WAIT:
            if (parse_duration("--wait-for-upstream", optarg, &o->wait_s))
                return EXIT_USAGE;
            break;
        case OPT_POLL:
            if (parse_count("--poll", optarg, 1, 86400, &o->poll_s))
                return EXIT_USAGE;
            break;
        case OPT_VERBOSE: o->verbose = 1; break;
        case OPT_AUDIT: o->audit = 1; break;
        case OPT_QUALITY: o->quality = 1; break;
        case OPT_GRAPH: o->graph = 1; break;
        case OPT_DOT: o->dot = 1; break;
        case OPT_COMPACT: o->compact = 1; break;
        case OPT_CSV: o->csv = 1; break;
        case OPT_HTML: o->html = optarg; break;
        case OPT_BY: o->by = optarg; break;
        case OPT_MD: o->md = optarg; break;
        case OPT_CHECK: o->check_file = optarg; break;
        case OPT_JSON: o->json = 1; break;
        case OPT_NO_PROGRESS: o->no_progress = 1; break;
        case 'q': log_set_level(BF_LOG_WARN); break;
        case 'h':
        case OPT_HELP: fputs(help, stdout); return -1;
        case ':':
            fprintf(stderr, "backfill %s: option '%s' needs a value\n", argv[0], argv[optind - 1]);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "backfill %s: unknown option '%s' (try: backfill %s --help)\n", argv[0],
                    argv[optind - 1], argv[0]);
            return EXIT_USAGE;
        }
    }
    if (o->skip_preflight && (!o->reason || !*o->reason)) {
        fprintf(stderr, "backfill %s: --skip-preflight needs --reason TEXT (it is recorded)\n",
                argv[0]);
        return EXIT_USAGE;
    }
    if (o->reason && !o->skip_preflight) {
        fprintf(stderr, "backfill %s: --reason goes with --skip-preflight\n", argv[0]);
        return EXIT_USAGE;
    }
    if (o->poll_s && !o->wait_s) {
        fprintf(stderr, "backfill %s: --poll goes with --wait-for-upstream\n", argv[0]);
        return EXIT_USAGE;
    }
    if (o->wait_s && o->skip_preflight) {
        fprintf(stderr,
                "backfill %s: --wait-for-upstream and --skip-preflight exclude each other\n",
                argv[0]);
        return EXIT_USAGE;
    }
    if (o->wait_s) {
        o->wait_until = clock_now_s() + o->wait_s;
        if (!o->poll_s)
            o->poll_s = o->wait_s < 60 ? (int)o->wait_s : 60;
    }
    if (o->quality && (o->audit || o->outputs)) {
        fprintf(stderr, "backfill %s: --quality excludes --audit and --outputs\n", argv[0]);
        return EXIT_USAGE;
    }
    if (o->adopt && !o->audit) {
        fprintf(stderr, "backfill %s: --adopt goes with --audit\n", argv[0]);
        return EXIT_USAGE;
    }
    if (o->graph && o->dot) {
        fprintf(stderr, "backfill %s: --graph and --dot exclude each other\n", argv[0]);
        return EXIT_USAGE;
    }
    if (wants_processor && !o->outputs && !(wants_processor == 2 && optind >= argc)) {
        if (optind >= argc) {
            fprintf(stderr, "backfill %s: which processor? (see: backfill list)\n", argv[0]);
            return EXIT_USAGE;
        }
        o->processor = argv[optind++];
    } else if (is_list && o->verbose) {
        if (optind >= argc) {
            fprintf(stderr, "backfill %s: -v needs a processor name\n", argv[0]);
            return EXIT_USAGE;
        }
        o->processor = argv[optind++];
    }
    if (optind < argc) {
        fprintf(stderr, "backfill %s: unexpected argument '%s'\n", argv[0], argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = calloc(1, len);
    for (int i = 0; s && i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* Parse and run one command line; returns the exit code. */
static int dispatch(int argc, char **argv, cli_options *o)
{
    static const struct option global[] = {
        {"config", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, 'j'},
        {"no-progress", no_argument, NULL, 'P'},
        {"allow-insecure-plugins", no_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int level = BF_LOG_INFO, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:vqh", global, NULL)) != -1) {
        switch (c) {
        case 'c': o->config_path = optarg; break;
        case 'v': level = BF_LOG_DEBUG; break;
        case 'q': level = BF_LOG_WARN; break;
        case 'j': o->json = 1; break;
        case 'P': o->no_progress = 1; break;
        case 'I': o->allow_insecure_plugins = 1; break;
        case 'h': fputs(usage_text, stdout); return EXIT_DONE;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    log_set_level(level);
    loader_allow_insecure(o->allow_insecure_plugins);
    if (optind >= argc)
        return usage_error("%s", "no command given");

    static const struct {
        const char *name;
        int (*run)(const cli_options *, const bf_config *);
        const char *help;
        int wants_processor, wants_dates, is_run, is_verify, is_list, is_gaps;
    } commands[] = {
        {"list", cmd_list, list_help, 0, 0, 0, 0, 1, 0},
        {"run", cmd_run, run_help, 1, 1, 1, 0, 0, 0},
        {"verify", cmd_verify, verify_help, 1, 1, 0, 1, 0, 0},
        {"status", cmd_status, status_help, 2, 0, 0, 0, 0, 0}, /* 2: processor optional */
        {"pipeline", cmd_pipeline, pipeline_help, 0, 1, 1, 0, 0, 0},
        {"gaps", cmd_gaps, gaps_help, 0, 1, 0, 0, 0, 1},
        {"ps", cmd_ps, ps_help, 0, 0, 0, 0, 0, 0},
        {"watch", cmd_watch, watch_help, 0, 0, 0, 0, 0, 0},
        {"signoff", cmd_signoff, signoff_help, 0, 1, 0, 0, 0, 2}, /* is_gaps 2: signoff */
    };
    const char *name = argv[optind];
    if (strcmp(name, "new") == 0) /* scaffolds a processor: reads no config */
        return cmd_new(argc - optind, argv + optind);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        int rc =
            parse_command(argc - optind, argv + optind, o, commands[i].help,
                          commands[i].wants_processor, commands[i].wants_dates, commands[i].is_run,
                          commands[i].is_verify, commands[i].is_list, commands[i].is_gaps);
        if (rc != 0)
            return rc < 0 ? EXIT_DONE : rc;
        const char *path = o->config_path ? o->config_path : getenv("BACKFILL_CONFIG");
        if (!path || !*path)
            path = CONFIG_DEFAULT_PATH;
        bf_config cfg;
        char err[1024];
        if (config_load(path, &cfg, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: %s\n", err);
            return EXIT_USAGE;
        }
        if (store_init(&cfg, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: %s\n", err);
            config_free(&cfg);
            return EXIT_USAGE;
        }
        rc = commands[i].wants_dates && !o->check_file
                 ? cli_dates_settle(o, &cfg, commands[i].is_gaps != 1)
                 : 0;
        rc = rc ? rc : commands[i].run(o, &cfg);
        store_shutdown(&cfg);
        config_free(&cfg);
        return rc;
    }
    return usage_error("unknown command '%s'", name);
}

int main(int argc, char **argv)
{
    /* Joined before getopt permutes argv, for the checkpoint's record. */
    cli_options o = {.workers = -1,
                     .retries = -1,
                     .max_failure_rate = -1,
                     .program = argv[0],
                     .command_line = join_args(argc, argv)};
    int rc = dispatch(argc, argv, &o);
    free(o.command_line);
    free(o.dates_buf);
    return rc;
}
