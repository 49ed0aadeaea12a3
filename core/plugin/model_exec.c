/* model_exec.c - the entry points that serve every model file:
 * worker_init (a probe of the statements a date will run), prepare (CREATE
 * TABLE from the model's columns, and its indexes), process_date and
 * validate_date. They reach
 * the store only through the context API a C plugin calls (bf_exec,
 * bf_query_int, bf_table_exists), so the same guards hold. */
#include "plugin/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plugin/context.h"

#define MODEL_SQL_MAX (256 * 1024)

static const model *model_of(bf_ctx *ctx)
{
    return ((run_ctx *)ctx)->plugin->model;
}

/* st's text with table for each {{table}}, and for each {{dates}} the
 * nlist parameters from ?first on, as (?first, ?first+1, ...). */
static char *render(const model_stmt *st, const char *table, int first, size_t nlist)
{
    size_t tlen = strlen(table), len = strlen(st->text), cap = len + 1;
    for (const char *p = st->text; *p; p++)
        cap += *p == MODEL_TABLE_MARK ? tlen : *p == MODEL_DATES_MARK ? 8 * nlist + 2 : 0;
    char *out = malloc(cap);
    char *o = out;
    for (const char *p = st->text; out && *p; p++) {
        if (*p == MODEL_TABLE_MARK) {
            memcpy(o, table, tlen);
            o += tlen;
        } else if (*p == MODEL_DATES_MARK) {
            *o++ = '(';
            for (size_t i = 0; i < nlist; i++)
                o += snprintf(o, cap - (size_t)(o - out), "%s?%d", i ? ", " : "", first + (int)i);
            *o++ = ')';
        } else {
            *o++ = *p;
        }
    }
    if (o)
        *o = '\0';
    return out;
}

static int bind(bf_ctx *ctx, const model *m, const model_stmt *st, const char *const *dates,
                bf_value *params)
{
    for (int i = 0; i < st->ndates; i++)
        params[i] = BF_V_TEXT(dates[i]);
    bf_value *values = params + st->ndates;
    for (int i = 0; i < st->nkeys; i++) {
        const bf_config_key *k = &m->keys[st->keys[i]];
        int rc;
        if (k->type == BF_CONFIG_INT) {
            values[i] = BF_V_INT(0);
            rc = bf_config_int(ctx, k->name, k->int_default, &values[i].v.i);
        } else if (k->type == BF_CONFIG_REAL) {
            values[i] = BF_V_REAL(0);
            rc = bf_config_real(ctx, k->name, k->real_default, &values[i].v.d);
        } else {
            values[i] = BF_V_TEXT("");
            rc = bf_config_string(ctx, k->name, k->string_default, &values[i].v.s);
        }
        if (rc != BF_OK)
            return rc;
    }
    return BF_OK;
}

int model_nparams(const model_stmt *st, size_t nlist)
{
    return st->ndates + st->nkeys + (st->dates_list ? (int)nlist : 0);
}

int model_ready(bf_ctx *ctx, const model_stmt *st, const char *table, const char *const *dates,
                const char *const *list, size_t nlist, bf_value *params, char **sql)
{
    *sql = NULL;
    int rc = bind(ctx, model_of(ctx), st, dates, params);
    if (rc != BF_OK)
        return rc;
    int first = st->ndates + st->nkeys;
    for (size_t i = 0; st->dates_list && i < nlist; i++)
        params[first + (int)i] = BF_V_TEXT(list[i]);
    if (!(*sql = render(st, table, first + 1, nlist)))
        return bf_set_error(ctx, BF_TRANSIENT, "out of memory");
    return BF_OK;
}

