/* options.c - the command table (options.h), the parser that reads a
 * command's options from the option table (option_table.c), and the help
 * both print. */
#include "cli/options.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/names.h"

static int cmd_help(const cli_options *o, const bf_config *cfg);
static void print_help(FILE *out, const cli_command *cmd);

const cli_command cli_commands[] = {
    {"list", CMD_LIST, cmd_list, "[--graph | --dot | -v NAME]",
     "the processors in plugin_dir; --graph in the order they run",
     "The processors in plugin_dir, with their output table and dependencies,\n"
     "and every fault found loading them (exit 2). A cycle, a table written by\n"
     "two processors, a processor writing the calendar table, or a group naming\n"
     "no processor refuses the graph (exit 2).\n"},
    {"run", CMD_RUN, cmd_run, "PROCESSOR DATES [options]", "backfill those dates",
     "Backfill PROCESSOR over DATES. Each date is written, validated and published\n"
     "only if complete; otherwise rolled back (keeping its previous rows) and retried.\n"},
    {"verify", CMD_VERIFY, cmd_verify,
     "PROCESSOR DATES [--verbose] [--audit [--adopt]]\n"
     "       backfill verify --outputs GROUP|A,B DATES\n"
     "       backfill verify --quality PROCESSOR DATES [--verbose]\n"
     "       backfill verify --inputs PROCESSOR DATES [--sample N]",
     "pre-flight alone (exit 0 ready, 3 refused), --audit, --outputs, --quality, --inputs",
     "Pre-flight alone: coverage of every upstream table over the expected dates.\n"
     "Exit 0 if the run may start, 3 if a required table is under its threshold.\n"
     "--outputs: is each output table complete over DATES? Per table its dates by\n"
     "state; exit 0 only if every table has preflight.min_coverage of its dates\n"
     "complete and none partial, stale or orphaned, else 1.\n"
     "--quality: every quality check PROCESSOR declares (and its config adds)\n"
     "measured over the published rows of DATES, one grouped query per check; exit\n"
     "1 if a date fails a check. The store is never written.\n"
     "--inputs: are the declared windows wide enough? N sampled dates (default 20:\n"
     "the first after each season's bootstrap, then the middle of equal slices of\n"
     "the rest) are built twice in staging, never published: each dependency and\n"
     "the calendar seen only over [date - lookback_days, date], then whole. Exit 1\n"
     "if a date's builds differ, one line per table naming the dates and the\n"
     "smallest lookback_days that makes them equal; 2 on a store that cannot\n"
     "confine reads (ClickHouse).\n"},
    {"status", CMD_STATUS, cmd_status, "[PROCESSOR]",
     "checkpoint summary and a re-run command; without PROCESSOR one line each",
     "What the checkpoint records: dates per status, the last run, and a command\n"
     "that re-runs exactly the failed, partial and blocked dates.\n"
     "Without PROCESSOR: one line per processor, in graph order, from one judge\n"
     "pass: the range its checkpoint records judged now (complete of expected,\n"
     "the dates needing work by state), its last run and exit, and RUNNING if a\n"
     "run holds it now.\n"},
    {"pipeline", CMD_PIPELINE, cmd_pipeline, "DATES [options]", "every processor in graph order",
     "Every processor (or the --targets and what they need) in the order the graph\n"
     "gives (backfill list --graph). A processor starts once everything it reads has\n"
     "finished complete; its pre-flight is judged then. Processors whose inputs are\n"
     "ready run at the same time, sharing --workers slots. A failed or refused\n"
     "processor leaves its dependents not started; nothing new starts after a\n"
     "failure unless --keep-going, which goes on with the independent branches.\n"
     "Each processor resumes, locks and records its checkpoint as `run` does.\n"
     "Exit: the worst of its processors' exits, with run's meanings.\n"},
    {"gaps", CMD_GAPS, cmd_gaps,
     "DATES [--targets A,B|GROUP] [--compact] [--csv|--json|--html FILE]",
     "every date of every table, judged",
     "The date x table matrix: each date of each processor's output table (every\n"
     "processor, or --targets) in the state the judge gives it, as verify and the\n"
     "pipeline see it. Then a coverage line per table. Nothing is written. Exit 0\n"
     "if every table has preflight.min_coverage of its dates complete and none\n"
     "partial, stale or orphaned (as verify --outputs), else 1.\n"},
    {"new", CMD_NEW, cmd_new, "NAME [--sql] [--dir DIR]",
     "scaffold a processor: source, Makefile, config, test",
     "Create DIR/NAME (DIR defaults to the working directory) holding a processor\n"
     "that builds and passes its test as it is: NAME.c (the processor, its contract\n"
     "in comments: man backfill-plugin), a Makefile (pkg-config --cflags backfill),\n"
     "backfill.conf (the minimum configuration) and test.sh (builds it, runs it on a\n"
     "tiny store, checks its rows). NAME: lowercase letters, digits and '_',\n"
     "starting with a letter or '_'. With --sql: NAME.sql instead, a model file\n"
     "(SQL alone, no compiler: man backfill-model), with backfill.conf and test.sh.\n"
     "Exit 0 created, 2 refused (a bad name, DIR/NAME exists, a write failed).\n"},
    {"ps", CMD_PS, cmd_ps, "[--json]", "the runs in progress on this store",
     "The runs in progress in this config's state_dir: each processor whose lock a\n"
     "run holds now (read from /proc/locks: looking takes no lock, so it never\n"
     "makes a run fail), with its state (starting, waiting for upstream, running),\n"
     "its range, dates done of those to run, failures, when it started, its pid\n"
     "and host, and its event log. Counts lag the run by at most\n"
     "run.checkpoint_interval_ms. Exit 0.\n"},
    {"watch", CMD_WATCH, cmd_watch, "[--json]", "the config's expectations, judged now (for cron)",
     "The config's expectations (expect = { KEY = { min_coverage; complete_through;\n"
     "range; }; }) judged now in one pass: per table (KEY is a processor, its\n"
     "output table or a group), its coverage over the range (\"season\" or\n"
     "\"A..B\", relative dates allowed; never past complete_through, or today)\n"
     "against min_coverage, and the date it is complete through against\n"
     "complete_through. Exit 0 if every expectation is met, 1 if not. When what is\n"
     "met changed since the last watch (state_dir/watch.json), one notification\n"
     "(notify.on: \"watch\", on by default): a failure once, a recovery once.\n"
     "For cron:  */15 * * * * backfill -q -c /etc/backfill.conf watch >/dev/null\n"},
    {"signoff", CMD_SIGNOFF, cmd_signoff,
     "DATES --targets GROUP|A,B [--by WHO] [--md FILE | --html FILE]\n"
     "       backfill signoff --check FILE",
     "a handoff document of the judged range; --check: what changed since",
     "A handoff document over DATES of the tables of GROUP (or A,B; no upstream\n"
     "added): per table what the judge measured (complete of expected, coverage,\n"
     "the other states, complete or not), the waivers covering them or their\n"
     "inputs in the range, each processor's last run with its command and exit (a\n"
     "skipped pre-flight with its reason), and a fingerprint of every judged date\n"
     "(state and rows), embedded as one line of JSON. Markdown on stdout, or into\n"
     "--md FILE or --html FILE (replaced whole). Exit 0 if every table is complete,\n"
     "1 if not (the document is written). --check FILE judges the signed range\n"
     "again now and prints every date whose state or rows changed: exit 1 if a\n"
     "date signed complete no longer is, or if the document's facts were edited.\n"},
    {"help", CMD_HELP, cmd_help, "[COMMAND] [--options]", "this help, or a command's",
     "The help of COMMAND (the same as backfill COMMAND --help), or this one.\n"},
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

/* The entry of the table named name (long, or short when name is one
 * character) that applies to bit; *known is set if any entry is named so. */
static const cli_option *find_option(const char *name, unsigned bit, int *known)
{
    *known = 0;
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_option_table[i];
        int same = name[1] ? strcmp(opt->name, name) == 0 : opt->short_name == name[0];
        *known |= same;
        if (same && (opt->commands & bit))
            return opt;
    }
    return NULL;
}

