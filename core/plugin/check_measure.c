/* check_measure.c - the SQL behind the quality checks and the verdict on
 * what it measured. The queries use only what every store dialect shares:
 * count(*), sum(CASE WHEN ... THEN 1 ELSE 0 END), BETWEEN and GROUP BY. */
#include "plugin/check_measure.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CHECK_SQL_MAX 8192

double check_value(const bf_check *c, const check_figures *f)
{
    switch (c->kind) {
    case BF_CHECK_NOT_NULL: return f->rows ? (double)f->failing / (double)f->rows : 0;
    case BF_CHECK_ROW_COUNT:
        /* Rows where none are expected are infinitely many too many. */
        return f->expected ? (double)f->rows / (double)f->expected : f->rows ? INFINITY : 1;
    default: return (double)f->failing;
    }
}

int check_passes(const bf_check *c, const check_figures *f)
{
    double v = check_value(c, f);
    switch (c->kind) {
    case BF_CHECK_NOT_NULL: return v <= c->max_null_share + 1e-12;
    case BF_CHECK_ROW_COUNT: return v >= c->min - 1e-12 && v <= c->max + 1e-12;
    default: return f->failing == 0;
    }
}

const char *check_describe(const bf_check *c, const check_figures *f, int counts, char *buf,
                           size_t size)
{
    char limit[96], of[64] = "";
    checks_limit(c, limit, sizeof limit);
    double v = check_value(c, f);
    switch (c->kind) {
    case BF_CHECK_NOT_NULL:
        if (counts)
            snprintf(of, sizeof of, " (%lld of %lld rows)", (long long)f->failing,
                     (long long)f->rows);
        snprintf(buf, size, "%.1f %% NULL%s, limit %s", 100 * v, of, limit);
        break;
    case BF_CHECK_ROW_COUNT:
        snprintf(buf, size, "%lld row%s, %.3g of the %lld expected, limit %s", (long long)f->rows,
                 f->rows == 1 ? "" : "s", v, (long long)f->expected, limit);
        break;
    default: {
        const char *rows = f->failing == 1 ? "row" : "rows";
        int sql = c->kind == BF_CHECK_SQL || c->kind == BF_CHECK_SQL_BY_DATE;
        if (counts && !sql)
            snprintf(of, sizeof of, " (of %lld)", (long long)f->rows);
        if (sql)
            snprintf(buf, size, "%lld failing %s, limit %s", (long long)f->failing, rows, limit);
        else
            snprintf(buf, size, "%lld %s %s%s, limit %s", (long long)f->failing, rows,
                     c->kind == BF_CHECK_UNIQUE ? "repeating a key" : "outside the range", of,
                     limit);
    }
    }
    return buf;
}

static int64_t as_int(const bf_value *v)
{
    return v->type == BF_INT ? v->v.i : v->type == BF_REAL ? (int64_t)llround(v->v.d) : 0;
}

/* Append to buf at *n; -1 once it does not fit. */
static int put(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int put(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, size - *n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= size - *n)
        return -1;
    *n += (size_t)k;
    return 0;
}

/* The key columns of a unique check, each quoted, comma-separated. */
static int quoted_keys(const store *s, const char *list, char *buf, size_t size)
{
    size_t n = 0;
    char name[128], q[300];
    while (*list) {
        while (*list == ' ' || *list == ',')
            list++;
        size_t len = strcspn(list, ", ");
        if (len == 0)
            break;
        if (len >= sizeof name)
            return -1;
        memcpy(name, list, len);
        name[len] = '\0';
        list += len;
        if (!store_quote(s, name, q, sizeof q) || put(buf, size, &n, "%s%s", n ? ", " : "", q))
            return -1;
    }
    return 0;
}

/* c's own statement with every %s as table, into sql; -1 once it does not
 * fit. */
static int own_sql(const bf_check *c, const char *table, char *sql, size_t size)
{
    size_t n = 0;
    for (const char *p = c->sql; *p; p++) {
        int table_here = p[0] == '%' && p[1] == 's';
        if (table_here ? put(sql, size, &n, "%s", table) : put(sql, size, &n, "%c", *p))
            return -1;
        p += table_here;
    }
    return 0;
}

/* The grouped query of c: rows (date, rows checked, failing rows) over
 * date BETWEEN ? AND ?, preceded by min and max for a range check; for
 * sql_by_date its own, rows (date, failing rows). */
