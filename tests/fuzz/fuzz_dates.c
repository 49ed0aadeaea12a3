/* fuzz_dates.c - date_parse and every form of date_selection_parse: a
 * range (the input split at its first newline), a --dates list and a
 * --dates-file holding the raw input. */
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "fuzz.h"

/* A parsed date prints back as the very text it was parsed from. */
static void check_date(const char *s)
{
    bf_day day;
    char why[64], back[DATE_LEN];
    if (date_parse(s, &day, why, sizeof why) != 0)
        return;
    date_format(day, back);
    if (strcmp(back, s) != 0)
        abort();
}

/* A selection is sorted, unique and bounded by first and last. */
static void check_selection(const date_selection *sel)
{
    if (sel->first > sel->last)
        abort();
    if (sel->is_range)
        return;
    if (sel->list.n == 0 || sel->list.days[0] != sel->first ||
        sel->list.days[sel->list.n - 1] != sel->last)
        abort();
    for (size_t i = 1; i < sel->list.n; i++)
        if (sel->list.days[i] <= sel->list.days[i - 1])
            abort();
}

static void parse(const char *start, const char *end, const char *csv, const char *file)
{
    date_selection sel;
    char err[512];
    if (date_selection_parse(start, end, csv, file, &sel, err, sizeof err) != 0)
        return;
    check_selection(&sel);
    date_selection_free(&sel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = strdup(fuzz_string(data, size));
    if (!s)
        return 0;
    check_date(s);
    parse(NULL, NULL, s, NULL);
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        parse(s, nl + 1, NULL, NULL);
    }
    free(s);
    const char *file = fuzz_write("dates.txt", data, size);
    if (file)
        parse(NULL, NULL, NULL, file);
    return 0;
}