static int parse_count(const char *opt, const char *arg, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "backfill: --%s: '%s' is not a number in %d-%d\n", opt, arg, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* The value of a numeric option into o. Returns 0 or -1 after a line. */
/* DURATION: seconds, or a number with s, m or h (90, 90s, 15m, 2h). The
 * wait's end is fixed now, when the command starts. */
static int set_wait(cli_options *o, const char *arg)
{
    char *end;
    long v = strtol(arg, &end, 10);
    long unit = *end == 'h' ? 3600 : *end == 'm' ? 60 : 1;
    if (*end && strchr("smh", *end))
        end++;
    if (!isdigit((unsigned char)*arg) || *end != '\0' || v < 1 || v > 7 * 86400 / unit) {
        fprintf(stderr,
                "backfill: --wait-for-upstream: '%s' is not a duration of 1 s to 7 days (90, 90s, "
                "15m, 2h)\n",
                arg);
        return -1;
    }
    o->wait_s = (double)(v * unit);
    o->wait_until = clock_now_s() + o->wait_s;
    return 0;
}

static int set_number(cli_options *o, const char *name, const char *v)
{
    int pct;
    if (strcmp(name, "wait-for-upstream") == 0)
        return set_wait(o, v);
    if (strcmp(name, "poll") == 0)
        return parse_count(name, v, 1, 86400, &o->poll_s);
    if (strcmp(name, "workers") == 0)
        return parse_count(name, v, 1, 256, &o->workers);
    if (strcmp(name, "batch") == 0)
        return parse_count(name, v, 1, 256, &o->batch);
    if (strcmp(name, "retries") == 0)
        return parse_count(name, v, 0, 100, &o->retries);
    if (strcmp(name, "sample") == 0)
        return parse_count(name, v, 1, 100000, &o->sample);
    if (strcmp(name, "max-failures") == 0)
        return parse_count(name, v, 1, 1000000000, &o->max_failures);
    if (parse_count(name, v, 0, 100, &pct) != 0)
        return -1;
    o->max_failure_rate = pct;
    return 0;
}

/* One option of the command, its value v (NULL for a flag), into o. */
static int set_option(cli_options *o, const cli_option *opt, const char *v)
{
    static const struct {
        const char *name;
        size_t flag;
    } flags[] = {
        {"json", offsetof(cli_options, json)},
        {"no-progress", offsetof(cli_options, no_progress)},
        {"skip-preflight", offsetof(cli_options, skip_preflight)},
        {"keep-going", offsetof(cli_options, keep_going)},
        {"no-resume", offsetof(cli_options, no_resume)},
        {"no-stale", offsetof(cli_options, no_stale)},
        {"keep-outdated", offsetof(cli_options, keep_outdated)},
        {"purge-orphans", offsetof(cli_options, purge_orphans)},
        {"dry-run", offsetof(cli_options, dry_run)},
        {"reverse", offsetof(cli_options, reverse)},
        {"audit", offsetof(cli_options, audit)},
        {"adopt", offsetof(cli_options, adopt)},
        {"quality", offsetof(cli_options, quality)},
        {"inputs", offsetof(cli_options, inputs)},
        {"graph", offsetof(cli_options, graph)},
        {"dot", offsetof(cli_options, dot)},
        {"compact", offsetof(cli_options, compact)},
        {"csv", offsetof(cli_options, csv)},
        {"sql", offsetof(cli_options, sql)},
        {"options", offsetof(cli_options, names_only)},
        {"allow-insecure-plugins", offsetof(cli_options, allow_insecure_plugins)},
        {"version", offsetof(cli_options, version)},
    };
    static const struct {
        const char *name;
        size_t field;
    } strings[] = {
        {"start-date", offsetof(cli_options, start_date)},
        {"end-date", offsetof(cli_options, end_date)},
        {"dates", offsetof(cli_options, dates)},
        {"dates-file", offsetof(cli_options, dates_file)},
        {"reason", offsetof(cli_options, reason)},
        {"targets", offsetof(cli_options, targets)},
        {"outputs", offsetof(cli_options, outputs)},
        {"html", offsetof(cli_options, html)},
        {"md", offsetof(cli_options, md)},
        {"by", offsetof(cli_options, by)},
        {"check", offsetof(cli_options, check_file)},
        {"dir", offsetof(cli_options, dir)},
        {"config", offsetof(cli_options, config_path)},
        {"verbose", offsetof(cli_options, processor)}, /* list -v NAME */
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(flags[i].name, opt->name) == 0) {
            *(int *)((char *)o + flags[i].flag) = 1;
            return 0;
        }
    if (strcmp(opt->name, "verbose") == 0 && opt->commands == CMD_GLOBAL) {
        log_set_level(BF_LOG_DEBUG);
        return 0;
    }
    if (strcmp(opt->name, "verbose") == 0)
        o->verbose = 1;
    if (strcmp(opt->name, "quiet") == 0) {
        o->quiet = 1;
        log_set_level(BF_LOG_WARN);
        return 0;
    }
    if (!opt->value)
        return 0;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strcmp(strings[i].name, opt->name) == 0) {
            *(const char **)((char *)o + strings[i].field) = v;
            return 0;
        }
    return set_number(o, opt->name, v);
}

