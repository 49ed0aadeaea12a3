/* test_dates.c - strict parsing, day arithmetic and date selections. */
#include <stdlib.h>
#include <unistd.h>

#include "base/dates.h"
#include "unit.h"

static bf_day d_of(const char *s)
{
    char why[64];
    bf_day d = -1;
    date_parse(s, &d, why, sizeof why);
    return d;
}

static const char *why_of(const char *s)
{
    static char why[64];
    bf_day d;
    why[0] = '\0';
    return date_parse(s, &d, why, sizeof why) == 0 ? "ok" : why;
}

/* Walk every day of years first..last with a month table of its own, and
 * check each text parses to the previous day + 1 and formats back to the
 * same text. Returns the number of days walked, or -1 at the first miss. */
static long walk_calendar(int first, int last)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long n = 0;
    bf_day prev = 0;
    for (int y = first; y <= last; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int days = len[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= days; d++) {
                char text[32], back[DATE_LEN], why[64];
                bf_day day;
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
                if (date_parse(text, &day, why, sizeof why) != 0 || (n > 0 && day != prev + 1) ||
                    date_from_ymd(y, m, d) != day)
                    return -1;
                date_format(day, back);
                if (strcmp(back, text) != 0)
                    return -1;
                prev = day;
                n++;
            }
        }
    }
    return n;
}

static const char *select_err(const char *start, const char *end, const char *csv, const char *file)
{
    static char err[256];
    date_selection sel;
    if (date_selection_parse(start, end, csv, file, &sel, err, sizeof err) == 0) {
        date_selection_free(&sel);
        return "ok";
    }
    return err;
}

UNIT_CASE(strict_parsing)
{
    CHECK_STR("leap day 2024", "ok", why_of("2024-02-29"));
    CHECK_STR("leap day 2000", "ok", why_of("2000-02-29"));
    CHECK_STR("last day of 1999", "ok", why_of("1999-12-31"));
    CHECK_STR("last day of range", "ok", why_of("2999-12-31"));
    CHECK_STR("year 3000", "year 3000 is out of range 1900-2999", why_of("3000-01-01"));
    CHECK_STR("empty string", "expected YYYY-MM-DD", why_of(""));
    CHECK_STR("sign in the year", "expected YYYY-MM-DD", why_of("+026-01-03"));
    CHECK_STR("day 30 of February", "2026-02 has 28 days", why_of("2026-02-30"));
    CHECK_STR("no leap day 2023", "2023-02 has 28 days", why_of("2023-02-29"));
    CHECK_STR("no leap day 1900", "1900-02 has 28 days", why_of("1900-02-29"));
    CHECK_STR("April 31", "2026-04 has 30 days", why_of("2026-04-31"));
    CHECK_STR("unpadded", "expected YYYY-MM-DD", why_of("2026-1-3"));
    CHECK_STR("unpadded day", "expected YYYY-MM-DD", why_of("2026-01-3"));
    CHECK_STR("leading space", "expected YYYY-MM-DD", why_of(" 2026-01-03"));
    CHECK_STR("trailing junk", "expected YYYY-MM-DD", why_of("2026-01-03x"));
    CHECK_STR("slashes", "expected YYYY-MM-DD", why_of("2026/01/03"));
    CHECK_STR("month 13", "month 13 does not exist", why_of("2026-13-01"));
    CHECK_STR("month 00", "month 00 does not exist", why_of("2026-00-01"));
    CHECK_STR("day 00", "2026-01 has 31 days", why_of("2026-01-00"));
    CHECK_STR("year range", "year 1899 is out of range 1900-2999", why_of("1899-12-31"));
}

UNIT_CASE(parse_result)
{
    bf_day kept = 12345;
    char w[64];
    CHECK("a rejected date leaves *day unchanged",
          date_parse("2026-02-30", &kept, w, sizeof w) == -1 && kept == 12345);
    CHECK("an accepted date returns 0",
          date_parse("2026-01-03", &kept, w, sizeof w) == 0 && kept == 20456);
}