/* st over date (a block's: date to date), as a count or a write. */
static int run(bf_ctx *ctx, const model_stmt *st, const char *table, const char *date,
               int64_t *count)
{
    bf_value params[MODEL_KEYS_MAX + 3];
    const char *dates[2] = {date, date};
    char *sql;
    int rc = model_ready(ctx, st, table, dates, dates, 1, params, &sql);
    if (rc != BF_OK)
        return rc;
    int nparams = model_nparams(st, 1);
    rc =
        count ? bf_query_int(ctx, sql, params, nparams, count) : bf_exec(ctx, sql, params, nparams);
    free(sql);
    return rc;
}

/* Run one statement the model's header implies (no placeholders). */
static int exec_built(bf_ctx *ctx, char *sql)
{
    if (!sql)
        return bf_set_error(ctx, BF_TRANSIENT, "out of memory");
    int rc = bf_exec(ctx, sql, NULL, 0);
    free(sql);
    return rc;
}

static char *built(const char *fmt, ...)
{
    char *sql = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&sql, fmt, ap) < 0)
        sql = NULL;
    va_end(ap);
    return sql;
}

/* CREATE TABLE from columns, then the indexes (unless table options, such
 * as ClickHouse's ENGINE clause, order the table instead): the statements
 * the demo's C processors issue in their prepare. */
static int create_table(bf_ctx *ctx, const model *m, int d)
{
    const char *table = bf_output_table(ctx);
    const char *columns = m->columns[d] ? m->columns[d] : m->columns[MODEL_ANY];
    const char *options = m->table_options[d] ? m->table_options[d] : m->table_options[MODEL_ANY];
    int rc = exec_built(ctx, built("CREATE TABLE IF NOT EXISTS %s (%s)%s%s", table, columns,
                                   options ? " " : "", options ? options : ""));
    if (rc != BF_OK || options)
        return rc;
    rc = exec_built(ctx, built("CREATE INDEX IF NOT EXISTS %s_date ON %s (%s)", table, table,
                               m->desc.date_column));
    for (size_t i = 0; rc == BF_OK && i < m->nindexes; i++)
        rc = exec_built(ctx, built("CREATE INDEX IF NOT EXISTS %s_i%zu ON %s (%s)", table, i, table,
                                   m->indexes[i]));
    return rc;
}

int model_inputs_present(bf_ctx *ctx, const model *m, int *present)
{
    *present = 1;
    for (size_t i = 0; i < m->ndeps && *present; i++) {
        if (m->deps[i].requirement != BF_OPTIONAL)
            continue;
        int rc = bf_table_exists(ctx, m->deps[i].table, present);
        if (rc != BF_OK)
            return rc;
    }
    return BF_OK;
}

/* The statement a date runs now: the fallback while an optional input is
 * missing and the model has one for this dialect. */
static int choose(bf_ctx *ctx, const model *m, const model_stmt **st)
{
    const char *dialect = bf_dialect(ctx);
    const model_stmt *fallback = model_stmt_for(m->fallback, dialect);
    int present = 1;
    int rc = fallback ? model_inputs_present(ctx, m, &present) : BF_OK;
    *st = present ? model_stmt_for(m->process, dialect) : fallback;
    if (rc == BF_OK && !*st)
        return bf_set_error(ctx, BF_PERMANENT,
                            "%s: no @process statement for the %s dialect; add '-- @process.%s' "
                            "(or a portable '-- @process')",
                            m->path, dialect ? dialect : "(unnamed)", dialect ? dialect : "");
    return rc;
}

int model_process_date(bf_ctx *ctx, const char *date)
{
    const model_stmt *st;
    int rc = choose(ctx, model_of(ctx), &st);
    return rc != BF_OK ? rc : run(ctx, st, bf_output_table(ctx), date, NULL);
}