/* An option the table does not know, with the nearest one it does. */
static int unknown_option(const cli_command *cmd, const char *arg)
{
    const char *names[64] = {0};
    size_t n = 0;
    unsigned bit = cmd ? cmd->bit : CMD_GLOBAL;
    for (size_t i = 0; i < cli_noptions && n < 64; i++)
        if (cli_option_table[i].commands & bit)
            names[n++] = cli_option_table[i].name;
    const char *word = arg + strspn(arg, "-");
    const char *near = name_nearest(word, names, n);
    fprintf(stderr, "backfill%s%s: unknown option '%s'", cmd ? " " : "", cmd ? cmd->name : "", arg);
    if (near)
        fprintf(stderr, "; did you mean --%s?", near);
    fprintf(stderr, " (try: backfill %s%s--help)\n", cmd ? cmd->name : "", cmd ? " " : "");
    return EXIT_USAGE;
}

/* Read the option at argv[*i] for the command of bit. Returns 0, 1 for
 * --help, or EXIT_USAGE after a line. */
static int take_option(const cli_command *cmd, unsigned bit, int argc, char **argv, int *i,
                       cli_options *o)
{
    char name[64];
    const char *arg = argv[*i], *value = NULL;
    const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + (arg[1] == '-' ? 2 : 1));
    if (len == 0 || len >= sizeof name || (arg[1] != '-' && len != 1))
        return unknown_option(cmd, arg);
    memcpy(name, arg + (arg[1] == '-' ? 2 : 1), len);
    name[len] = '\0';
    int known;
    const cli_option *opt = find_option(name, bit, &known);
    if (!opt && known) {
        fprintf(stderr, "backfill %s: option '%s' does not apply here (try: backfill %s --help)\n",
                cmd ? cmd->name : "", arg, cmd ? cmd->name : "");
        return EXIT_USAGE;
    }
    if (!opt)
        return unknown_option(cmd, arg);
    if (strcmp(opt->name, "help") == 0) {
        print_help(stdout, cmd);
        return 1;
    }
    if (opt->value) {
        value = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!value) {
            fprintf(stderr, "backfill%s%s: option '%s' needs a value\n", cmd ? " " : "",
                    cmd ? cmd->name : "", arg);
            return EXIT_USAGE;
        }
    } else if (eq) {
        fprintf(stderr, "backfill: option '--%s' takes no value\n", opt->name);
        return EXIT_USAGE;
    }
    return set_option(o, opt, value) == 0 ? 0 : EXIT_USAGE;
}