UNIT_CASE(day_arithmetic)
{
    bf_day d0, d1;
    char buf[DATE_LEN], why[64];
    CHECK("epoch is day 0", date_parse("1970-01-01", &d0, why, sizeof why) == 0 && d0 == 0);
    date_parse("1900-01-01", &d0, why, sizeof why);
    date_parse("2100-12-31", &d1, why, sizeof why);
    int round_trip = 1;
    for (bf_day d = d0; d <= d1 && round_trip; d++) {
        bf_day back;
        date_format(d, buf);
        round_trip = date_parse(buf, &back, why, sizeof why) == 0 && back == d;
    }
    CHECK("every day 1900-2100 formats and parses back to itself", round_trip);
    CHECK("1900-01-01 .. 2100-12-31 is 73413 days apart", d1 - d0 == 73413);
    CHECK("consecutive calendar days are exactly 1 apart", walk_calendar(1900, 2100) == 73414);
    date_format(d0 + 59, buf);
    CHECK_STR("1900 is not a leap year", "1900-03-01", buf);
}

UNIT_CASE(selection_errors)
{
    CHECK_STR("range", "ok", select_err("2026-01-01", "2026-01-03", NULL, NULL));
    CHECK_STR("reversed range", "--start-date 2026-01-05 is after --end-date 2026-01-03",
              select_err("2026-01-05", "2026-01-03", NULL, NULL));
    CHECK_STR("start without end", "--start-date needs --end-date too",
              select_err("2026-01-05", NULL, NULL, NULL));
    CHECK_STR("bad start date", "--start-date: invalid date '2026-02-30': 2026-02 has 28 days",
              select_err("2026-02-30", "2026-03-01", NULL, NULL));
    CHECK_STR(
        "bad end date",
        "--end-date: invalid date '2026-3-1': expected YYYY-MM-DD, today, yesterday or today-N",
        select_err("2026-02-01", "2026-3-1", NULL, NULL));
    CHECK_STR("one-day range", "ok", select_err("2026-01-03", "2026-01-03", NULL, NULL));
    CHECK_STR("end without start", "--end-date needs --start-date too",
              select_err(NULL, "2026-01-05", NULL, NULL));
    CHECK_STR("range and list", "give only one of --start-date/--end-date, --dates, --dates-file",
              select_err("2026-01-01", "2026-01-02", "2026-01-01", NULL));
    CHECK_STR("nothing", "no dates: give --start-date and --end-date, --dates or --dates-file",
              select_err(NULL, NULL, NULL, NULL));
    CHECK_STR("empty list", "--dates: empty date list", select_err(NULL, NULL, "", NULL));
    CHECK_STR("a single comma", "--dates: empty date list", select_err(NULL, NULL, ",", NULL));
    CHECK_STR("list of commas", "--dates: empty date list", select_err(NULL, NULL, ",,", NULL));
    CHECK_STR("a space is not a separator in --dates",
              "--dates: invalid date ' 2026-01-02': expected YYYY-MM-DD, today, "
              "yesterday or today-N",
              select_err(NULL, NULL, "2026-01-01, 2026-01-02", NULL));
    CHECK_STR("range and file", "give only one of --start-date/--end-date, --dates, --dates-file",
              select_err("2026-01-01", NULL, NULL, "-"));
    CHECK_STR("duplicate", "--dates: 2026-01-03 appears twice",
              select_err(NULL, NULL, "2026-01-03,2026-01-01,2026-01-03", NULL));
    CHECK_STR("bad date in list", "--dates: invalid date '2026-02-30': 2026-02 has 28 days",
              select_err(NULL, NULL, "2026-01-03,2026-02-30", NULL));
}

