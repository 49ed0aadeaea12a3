/* dates.h - strict YYYY-MM-DD dates as day numbers, and the date lists
 * users hand to `run` and `verify`. */
#ifndef BF_DATES_H
#define BF_DATES_H

#include <stddef.h>

/* Days since 1970-01-01 (proleptic Gregorian). */
typedef int bf_day;

#define DATE_LEN 11 /* "YYYY-MM-DD" plus NUL */

/* The day "today" means, fixed once per process: BACKFILL_TODAY=YYYY-MM-DD
 * when set (tests, reproducible runs), else the UTC date at the first call.
 * Returns 0, or -1 with one line in err (a bad BACKFILL_TODAY). *from says
 * where it came from ("BACKFILL_TODAY" or "the clock"); from may be NULL. */
int date_today(bf_day *today, const char **from, char *err, size_t errlen);

/* 1 if s is a relative date word: today, yesterday or today-N. */
int date_is_relative(const char *s);

/* date_parse, and also today, yesterday and today-N (N days before today,
 * 0-100000) against date_today(). Same contract as date_parse. */
int date_parse_user(const char *s, bf_day *day, char *why, size_t whylen);

/* Parse exactly "YYYY-MM-DD" naming a real calendar day. Returns 0 and sets
 * *day, or -1 with a reason in why ("expected YYYY-MM-DD", "2026-02 has 28
 * days") and *day unchanged. */
int date_parse(const char *s, bf_day *day, char *why, size_t whylen);

/* The day of a valid year, month (1-12) and day of month. */
bf_day date_from_ymd(int year, int month, int day);

/* Write "YYYY-MM-DD" into out (DATE_LEN bytes). */
void date_format(bf_day day, char out[DATE_LEN]);

/* A growable array of days. Owned by whoever declared it; date_list_free
 * releases it. */
typedef struct date_list {
    bf_day *days;
    size_t n, cap;
} date_list;

int date_list_push(date_list *list, bf_day day);
void date_list_free(date_list *list);
/* Binary search in a list sorted ascending; 1 if present. */
int date_list_contains(const date_list *list, bf_day day);
void date_list_sort(date_list *list);

/* What the user asked for: a range, or an explicit list (sorted, unique). */
typedef struct date_selection {
    int is_range;
    bf_day first, last; /* the range, or the list's min and max */
    date_list list;     /* only when !is_range */
} date_selection;

/* The dates as a command names them: a range, a list, or a file (see
 * date_selection_parse). Borrowed strings, any of them NULL. */
typedef struct date_args {
    const char *start_date, *end_date, *dates, *dates_file;
} date_args;

/* Build a selection from the three mutually exclusive forms. Exactly one of
 * (start and end), dates_csv, dates_file must be given; dates_file "-"
 * reads stdin. On error returns -1 with one line in err (naming the option,
 * the bad date and for files FILE:LINE) and frees what it allocated. */
int date_selection_parse(const char *start, const char *end, const char *dates_csv,
                         const char *dates_file, date_selection *sel, char *err, size_t errlen);
void date_selection_free(date_selection *sel);

#endif