/* The rules between options of one command. */
static int check_together(const cli_command *cmd, const cli_options *o)
{
    const char *why = NULL;
    if (o->skip_preflight && (!o->reason || !*o->reason))
        why = "--skip-preflight needs --reason TEXT (it is recorded)";
    else if (o->reason && !o->skip_preflight)
        why = "--reason goes with --skip-preflight";
    else if (o->quality && (o->audit || o->outputs))
        why = "--quality excludes --audit and --outputs";
    else if (o->inputs && (o->audit || o->outputs || o->quality))
        why = "--inputs excludes --audit, --outputs and --quality";
    else if (o->sample && !o->inputs)
        why = "--sample goes with --inputs";
    else if (o->adopt && !o->audit)
        why = "--adopt goes with --audit";
    else if (o->graph && o->dot)
        why = "--graph and --dot exclude each other";
    else if (o->poll_s && !o->wait_s)
        why = "--poll goes with --wait-for-upstream";
    else if (o->wait_s && o->skip_preflight)
        why = "--wait-for-upstream and --skip-preflight exclude each other";
    else if (o->md && o->html)
        why = "--md and --html exclude each other";
    if (why)
        fprintf(stderr, "backfill %s: %s\n", cmd->name, why);
    return why ? EXIT_USAGE : 0;
}

