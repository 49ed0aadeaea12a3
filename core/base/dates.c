/* dates.c - strict date parsing, civil-day arithmetic and date lists. */
#include "base/dates.h"

#include "base/files.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
static bf_day days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(bf_day z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

bf_day date_from_ymd(int year, int month, int day)
{
    return days_from_civil(year, month, day);
}

int date_parse(const char *s, bf_day *day, char *why, size_t whylen)
{
    static const int digit_at[] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        goto shape;
    for (size_t i = 0; i < sizeof digit_at / sizeof digit_at[0]; i++)
        if (!isdigit((unsigned char)s[digit_at[i]]))
            goto shape;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || y > 2999) {
        snprintf(why, whylen, "year %d is out of range 1900-2999", y);
        return -1;
    }
    if (m < 1 || m > 12) {
        snprintf(why, whylen, "month %02d does not exist", m);
        return -1;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        snprintf(why, whylen, "%04d-%02d has %d days", y, m, days_in_month(y, m));
        return -1;
    }
    *day = days_from_civil(y, m, d);
    return 0;
shape:
    snprintf(why, whylen, "expected YYYY-MM-DD");
    return -1;
}

/* Fixed once: a run that crosses midnight keeps the today it started with. */
static struct {
    pthread_once_t once;
    int ok;
    bf_day day;
    const char *from;
    char err[160];
} today_fixed = {PTHREAD_ONCE_INIT, 0, 0, NULL, ""};

static void today_fix(void)
{
    const char *env = getenv("BACKFILL_TODAY");
    if (env && *env) {
        char why[64];
        today_fixed.from = "BACKFILL_TODAY";
        today_fixed.ok = date_parse(env, &today_fixed.day, why, sizeof why) == 0;
        if (!today_fixed.ok)
            snprintf(today_fixed.err, sizeof today_fixed.err,
                     "BACKFILL_TODAY: invalid date '%.40s': %s", env, why);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    today_fixed.from = "the clock";
    today_fixed.day = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    today_fixed.ok = 1;
}

int date_today(bf_day *today, const char **from, char *err, size_t errlen)
{
    pthread_once(&today_fixed.once, today_fix);
    if (from)
        *from = today_fixed.from;
    if (!today_fixed.ok) {
        snprintf(err, errlen, "%s", today_fixed.err);
        return -1;
    }
    *today = today_fixed.day;
    return 0;
}

/* The days before today a relative word names, or -1 if it is none. */
static long relative_offset(const char *s)
{
    if (strcmp(s, "today") == 0)
        return 0;
    if (strcmp(s, "yesterday") == 0)
        return 1;
    if (strncmp(s, "today-", 6) != 0 || !isdigit((unsigned char)s[6]) || strlen(s + 6) > 6)
        return -1;
    for (const char *p = s + 6; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    long n = strtol(s + 6, NULL, 10);
    return n <= 100000 ? n : -1;
}

int date_is_relative(const char *s)
{
    return relative_offset(s) >= 0;
}

int date_parse_user(const char *s, bf_day *day, char *why, size_t whylen)
{
    long back = relative_offset(s);
    if (back < 0) {
        int rc = date_parse(s, day, why, whylen);
        if (rc != 0 && strcmp(why, "expected YYYY-MM-DD") == 0)
            snprintf(why, whylen, "expected YYYY-MM-DD, today, yesterday or today-N");
        return rc;
    }
    bf_day today;
    if (date_today(&today, NULL, why, whylen) != 0)
        return -1;
    *day = today - (bf_day)back;
    return 0;
}

void date_format(bf_day day, char out[DATE_LEN])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    /* Digits by hand: days in use are years 1900-2999, so four digits. */
    const int parts[3] = {y, m, d}, widths[3] = {4, 2, 2};
    char *o = out;
    for (int i = 0; i < 3; i++) {
        for (int w = widths[i] - 1, v = parts[i]; w >= 0; w--, v /= 10)
            o[w] = (char)('0' + (v % 10 + 10) % 10);
        o += widths[i];
        *o++ = i < 2 ? '-' : '\0';
    }
}

int date_list_push(date_list *list, bf_day day)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        bf_day *days = realloc(list->days, cap * sizeof *days);
        if (!days)
            return -1;
        list->days = days;
        list->cap = cap;
    }
    list->days[list->n++] = day;
    return 0;
}

void date_list_free(date_list *list)
{
    free(list->days);
    memset(list, 0, sizeof *list);
}

static int cmp_day(const void *a, const void *b)
{
    bf_day x = *(const bf_day *)a, y = *(const bf_day *)b;
    return (x > y) - (x < y);
}

void date_list_sort(date_list *list)
{
    if (list->n)
        qsort(list->days, list->n, sizeof *list->days, cmp_day);
}