int model_validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    const model *m = model_of(ctx);
    const model_stmt *expected = model_stmt_for(m->expected, bf_dialect(ctx));
    if (!expected)
        return bf_set_error(ctx, BF_PERMANENT, "%s: no @expected statement for the %s dialect",
                            m->path, bf_dialect(ctx));
    int rc = run(ctx, expected, "", date, &out->expected);
    if (rc != BF_OK)
        return rc;
    char *sql =
        built("SELECT count(*) FROM %s WHERE %s = ?1", bf_output_table(ctx), m->desc.date_column);
    if (!sql)
        return bf_set_error(ctx, BF_TRANSIENT, "out of memory");
    bf_value d = BF_V_TEXT(date);
    rc = bf_query_int(ctx, sql, &d, 1, &out->actual);
    free(sql);
    return rc;
}

/* What a statement reads, as a query that returns no row: the part after
 * "INSERT INTO {{table}}" when it is a SELECT (or WITH); NULL when the
 * statement has another shape and cannot be probed this way. */
static char *probe_of(const model_stmt *st)
{
    const char *mark = strchr(st->text, MODEL_TABLE_MARK);
    if (!mark || strncasecmp(st->text + strspn(st->text, " \t\n"), "INSERT", 6) != 0 ||
        memchr(st->text, '(', (size_t)(mark - st->text)))
        return NULL;
    const char *q = mark + 1 + strspn(mark + 1, " \t\n");
    if (*q == '(') { /* a column list */
        const char *close = strchr(q, ')');
        if (!close)
            return NULL;
        q = close + 1 + strspn(close + 1, " \t\n");
    }
    if (strncasecmp(q, "SELECT", 6) != 0 && strncasecmp(q, "WITH", 4) != 0)
        return NULL;
    if (strchr(q, MODEL_TABLE_MARK))
        return NULL;
    return built("SELECT count(*) FROM (%s\n) bf_probe WHERE 1 = 0", q);
}

/* Each statement a date will run, prepared and run once for a date no
 * table holds, so SQL that does not prepare fails here, before any date,
 * naming the file and the line. */
int model_probe(bf_ctx *ctx, const model *m, const model_stmt *st, const char *what)
{
    run_ctx *c = (run_ctx *)ctx;
    model_stmt q = *st;
    int64_t n = 0;
    char *owned = NULL;
    if (what[1] == 'p' || what[1] == 'f') {
        if (!(owned = probe_of(st)))
            return BF_OK;
        q.text = owned;
    }
    int rc = run(ctx, &q, "", "1970-01-02", &n);
    free(owned);
    if (rc == BF_OK || rc == BF_ERROR_NOTFOUND)
        return BF_OK;
    char why[sizeof c->error];
    snprintf(why, sizeof why, "%s", c->error);
    return bf_set_error(ctx, BF_PERMANENT, "%s:%d: the %s statement does not prepare on %s: %s",
                        m->path, st->line, what, bf_dialect(ctx), why);
}

int model_prepare(bf_ctx *ctx)
{
    const model *m = model_of(ctx);
    int d = model_dialect_of(bf_dialect(ctx));
    if (d < 0 || (!m->columns[d] && !m->columns[MODEL_ANY]))
        return bf_set_error(ctx, BF_PERMANENT, "%s: no columns for the %s dialect", m->path,
                            bf_dialect(ctx));
    return create_table(ctx, m, d);
}

/* Before a context's first call (the run's prepare context first, before
 * any date): the statements this store will run, probed under the
 * read-only guard, so SQL that does not prepare, or reads what the model
 * does not declare (SQLite), is refused here with the file and the line. */
int model_worker_init(bf_ctx *ctx, void **user)
{
    const model *m = model_of(ctx);
    const char *dialect = bf_dialect(ctx);
    const model_stmt *st;
    *user = NULL;
    int rc = choose(ctx, m, &st);
    if (rc != BF_OK)
        return rc;
    const char *what = st == model_stmt_for(m->process, dialect) ? "@process" : "@fallback";
    rc = model_probe(ctx, m, st, what);
    return rc == BF_OK ? model_probe(ctx, m, model_stmt_for(m->expected, dialect), "@expected")
                       : rc;
}