UNIT_CASE(list_selection)
{
    bf_day d0, d1;
    char buf[DATE_LEN], why[64];
    date_selection sel;
    char err[256];
    int rc = date_selection_parse(NULL, NULL, "2026-01-09,2026-01-02,2026-01-05", NULL, &sel, err,
                                  sizeof err);
    CHECK("list parses", rc == 0 && !sel.is_range && sel.list.n == 3);
    CHECK("list days ascending",
          sel.list.days[0] < sel.list.days[1] && sel.list.days[1] < sel.list.days[2]);
    date_format(sel.first, buf);
    CHECK_STR("list first is its minimum", "2026-01-02", buf);
    date_format(sel.last, buf);
    CHECK_STR("list last is its maximum", "2026-01-09", buf);
    date_format(sel.list.days[1], buf);
    CHECK_STR("list sorted", "2026-01-05", buf);
    date_parse("2026-01-05", &d0, why, sizeof why);
    date_parse("2026-01-06", &d1, why, sizeof why);
    CHECK("contains a listed day", date_list_contains(&sel.list, d0));
    CHECK("does not contain another", !date_list_contains(&sel.list, d1));
    date_selection_free(&sel);
}

/* The dates file cases share dir and path: made by dates_file, removed by
 * dates_file_errors. */
static char dir[] = "/tmp/bf-unit-dates.XXXXXX", path[128];

