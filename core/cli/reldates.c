/* reldates.c - the dates a command was given, settled once before it runs:
 * relative words (today, yesterday, today-N, season) resolved to
 * YYYY-MM-DD, said on stderr, written into the command line that the
 * checkpoint and the event log record; and a selection holding no
 * calendar date refused, instead of a run that "completes" nothing. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "engine/calendar.h"
#include "stores/store.h"

/* Resolve one option's value in place: *value is pointed at buf when it
 * was relative. which: 0 a start (season's first day), 1 an end (its
 * last). Appends "OPT WORD = DATE" to note. Returns 0 or -1 after one
 * error line. */
static int resolve_one(const char *opt, const char **value, int which, const bf_config *cfg,
                       char buf[DATE_LEN], char *note, size_t notelen)
{
    const char *v = *value;
    char why[160];
    bf_day day, today;
    if (!v || (!date_is_relative(v) && strcmp(v, "season") != 0))
        return 0;
    if (date_today(&today, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "backfill: %s\n", why);
        return -1;
    }
    if (strcmp(v, "season") == 0) {
        const season *s = expect_current_season(cfg->seasons, cfg->nseasons, today);
        if (!s) {
            date_format(today, buf);
            fprintf(stderr, "backfill: %s season: no season in %s starts on or before today (%s)\n",
                    opt, cfg->path, buf);
            return -1;
        }
        day = which ? s->end : s->start;
    } else if (date_parse_user(v, &day, why, sizeof why) != 0) {
        fprintf(stderr, "backfill: %s: %s\n", opt, why);
        return -1;
    }
    date_format(day, buf);
    size_t n = strlen(note);
    snprintf(note + n, notelen - n, "%s%s %s = %s", n ? ", " : "", opt, v, buf);
    *value = buf;
    return 0;
}

/* --dates with relative words, or --dates-file - (stdin is read once,
 * here, and every later reader sees the list): the dates as a list
 * malloc'd into o->dates_buf. Returns 0 or -1 after one error line. */
static int resolve_list(cli_options *o, char *note, size_t notelen)
{
    char err[1024];
    date_selection sel;
    if (date_selection_parse(NULL, NULL, o->dates, o->dates ? NULL : o->dates_file, &sel, err,
                             sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return -1;
    }
    o->dates_buf = malloc(sel.list.n * DATE_LEN + 1);
    if (!o->dates_buf) {
        date_selection_free(&sel);
        fprintf(stderr, "backfill: out of memory\n");
        return -1;
    }
    char *p = o->dates_buf;
    for (size_t i = 0; i < sel.list.n; i++) {
        if (i)
            *p++ = ',';
        date_format(sel.list.days[i], p);
        p += DATE_LEN - 1;
    }
    *p = '\0';
    size_t n = strlen(note);
    if (o->dates)
        snprintf(note + n, notelen - n, "%s--dates %s = %s", n ? ", " : "", o->dates,
                 sel.list.n > 8 ? "(sorted)" : o->dates_buf);
    o->dates = o->dates_buf;
    o->dates_file = NULL;
    date_selection_free(&sel);
    return 0;
}

/* One word of the recorded command line, a space before all but the first. */
static void put_word(FILE *f, const char *a, const char *b)
{
    fprintf(f, "%s%s%s", ftell(f) ? " " : "", a, b ? b : "");
}

/* The recorded command line with each dates option's value as resolved;
 * `--dates season` becomes the range it named. */
static void rewrite_command(cli_options *o, int season_list)
{
    static const char *const opts[] = {"--start-date=", "--end-date=", "--dates="};
    const char *vals[] = {o->start_date, o->end_date, o->dates};
    char *out = NULL, *save = NULL, *copy = o->command_line ? strdup(o->command_line) : NULL;
    size_t len = 0;
    FILE *f = copy ? open_memstream(&out, &len) : NULL;
    if (!f) {
        free(copy);
        return;
    }
    int next = -1;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        int opt = -1, done = 0;
        for (int k = 0; k < 3 && !done; k++) {
            size_t n = strlen(opts[k]);
            if (strncmp(tok, opts[k], n - 1) != 0 || (tok[n - 1] != '\0' && tok[n - 1] != '='))
                continue;
            if (k == 2 && season_list) {
                put_word(f, "--start-date ", o->start_date);
                put_word(f, "--end-date ", o->end_date);
                opt = tok[n - 1] ? -1 : 3; /* 3: drop the value that follows */
                done = 1;
            } else if (tok[n - 1] == '=') {
                put_word(f, opts[k], vals[k]);
                done = 1;
            } else {
                opt = k;
            }
        }
        if (!done && next != 3)
            put_word(f, next >= 0 && vals[next] ? vals[next] : tok, NULL);
        next = opt;
    }
    fclose(f);
    free(copy);
    free(o->command_line);
    o->command_line = out;
}

/* A selection holding no date of the calendar is refused here, once, for
 * every command. A store or calendar that cannot be read is left to the
 * command, which reports it in its own words. */
static int refuse_empty(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    date_selection sel;
    if (date_selection_parse(o->start_date, o->end_date, o->dates, o->dates_file, &sel, err,
                             sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    store *ro = NULL;
    date_list cal = {0};
    size_t n = 0;
    int known = store_open(cfg->store_conf, STORE_READ_ONLY, &ro, err, sizeof err) == BF_OK &&
                calendar_load(ro, cfg, sel.first, sel.last, &cal, err, sizeof err) == 0;
    for (size_t i = 0; known && i < cal.n; i++)
        n += sel.is_range || date_list_contains(&sel.list, cal.days[i]);
    store_close(ro);
    date_list_free(&cal);
    char first[DATE_LEN], last[DATE_LEN];
    date_format(sel.first, first);
    date_format(sel.last, last);
    date_selection_free(&sel);
    if (!known || n)
        return 0;
    fprintf(stderr, "backfill: no date of calendar %s.%s in %s%s%s: nothing to do\n",
            cfg->calendar_table, cfg->calendar_column, first, strcmp(first, last) == 0 ? "" : "..",
            strcmp(first, last) == 0 ? "" : last);
    return EXIT_USAGE;
}

int cli_dates_settle(cli_options *o, const bf_config *cfg, int refuse_no_dates)
{
    char note[1024] = "";
    int season_list = o->dates && strcmp(o->dates, "season") == 0;
    if (season_list) {
        o->start_date = o->end_date = "season";
        o->dates = NULL;
    }
    if (resolve_one("--start-date", &o->start_date, 0, cfg, o->start_buf, note, sizeof note) != 0 ||
        resolve_one("--end-date", &o->end_date, 1, cfg, o->end_buf, note, sizeof note) != 0)
        return EXIT_USAGE;
    int relative = 0;
    for (const char *p = o->dates; p && !relative; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        relative = strncmp(p, "today", 5) == 0 || strncmp(p, "yesterday", 9) == 0;
    int from_stdin = o->dates_file && strcmp(o->dates_file, "-") == 0 && !o->dates;
    if ((relative || from_stdin) && resolve_list(o, note, sizeof note) != 0)
        return EXIT_USAGE;
    if (note[0]) {
        bf_day today;
        const char *from = NULL;
        char why[160], t[DATE_LEN];
        date_today(&today, &from, why, sizeof why);
        date_format(today, t);
        log_info("dates: today = %s (from %s): %s", t, from, note);
        rewrite_command(o, season_list);
    }
    return refuse_no_dates ? refuse_empty(o, cfg) : 0;
}
