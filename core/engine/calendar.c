/* calendar.c - one query for the calendar's distinct dates, all of them
 * checked, those in the range kept. */
#include "engine/calendar.h"

#include <stdio.h>
#include <string.h>

typedef struct collect {
    date_list *out;
    bf_day first, last;
    char bad[64];
    int oom;
} collect;

static int add_day(void *udata, int ncols, const bf_value *values)
{
    collect *c = udata;
    char why[64];
    bf_day d;
    (void)ncols;
    const char *text = values[0].type == BF_TEXT ? values[0].v.s : NULL;
    if (!text || date_parse(text, &d, why, sizeof why) != 0) {
        snprintf(c->bad, sizeof c->bad, "%.40s",
                 text                        ? text
                 : values[0].type == BF_NULL ? "NULL"
                                             : "a number");
        return 1;
    }
    if (d < c->first || d > c->last)
        return 0;
    c->oom = date_list_push(c->out, d) != 0;
    return c->oom;
}

int calendar_load(store *s, const bf_config *cfg, bf_day first, bf_day last, date_list *out,
                  char *err, size_t errlen)
{
    int exists = 0;
    if (store_table_exists(s, cfg->calendar_table, &exists) != BF_OK) {
        snprintf(err, errlen, "reading the calendar: %s", store_error(s));
        return -1;
    }
    if (!exists) {
        snprintf(err, errlen, "%s: calendar.table '%s' does not exist in the store", cfg->path,
                 cfg->calendar_table);
        return -1;
    }
    /* Every value, not only those in the range: a column of 20240101 or
     * of epoch seconds never compares between two dates, and would pass
     * as a calendar with no dates and a run with nothing to do. */
    char sql[1400], qt[300], qc[300];
    if (!store_quote(s, cfg->calendar_table, qt, sizeof qt) ||
        !store_quote(s, cfg->calendar_column, qc, sizeof qc)) {
        snprintf(err, errlen, "calendar %s.%s: name too long to quote", cfg->calendar_table,
                 cfg->calendar_column);
        return -1;
    }
    /* ORDER BY the column, not by position: ClickHouse 18 reads "ORDER BY 1"
     * as the constant 1, which leaves the dates unordered. */
    snprintf(sql, sizeof sql, "SELECT DISTINCT %s FROM %s ORDER BY %s", qc, qt, qc);
    collect c = {out, first, last, "", 0};
    if (store_core_query(s, sql, NULL, 0, add_day, &c) != BF_OK) {
        snprintf(err, errlen, "reading the calendar: %s", store_error(s));
        return -1;
    }
    if (c.oom) {
        snprintf(err, errlen, "reading the calendar: out of memory");
        return -1;
    }
    if (c.bad[0]) {
        snprintf(err, errlen,
                 "%s: calendar %s.%s holds %s%s%s, not a YYYY-MM-DD date (point calendar.table "
                 "at a view without such rows)",
                 cfg->path, cfg->calendar_table, cfg->calendar_column,
                 strcmp(c.bad, "NULL") ? "'" : "", c.bad, strcmp(c.bad, "NULL") ? "'" : "");
        return -1;
    }
    return 0;
}