/* The words after the options: a processor, a name, a command. */
static int take_words(const cli_command *cmd, char **words, int n, cli_options *o)
{
    int want = cmd->bit & (CMD_RUN | CMD_NEW) || (cmd->bit == CMD_VERIFY && !o->outputs);
    int may = want || cmd->bit & (CMD_HELP | CMD_STATUS); /* status: one, or all */
    if (want && n == 0) {
        if (cmd->bit == CMD_NEW)
            fprintf(stderr, "backfill new: which name? (try: backfill new --help)\n");
        else
            fprintf(stderr, "backfill %s: which processor? (see: backfill list)\n", cmd->name);
        return EXIT_USAGE;
    }
    if (n > may) {
        fprintf(stderr, "backfill %s: unexpected argument '%s'\n", cmd->name, words[may]);
        return EXIT_USAGE;
    }
    if (n)
        o->processor = words[0];
    return 0;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_options *o)
{
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int n = 0, rc = 0, options = 1;
    if (!words) {
        fprintf(stderr, "backfill: out of memory\n");
        return EXIT_USAGE;
    }
    for (int i = 1; rc == 0 && i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0)
            options = 0;
        else if (options && argv[i][0] == '-' && argv[i][1])
            rc = take_option(cmd, cmd->bit, argc, argv, &i, o);
        else
            words[n++] = argv[i];
    }
    if (rc == 0)
        rc = check_together(cmd, o);
    if (rc == 0)
        rc = take_words(cmd, words, n, o);
    free(words);
    return rc;
}

int cli_parse_global(int argc, char **argv, cli_options *o, int *command)
{
    int i = 1, rc = 0;
    for (; rc == 0 && i < argc && argv[i][0] == '-' && argv[i][1]; i++)
        rc = take_option(NULL, CMD_GLOBAL, argc, argv, &i, o);
    *command = i;
    return rc;
}

/* "  -c, --config FILE" and its help, aligned. */
static void print_option(FILE *out, const cli_option *opt)
{
    char left[64];
    int n = snprintf(left, sizeof left, "  %s%c%s--%s%s%s", opt->short_name ? "-" : "",
                     opt->short_name ? opt->short_name : ' ', opt->short_name ? ", " : " ",
                     opt->name, opt->value ? " " : "", opt->value ? opt->value : "");
    if (!opt->short_name)
        memmove(left + 2, left + 4, strlen(left + 4) + 1), n -= 2;
    if (n > 26)
        fprintf(out, "%s\n%28s%s\n", left, "", opt->help);
    else
        fprintf(out, "%-28s%s\n", left, opt->help);
}