static int build(const store *s, const bf_check *c, const char *table, const char *date_column,
                 char *sql, size_t size)
{
    char d[300], col[300], keys[1024], where[CHECK_SQL_MAX / 2];
    size_t n = 0, w = 0;
    if (c->kind == BF_CHECK_SQL_BY_DATE)
        return own_sql(c, table, sql, size);
    if (!store_quote(s, date_column, d, sizeof d) ||
        (c->column && c->kind != BF_CHECK_UNIQUE && !store_quote(s, c->column, col, sizeof col)))
        return -1;
    if (put(where, sizeof where, &w, "%s WHERE %s BETWEEN ? AND ?", table, d) ||
        (c->filter && *c->filter && put(where, sizeof where, &w, " AND (%s)", c->filter)))
        return -1;
    switch (c->kind) {
    case BF_CHECK_NOT_NULL:
        return put(sql, size, &n,
                   "SELECT %s, count(*), sum(CASE WHEN %s IS NULL THEN 1 ELSE 0 END) FROM %s "
                   "GROUP BY %s",
                   d, col, where, d);
    case BF_CHECK_RANGE:
        return put(sql, size, &n,
                   "SELECT %s, count(*), sum(CASE WHEN %s < ? OR %s > ? THEN 1 ELSE 0 END) FROM %s "
                   "GROUP BY %s",
                   d, col, col, where, d);
    case BF_CHECK_UNIQUE:
        if (quoted_keys(s, c->column, keys, sizeof keys) != 0)
            return -1;
        return put(
            sql, size, &n,
            "SELECT bf_d, sum(bf_n), sum(bf_n - 1) FROM (SELECT %s AS bf_d, count(*) AS bf_n "
            "FROM %s GROUP BY %s, %s) bf_keys GROUP BY bf_d",
            d, where, d, keys);
    case BF_CHECK_ROW_COUNT:
        return put(sql, size, &n, "SELECT %s, count(*), 0 FROM %s GROUP BY %s", d, where, d);
    default: return -1;
    }
}

typedef struct range_rows {
    check_date_fn fn;
    void *udata;
    const char *first, *last; /* sql_by_date: the range asked for */
    char stray[32];           /* sql_by_date: a row's date outside it */
} range_rows;

static int take_row(void *udata, int ncols, const bf_value *values)
{
    range_rows *r = udata;
    if (ncols < 3 || values[0].type != BF_TEXT)
        return 0;
    check_figures f = {as_int(&values[1]), as_int(&values[2]), 0};
    r->fn(r->udata, values[0].v.s, &f);
    return 0;
}

/* A row of a sql_by_date check: (date, failing rows). A row of failing
 * rows whose date is not text of the range asked for (a query that ignores
 * ?1 and ?2, or writes its dates another way) stops the measurement:
 * counted nowhere, it would pass a failing date. A row of none fails
 * nothing, whatever its date. */
static int take_failing(void *udata, int ncols, const bf_value *values)
{
    range_rows *r = udata;
    check_figures f = {0, ncols >= 2 ? as_int(&values[1]) : 1, 0};
    if (f.failing == 0)
        return 0;
    const char *d = ncols >= 1 && values[0].type == BF_TEXT ? values[0].v.s : NULL;
    if (!d || strcmp(d, r->first) < 0 || strcmp(d, r->last) > 0) {
        snprintf(r->stray, sizeof r->stray, "%s", d ? d : "(not a date)");
        return 1;
    }
    r->fn(r->udata, d, &f);
    return 0;
}

int check_measure_range(store *s, const bf_check *c, const char *table, const char *date_column,
                        const char *first, const char *last, check_date_fn fn, void *udata)
{
    char sql[CHECK_SQL_MAX];
    if (build(s, c, table, date_column, sql, sizeof sql) != 0)
        return store_fail(s, BF_PERMANENT, "check %s: its statement does not fit in %d bytes",
                          c->name, CHECK_SQL_MAX);
    bf_value params[4];
    int n = 0;
    if (c->kind == BF_CHECK_RANGE) {
        params[n++] = BF_V_REAL(c->min);
        params[n++] = BF_V_REAL(c->max);
    }
    params[n++] = BF_V_TEXT(first);
    params[n++] = BF_V_TEXT(last);
    range_rows r = {fn, udata, first, last, ""};
    int rc = store_query(s, sql, params, n,
                         c->kind == BF_CHECK_SQL_BY_DATE ? take_failing : take_row, &r);
    if (rc == BF_OK && r.stray[0])
        return store_fail(s, BF_PERMANENT,
                          "check %s: a row for '%s', not a date of %s to %s: the query must "
                          "return (date, failing rows) for the dates of ?1 to ?2 only",
                          c->name, r.stray, first, last);
    return rc;
}

