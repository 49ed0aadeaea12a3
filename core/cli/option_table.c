/* option_table.c - every option of the command line: the commands it
 * applies to, its value and its line of help (options.h). Data only: the
 * parser and the help in options.c read it. */
#include "cli/options.h"

#include "config/config.h"

#define RUNS  (CMD_RUN | CMD_PIPELINE)
#define DATED CLI_DATED
#define ALL   0xfffu

const cli_option cli_option_table[] = {
    {"config", 'c', "FILE", CMD_GLOBAL,
     "config file (default: $BACKFILL_CONFIG, else " CONFIG_DEFAULT_PATH ")"},
    {"verbose", 'v', NULL, CMD_GLOBAL, "more log lines"},
    {"verbose", 'v', NULL, CMD_VERIFY, "list every missing date (--quality: every date)"},
    {"verbose", 'v', "NAME", CMD_LIST,
     "one processor in full: file, descriptor, dependencies, keys"},
    {"quiet", 'q', NULL, ALL & ~CMD_HELP,
     "errors and warnings only: no pre-flight tables, progress or summaries"},
    {"json", 0, NULL, ALL & ~(CMD_NEW | CMD_HELP | CMD_LIST),
     "print the result as one JSON document on stdout"},
    {"no-progress", 0, NULL, CMD_GLOBAL | RUNS, "no progress line"},
    {"allow-insecure-plugins", 0, NULL, CMD_GLOBAL,
     "load plugin files that others can write, or symlinks out of plugin_dir"},
    {"version", 0, NULL, CMD_GLOBAL, "print the version and exit"},
    {"help", 'h', NULL, ALL, "this help"},
    {"start-date", 0, "D", DATED, "first date (YYYY-MM-DD), with --end-date"},
    {"end-date", 0, "D", DATED, "last date, included"},
    {"dates", 0, "D1,D2,...", DATED, "exactly these dates"},
    {"dates-file", 0, "FILE|-", DATED, "the dates in a file (one per line; - reads stdin)"},
    {"workers", 0, "N", RUNS, "parallel workers (default: run.workers)"},
    {"retries", 0, "N", RUNS, "attempts after the first (default: run.retries)"},
    {"batch", 0, "N", RUNS,
     "dates per block for processors that compute blocks (default: run.batch_dates; 1: one at a "
     "time)"},
    {"skip-preflight", 0, NULL, RUNS,
     "run even if upstream coverage is too low (needs --reason, recorded)"},
    {"reason", 0, "TEXT", RUNS, "why --skip-preflight: kept in the checkpoint and event log"},
    {"keep-going", 0, NULL, RUNS, "do not stop dispatching after failed dates"},
    {"max-failures", 0, "N", RUNS, "stop dispatching after N failed dates (default 1)"},
    {"max-failure-rate", 0, "P", RUNS,
     "stop once more than P % of finished dates failed (judged after 20)"},
    {"no-resume", 0, NULL, RUNS, "redo dates the checkpoint records as complete"},
    {"no-stale", 0, NULL, RUNS, "keep complete dates whose upstream was republished since"},
    {"keep-outdated", 0, NULL, RUNS,
     "keep complete dates built by another version or config (recorded)"},
    {"purge-orphans", 0, NULL, RUNS, "delete the rows of blocked dates (their upstream is gone)"},
    {"dry-run", 0, NULL, RUNS,
     "show the plan, pre-flight and an estimate from recorded durations; write nothing"},
    {"wait-for-upstream", 0, "DURATION", RUNS,
     "if pre-flight refuses, wait up to DURATION (90, 90s, 15m, 2h) for the upstream"},
    {"poll", 0, "S", RUNS, "with --wait-for-upstream: judge again every S seconds (default 60)"},
    {"reverse", 0, NULL, RUNS, "newest dates first"},
    {"targets", 0, "A,B|GROUP", CMD_PIPELINE | CMD_GAPS | CMD_SIGNOFF,
     "these processors (or a config group); pipeline adds what they need"},
    {"audit", 0, NULL, CMD_VERIFY, "also validate what each published date holds now"},
    {"adopt", 0, NULL, CMD_VERIFY,
     "with --audit: record complete dates another tool wrote as verified"},
    {"outputs", 0, "GROUP|A,B", CMD_VERIFY, "is each of these output tables complete?"},
    {"quality", 0, NULL, CMD_VERIFY, "measure every declared quality check"},
    {"inputs", 0, NULL, CMD_VERIFY,
     "are the declared windows wide enough? build sampled dates confined and whole"},
    {"sample", 0, "N", CMD_VERIFY, "with --inputs: how many dates to build (default 20)"},
    {"graph", 0, NULL, CMD_LIST, "the processors in the order they run, with their inputs"},
    {"dot", 0, NULL, CMD_LIST, "the same graph in Graphviz DOT"},
    {"compact", 0, NULL, CMD_GAPS, "one line per run of identical dates"},
    {"csv", 0, NULL, CMD_GAPS, "date,table,code,state,actual,expected per cell"},
    {"html", 0, "FILE", CMD_GAPS, "one self-contained HTML heatmap"},
    {"html", 0, "FILE", CMD_SIGNOFF, "write the document as HTML into FILE"},
    {"md", 0, "FILE", CMD_SIGNOFF, "write the document as Markdown into FILE"},
    {"by", 0, "WHO", CMD_SIGNOFF, "who signs (default: $USER)"},
    {"check", 0, "FILE", CMD_SIGNOFF, "judge a signed document's range again: what changed"},
    {"dir", 0, "DIR", CMD_NEW, "create NAME under DIR (default: .)"},
    {"sql", 0, NULL, CMD_NEW, "a model file NAME.sql (SQL alone, no compiler) instead of C"},
    {"options", 0, NULL, CMD_HELP, "one name per line: the commands, or COMMAND's options"},
};
const size_t cli_noptions = sizeof cli_option_table / sizeof cli_option_table[0];