/* The command's own options first, then those every command takes. */
static void print_options(FILE *out, unsigned bit)
{
    for (int general = 0; general < 2; general++)
        for (size_t i = 0; i < cli_noptions; i++) {
            const cli_option *opt = &cli_option_table[i];
            if ((opt->commands & bit) && !!(opt->commands & CMD_GLOBAL) == general)
                print_option(out, opt);
        }
}

/* cmd's help (NULL: the global help): usage, what it does, and every
 * option of the table that applies to it. */
static void print_help(FILE *out, const cli_command *cmd)
{
    if (cmd) {
        fprintf(out, "usage: backfill %s %s\n\n%s", cmd->name, cmd->args, cmd->about);
        if (cmd->bit & (CMD_RUN | CMD_VERIFY | CMD_PIPELINE | CMD_GAPS))
            fprintf(out, "\nDATES: --start-date D --end-date D | --dates D1,D2,... | "
                         "--dates-file FILE|-\n");
        fprintf(out, "\noptions:\n");
        print_options(out, cmd->bit);
        return;
    }
    fprintf(out, "usage: backfill [options] COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = &cli_commands[i];
        char left[128];
        int n =
            snprintf(left, sizeof left, "  %s %.*s", c->name, (int)strcspn(c->args, "\n"), c->args);
        if (n > 30)
            fprintf(out, "%s\n%32s%s\n", left, "", c->summary);
        else
            fprintf(out, "%-32s%s\n", left, c->summary);
    }
    fprintf(out, "(backfill help COMMAND, or backfill COMMAND --help, for its options)\n\n"
                 "DATES: --start-date D --end-date D | --dates D1,D2,... | --dates-file FILE|-\n"
                 "\noptions:\n");
    print_options(out, CMD_GLOBAL);
    fprintf(out, "\nexit: 0 done, 1 dates failed/partial/blocked, 2 usage/config/plugin error,\n"
                 "      3 pre-flight refused, 4 locked by another run, 5 state not saved,\n"
                 "      130 interrupted\n");
}

/* One line per option of bit (a name shared by two entries once). */
static void print_names(FILE *out, unsigned bit)
{
    for (size_t i = 0; i < cli_noptions; i++) {
        const cli_option *opt = &cli_option_table[i];
        int seen = 0;
        for (size_t k = 0; k < i; k++)
            seen |= (cli_option_table[k].commands & bit) &&
                    strcmp(cli_option_table[k].name, opt->name) == 0;
        if (!(opt->commands & bit) || seen)
            continue;
        fprintf(out, "--%s%s%s\n", opt->name, opt->value ? " " : "", opt->value ? opt->value : "");
        if (opt->short_name)
            fprintf(out, "-%c%s%s\n", opt->short_name, opt->value ? " " : "",
                    opt->value ? opt->value : "");
    }
}

/* One per line: cmd's options, or (cmd NULL) the commands and then the
 * global options; an option followed by " VALUE" when it takes one. What
 * the bash completion offers. */
static void print_command_names(FILE *out, const cli_command *cmd)
{
    if (cmd) {
        print_names(out, cmd->bit);
        return;
    }
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(out, "%s\n", cli_commands[i].name);
    print_names(out, CMD_GLOBAL);
}

/* `help [COMMAND] [--options]`. */
static int cmd_help(const cli_options *o, const bf_config *cfg)
{
    (void)cfg;
    const cli_command *cmd = NULL;
    if (o->processor && !(cmd = cli_find_command(o->processor)))
        return cli_unknown_command(o->processor);
    if (o->names_only)
        print_command_names(stdout, cmd);
    else
        print_help(stdout, cmd);
    return EXIT_DONE;
}

int cli_unknown_command(const char *name)
{
    const char *names[sizeof cli_commands / sizeof cli_commands[0]];
    for (size_t i = 0; i < cli_ncommands; i++)
        names[i] = cli_commands[i].name;
    const char *near = name_nearest(name, names, cli_ncommands);
    fprintf(stderr, "backfill: unknown command '%s'", name);
    if (near)
        fprintf(stderr, "; did you mean '%s'?", near);
    fprintf(stderr, " (try: backfill --help)\n");
    return EXIT_USAGE;
}