static void write_dates(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

UNIT_CASE(dates_file)
{
    date_selection sel;
    char err[256];
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/dates.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("# re-run list\n2026-01-03\n\n2026-01-01, 2026-01-02  # trailing comment\n", f);
    fclose(f);
    int rc = date_selection_parse(NULL, NULL, NULL, path, &sel, err, sizeof err);
    CHECK("dates file with comments, blanks and commas", rc == 0 && sel.list.n == 3);
    CHECK("dates file is a list, first and last set",
          rc == 0 && !sel.is_range && sel.first == d_of("2026-01-01") &&
              sel.last == d_of("2026-01-03") && sel.list.days[1] == d_of("2026-01-02"));
    date_selection_free(&sel);

    f = fopen(path, "w");
    fputs("2026-01-03\r\n2026-01-04\r\n", f);
    fclose(f);
    rc = date_selection_parse(NULL, NULL, NULL, path, &sel, err, sizeof err);
    CHECK("dates file with CRLF line ends", rc == 0 && sel.list.n == 2);
    if (rc == 0)
        date_selection_free(&sel);
}

UNIT_CASE(dates_file_errors)
{
    date_selection sel;
    char err[256];
    write_dates("# nothing to do\n\n   \n");
    CHECK_STR("dates file with only comments", "--dates-file: empty date list",
              select_err(NULL, NULL, NULL, path));
    write_dates("2026-01-03\n2026-01-04\n2026-01-03\n");
    CHECK_STR("dates file duplicate", "--dates-file: 2026-01-03 appears twice",
              select_err(NULL, NULL, NULL, path));
    write_dates("2026-01-05\n2026-02-30\n");
    CHECK("stdin redirected", freopen(path, "r", stdin) != NULL);
    CHECK_STR("dates from stdin name <stdin>:LINE",
              "<stdin>:2: invalid date '2026-02-30': 2026-02 has 28 days",
              select_err(NULL, NULL, NULL, "-"));
    write_dates("2026-01-05\n2026-01-04\n");
    CHECK("stdin redirected again", freopen(path, "r", stdin) != NULL);
    int rc = date_selection_parse(NULL, NULL, NULL, "-", &sel, err, sizeof err);
    CHECK("dates from stdin", rc == 0 && sel.list.n == 2 && sel.first == d_of("2026-01-04") &&
                                  sel.last == d_of("2026-01-05"));
    if (rc == 0)
        date_selection_free(&sel);
    write_dates("2026-01-03\n# ok\n2026-1-04\n");
    char want[256];
    snprintf(want, sizeof want,
             "%s:3: invalid date '2026-1-04': expected YYYY-MM-DD, today, yesterday or today-N",
             path);
    CHECK_STR("dates file error names FILE:LINE", want, select_err(NULL, NULL, NULL, path));
    snprintf(path, sizeof path, "%s/absent.txt", dir);
    snprintf(want, sizeof want, "--dates-file %s: No such file or directory", path);
    CHECK_STR("missing dates file", want, select_err(NULL, NULL, NULL, path));
    snprintf(path, sizeof path, "%s/dates.txt", dir);
    unlink(path);
    rmdir(dir);
}

UNIT_CASE(long_line)
{
    /* A re-run list saved on one line: 500 dates, 5,499 characters. */
    char long_dir[] = "/tmp/bf-unit-dates-long.XXXXXX", long_path[128], d[DATE_LEN];
    CHECK("temp dir for a long line", mkdtemp(long_dir) != NULL);
    snprintf(long_path, sizeof long_path, "%s/long.txt", long_dir);
    FILE *lf = fopen(long_path, "w");
    bf_day first;
    char lwhy[64];
    date_parse("2020-01-01", &first, lwhy, sizeof lwhy);
    for (int i = 0; i < 500; i++) {
        date_format(first + i, d);
        fprintf(lf, "%s%s", i ? "," : "", d);
    }
    fputc('\n', lf);
    fclose(lf);
    date_selection lsel;
    char lerr[256];
    int lrc = date_selection_parse(NULL, NULL, NULL, long_path, &lsel, lerr, sizeof lerr);
    CHECK("a 5499-character line of 500 dates parses", lrc == 0 && lsel.list.n == 500);
    if (lrc == 0)
        date_selection_free(&lsel);
    unlink(long_path);
    rmdir(long_dir);
}

/* Relative dates against a fixed today. */
UNIT_CASE(relative_dates)
{
    {
        /* Relative dates against a fixed today. */
        setenv("BACKFILL_TODAY", "2024-03-01", 1);
        bf_day today, day;
        const char *from = NULL;
        char rwhy[160], rd[DATE_LEN];
        CHECK("BACKFILL_TODAY fixes today", date_today(&today, &from, rwhy, sizeof rwhy) == 0 &&
                                                today == d_of("2024-03-01") &&
                                                strcmp(from, "BACKFILL_TODAY") == 0);
        CHECK("yesterday across a leap day",
              date_parse_user("yesterday", &day, rwhy, sizeof rwhy) == 0 &&
                  (date_format(day, rd), strcmp(rd, "2024-02-29") == 0));
        CHECK("today-30", date_parse_user("today-30", &day, rwhy, sizeof rwhy) == 0 &&
                              (date_format(day, rd), strcmp(rd, "2024-01-31") == 0));
        CHECK("today-0 is today",
              date_parse_user("today-0", &day, rwhy, sizeof rwhy) == 0 && day == today);
        CHECK("today+1 is refused", date_parse_user("today+1", &day, rwhy, sizeof rwhy) != 0);
        CHECK("today- alone is refused",
              !date_is_relative("today-") && !date_is_relative("today-1x"));
        CHECK("a plain date still parses",
              date_parse_user("2024-01-02", &day, rwhy, sizeof rwhy) == 0 &&
                  day == d_of("2024-01-02"));
        date_selection rsel;
        char rerr[256];
        CHECK("a relative range",
              date_selection_parse("today-2", "today", NULL, NULL, &rsel, rerr, sizeof rerr) == 0 &&
                  rsel.is_range && rsel.first == today - 2 && rsel.last == today);
        CHECK("relative words in a list", date_selection_parse(NULL, NULL, "yesterday,today", NULL,
                                                               &rsel, rerr, sizeof rerr) == 0 &&
                                              rsel.list.n == 2 && rsel.list.days[0] == today - 1);
        date_selection_free(&rsel);
        /* Fixed once: changing the variable later changes nothing. */
        setenv("BACKFILL_TODAY", "2030-01-01", 1);
        CHECK("today is fixed once per process",
              date_today(&day, NULL, rwhy, sizeof rwhy) == 0 && day == today);
    }
}

UNIT_MAIN(74, UNIT(strict_parsing), UNIT(parse_result), UNIT(day_arithmetic),
          UNIT(selection_errors), UNIT(list_selection), UNIT(dates_file), UNIT(dates_file_errors),
          UNIT(long_line), UNIT(relative_dates))