static int take_count(void *udata, int ncols, const bf_value *values)
{
    if (ncols >= 1)
        *(int64_t *)udata = as_int(&values[0]);
    return 1;
}

int check_measure_sql(store *s, const bf_check *c, const char *table, const char *date,
                      int64_t *failing)
{
    char sql[CHECK_SQL_MAX];
    if (own_sql(c, table, sql, sizeof sql) != 0)
        return store_fail(s, BF_PERMANENT, "check %s: its statement does not fit in %d bytes",
                          c->name, CHECK_SQL_MAX);
    bf_value d = BF_V_TEXT(date);
    *failing = 0;
    return store_query(s, sql, &d, 1, take_count, failing);
}

static void take_one(void *udata, const char *date, const check_figures *f)
{
    (void)date;
    check_figures *out = udata;
    out->rows += f->rows;
    out->failing += f->failing;
}

int checks_date(const check_set *cs, store *s, const char *table, const char *date_column,
                const char *date, int64_t expected, int64_t actual, json_t **measured, char *why,
                size_t whylen, int *permanent)
{
    return checks_date_with(cs, NULL, s, table, date_column, date, expected, actual, measured, why,
                            whylen, permanent);
}

int checks_date_with(const check_set *cs, const check_figures *const *pre, store *s,
                     const char *table, const char *date_column, const char *date, int64_t expected,
                     int64_t actual, json_t **measured, char *why, size_t whylen, int *permanent)
{
    json_t *m = json_object();
    int rc = CHECKS_PASSED;
    size_t failed = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const bf_check *c = &cs->checks[i];
        check_figures f = {0, 0, expected};
        int st = BF_OK;
        if (c->kind == BF_CHECK_ROW_COUNT)
            f.rows = actual;
        else if (pre && pre[i]) {
            f.rows = pre[i]->rows;
            f.failing = pre[i]->failing;
        } else if (c->kind == BF_CHECK_SQL)
            st = check_measure_sql(s, c, table, date, &f.failing);
        else
            st = check_measure_range(s, c, table, date_column, date, date, take_one, &f);
        if (st != BF_OK) {
            snprintf(why, whylen, "check %s: %s", c->name, store_error(s));
            *permanent = s->error_class == BF_PERMANENT;
            rc = CHECKS_ERROR;
            break;
        }
        int counted = c->kind != BF_CHECK_NOT_NULL && c->kind != BF_CHECK_ROW_COUNT;
        double v = check_value(c, &f);
        json_object_set_new(m, c->name,
                            counted ? json_integer(f.failing) : json_real(isfinite(v) ? v : -1));
        if (check_passes(c, &f))
            continue;
        if (failed++ == 0) {
            char label[512], desc[256];
            snprintf(why, whylen, "check %s: %s: %s", c->name, checks_label(c, label, sizeof label),
                     check_describe(c, &f, 0, desc, sizeof desc));
        }
    }
    if (rc == CHECKS_PASSED && failed) {
        rc = CHECKS_FAILED;
        size_t n = strlen(why);
        if (failed > 1 && n < whylen)
            snprintf(why + n, whylen - n, " (and %zu more failing check%s)", failed - 1,
                     failed == 2 ? "" : "s");
    }
    *measured = m;
    return rc;
}

static void ignore(void *udata, const char *date, const check_figures *f)
{
    (void)udata;
    (void)date;
    (void)f;
}

int checks_probe(const check_set *cs, store *s, const char *processor, const char *table,
                 const char *date_column, char *err, size_t errlen)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cs->n; i++) {
        const bf_check *c = &cs->checks[i];
        int64_t failing;
        /* An empty range: the statement is prepared (names resolved), no
         * row is read. */
        int st = c->kind == BF_CHECK_SQL
                     ? check_measure_sql(s, c, table, "0000-00-00", &failing)
                     : check_measure_range(s, c, table, date_column, "9999-12-31", "0000-00-00",
                                           ignore, NULL);
        if (st != BF_OK) {
            char label[512];
            snprintf(err, errlen, "%s: check %s: %s: %s", processor, c->name,
                     checks_label(c, label, sizeof label), store_error(s));
            rc = -1;
        }
    }
    return rc;
}