int date_list_contains(const date_list *list, bf_day day)
{
    return list->n && bsearch(&day, list->days, list->n, sizeof day, cmp_day) != NULL;
}

/* Parse one token of a list; where names the source for the message. */
static int push_token(date_list *list, const char *tok, const char *where, char *err, size_t errlen)
{
    char why[160];
    bf_day day;
    if (date_parse_user(tok, &day, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: invalid date '%s': %s", where, tok, why);
        return -1;
    }
    if (date_list_push(list, day) != 0) {
        snprintf(err, errlen, "%s: out of memory", where);
        return -1;
    }
    return 0;
}

static int parse_csv(const char *csv, date_list *list, char *err, size_t errlen)
{
    char *copy = strdup(csv), *save = NULL;
    if (!copy) {
        snprintf(err, errlen, "--dates: out of memory");
        return -1;
    }
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save))
        rc = push_token(list, tok, "--dates", err, errlen);
    free(copy);
    return rc;
}

/* One date per line (commas also separate); blank lines and '#' comments
 * are ignored so a saved re-run file can carry a header. */
static int parse_file(const char *path, date_list *list, char *err, size_t errlen)
{
    char why[512];
    FILE *f = strcmp(path, "-") == 0 ? stdin : file_fopen_regular(path, why, sizeof why);
    if (!f) {
        snprintf(err, errlen, "--dates-file %s%s", why,
                 strstr(why, "not a regular file") ? " (pipe it to --dates-file - instead)" : "");
        return -1;
    }
    char *line = NULL, where[512];
    size_t cap = 0;
    int rc = 0;
    ssize_t len;
    /* getline: a re-run list saved on one line may be thousands of dates. */
    for (int lineno = 1; rc == 0 && (len = getline(&line, &cap, f)) >= 0; lineno++) {
        snprintf(where, sizeof where, "%s:%d", strcmp(path, "-") ? path : "<stdin>", lineno);
        /* A NUL would end the line early and hide whatever follows it. */
        if (strlen(line) != (size_t)len) {
            snprintf(err, errlen, "%s: holds a NUL byte: not a text file of dates", where);
            rc = -1;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *save = NULL;
        for (char *tok = strtok_r(line, ", \t\r\n", &save); tok && rc == 0;
             tok = strtok_r(NULL, ", \t\r\n", &save))
            rc = push_token(list, tok, where, err, errlen);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int date_selection_parse(const char *start, const char *end, const char *dates_csv,
                         const char *dates_file, date_selection *sel, char *err, size_t errlen)
{
    memset(sel, 0, sizeof *sel);
    int forms = (start || end) + (dates_csv != NULL) + (dates_file != NULL);
    if (forms == 0) {
        snprintf(err, errlen,
                 "no dates: give --start-date and --end-date, --dates or --dates-file");
        return -1;
    }
    if (forms > 1) {
        snprintf(err, errlen, "give only one of --start-date/--end-date, --dates, --dates-file");
        return -1;
    }
    if (start || end) {
        char why[160];
        if (!start || !end) {
            snprintf(err, errlen, "%s needs %s too", start ? "--start-date" : "--end-date",
                     start ? "--end-date" : "--start-date");
            return -1;
        }
        if (date_parse_user(start, &sel->first, why, sizeof why) != 0) {
            snprintf(err, errlen, "--start-date: invalid date '%s': %s", start, why);
            return -1;
        }
        if (date_parse_user(end, &sel->last, why, sizeof why) != 0) {
            snprintf(err, errlen, "--end-date: invalid date '%s': %s", end, why);
            return -1;
        }
        if (sel->first > sel->last) {
            snprintf(err, errlen, "--start-date %s is after --end-date %s", start, end);
            return -1;
        }
        sel->is_range = 1;
        return 0;
    }
    const char *opt = dates_csv ? "--dates" : "--dates-file";
    int rc = dates_csv ? parse_csv(dates_csv, &sel->list, err, errlen)
                       : parse_file(dates_file, &sel->list, err, errlen);
    if (rc == 0 && sel->list.n == 0) {
        snprintf(err, errlen, "%s: empty date list", opt);
        rc = -1;
    }
    if (rc == 0) {
        date_list_sort(&sel->list);
        for (size_t i = 1; i < sel->list.n; i++) {
            if (sel->list.days[i] == sel->list.days[i - 1]) {
                char d[DATE_LEN];
                date_format(sel->list.days[i], d);
                snprintf(err, errlen, "%s: %s appears twice", opt, d);
                rc = -1;
                break;
            }
        }
    }
    if (rc != 0) {
        date_list_free(&sel->list);
        return -1;
    }
    sel->first = sel->list.days[0];
    sel->last = sel->list.days[sel->list.n - 1];
    return 0;
}

void date_selection_free(date_selection *sel)
{
    date_list_free(&sel->list);
}
