/* model_keys.c - the header block of a model file: each "-- key: value"
 * line read into the descriptor, dependencies, config keys and checks a C
 * plugin would declare, and at the end what the whole file must hold. A
 * value of the wrong form is refused with PATH:LINE and the form. */
#include "plugin/model_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"

typedef int (*key_fn)(model_parser *ps, int dialect, char *value);

static int k_description(model_parser *ps, int d, char *v);
static int k_output_table(model_parser *ps, int d, char *v);
static int k_date_column(model_parser *ps, int d, char *v);
static int k_version(model_parser *ps, int d, char *v);
static int k_bootstrap(model_parser *ps, int d, char *v);
static int k_min_completeness(model_parser *ps, int d, char *v);
static int k_thread_safe(model_parser *ps, int d, char *v);
static int k_depends(model_parser *ps, int d, char *v);
static int k_columns(model_parser *ps, int d, char *v);
static int k_table_options(model_parser *ps, int d, char *v);
static int k_index(model_parser *ps, int d, char *v);

static const struct {
    const char *name;
    key_fn fn;
    int dialected; /* may carry ".sqlite" or ".clickhouse" */
    int repeated;  /* may appear more than once */
} keys[] = {
    {"description", k_description, 0, 0},
    {"output_table", k_output_table, 0, 0},
    {"date_column", k_date_column, 0, 0},
    {"version", k_version, 0, 0},
    {"bootstrap_days", k_bootstrap, 0, 0},
    {"min_completeness", k_min_completeness, 0, 0},
    {"thread_safe", k_thread_safe, 0, 0},
    {"depends", k_depends, 0, 1},
    {"columns", k_columns, 1, 0},
    {"table_options", k_table_options, 1, 0},
    {"index", k_index, 0, 1},
    {"config", model_key_config, 0, 1},
    {"check", model_key_check, 0, 1},
};
#define NKEYS (sizeof keys / sizeof keys[0])

int model_is_key(const char *s, size_t n)
{
    size_t base = strcspn(s, ".");
    if (base > n)
        base = n;
    for (size_t k = 0; k < NKEYS; k++)
        if (strlen(keys[k].name) == base && strncmp(keys[k].name, s, base) == 0)
            return 1;
    return 0;
}

static char *keep_str(model_parser *ps, const char *v)
{
    char *s = model_keep(ps, v, strlen(v));
    if (!s)
        model_fail(ps, "out of memory");
    return s;
}

static int unknown_key(model_parser *ps, const char *key)
{
    const char *names[NKEYS];
    for (size_t k = 0; k < NKEYS; k++)
        names[k] = keys[k].name;
    const char *near = name_nearest(key, names, NKEYS);
    return model_fail(ps, "unknown key '%s'%s%s%s (see backfill-model(5) for the keys)", key,
                      near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

int model_key(model_parser *ps, const char *key, char *value)
{
    const char *dot = strchr(key, '.');
    size_t base = dot ? (size_t)(dot - key) : strlen(key);
    for (size_t k = 0; k < NKEYS; k++) {
        if (strlen(keys[k].name) != base || strncmp(keys[k].name, key, base) != 0)
            continue;
        int d = dot ? model_dialect_of(dot + 1) : MODEL_ANY;
        if (dot && !keys[k].dialected)
            return model_fail(ps, "'%s' takes no dialect; write '%s:'", key, keys[k].name);
        if (d < 0)
            return model_fail(ps, "unknown dialect in '%s'; write %s.sqlite or %s.clickhouse", key,
                              keys[k].name, keys[k].name);
        if (!keys[k].repeated && !keys[k].dialected) {
            if (ps->seen[k])
                return model_fail(ps, "a second '%s'; the first is at line %d", key, ps->seen[k]);
            ps->seen[k] = ps->line;
        }
        if (*value == '\0')
            return model_fail(ps, "'%s' has no value", key);
        return keys[k].fn(ps, d, value);
    }
    return unknown_key(ps, key);
}

static int k_description(model_parser *ps, int d, char *v)
{
    (void)d;
    return (ps->m->desc.description = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int plain_name(model_parser *ps, const char *what, const char *v)
{
    if (name_is_identifier(v))
        return BF_OK;
    return model_fail(ps, "%s '%s' is not a plain table or column name", what, v);
}

static int k_output_table(model_parser *ps, int d, char *v)
{
    (void)d;
    if (plain_name(ps, "output_table", v) != BF_OK)
        return BF_ERROR;
    return (ps->m->desc.output_table = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int k_date_column(model_parser *ps, int d, char *v)
{
    (void)d;
    if (plain_name(ps, "date_column", v) != BF_OK)
        return BF_ERROR;
    return (ps->m->desc.date_column = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int k_version(model_parser *ps, int d, char *v)
{
    (void)d;
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        if (v[i] <= ' ' || v[i] > '~')
            n = 0;
    if (n == 0 || n > 64)
        return model_fail(ps, "version '%s' must be 1-64 printable characters without spaces", v);
    return (ps->m->desc.version = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int k_bootstrap(model_parser *ps, int d, char *v)
{
    (void)d;
    double x;
    if (strcmp(v, "none") == 0) {
        ps->m->desc.bootstrap_days = BF_NO_BOOTSTRAP;
        return BF_OK;
    }
    if (strcmp(v, "default") == 0) {
        ps->m->desc.bootstrap_days = BF_DEFAULT_BOOTSTRAP;
        return BF_OK;
    }
    if (model_number(ps, "bootstrap_days (none, default or 1-366)", v, 1, 366, &x) != BF_OK)
        return BF_ERROR;
    if (x != (int)x)
        return model_fail(ps, "bootstrap_days '%s' is not a whole number of days", v);
    ps->m->desc.bootstrap_days = (int)x;
    return BF_OK;
}

static int k_min_completeness(model_parser *ps, int d, char *v)
{
    (void)d;
    return model_number(ps, "min_completeness", v, 0, 1, &ps->m->desc.min_completeness);
}

static int k_thread_safe(model_parser *ps, int d, char *v)
{
    (void)d;
    if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
        ps->m->desc.thread_safe = v[0] == 'y';
        return BF_OK;
    }
    return model_fail(ps, "thread_safe '%s' must be yes or no", v);
}

/* "TABLE [required|optional] [date_column=C] [lookback_days=N]
 * [min_coverage=F]" */
static int k_depends(model_parser *ps, int d, char *v)
{
    (void)d;
    model *m = ps->m;
    if (m->ndeps == MODEL_DEPS_MAX)
        return model_fail(ps, "more than %d dependencies", MODEL_DEPS_MAX);
    bf_dependency *dep = &m->deps[m->ndeps];
    dep->requirement = BF_REQUIRED;
    char *tok_key, *tok;
    int first = 1, rc;
    while ((rc = model_token(ps, &v, &tok_key, &tok)) > 0) {
        double x;
        if (first && !tok_key) {
            if (plain_name(ps, "dependency", tok) != BF_OK || !(dep->table = keep_str(ps, tok)))
                return BF_ERROR;
        } else if (!tok_key && (strcmp(tok, "required") == 0 || strcmp(tok, "optional") == 0)) {
            dep->requirement = tok[0] == 'r' ? BF_REQUIRED : BF_OPTIONAL;
        } else if (tok_key && strcmp(tok_key, "date_column") == 0) {
            if (plain_name(ps, "date_column", tok) != BF_OK ||
                !(dep->date_column = keep_str(ps, tok)))
                return BF_ERROR;
        } else if (tok_key && strcmp(tok_key, "lookback_days") == 0) {
            if (model_number(ps, "lookback_days", tok, 0, 3660, &x) != BF_OK)
                return BF_ERROR;
            dep->lookback_days = (int)x;
        } else if (tok_key && strcmp(tok_key, "min_coverage") == 0) {
            if (model_number(ps, "min_coverage", tok, 0, 1, &dep->min_coverage) != BF_OK)
                return BF_ERROR;
        } else {
            return model_fail(ps,
                              "depends: unknown '%s'; write depends: TABLE [required|optional] "
                              "[date_column=C] [lookback_days=N] [min_coverage=F]",
                              tok_key ? tok_key : tok);
        }
        first = 0;
    }
    if (rc < 0)
        return BF_ERROR;
    if (!dep->table)
        return model_fail(ps, "depends: no table first; write depends: TABLE [required|optional] "
                              "[date_column=C] [lookback_days=N] [min_coverage=F]");
    ps->dep_line[m->ndeps++] = ps->line;
    return BF_OK;
}

static int k_columns(model_parser *ps, int d, char *v)
{
    if (ps->m->columns[d])
        return model_fail(ps, "a second 'columns' for the same dialect");
    return (ps->m->columns[d] = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int k_table_options(model_parser *ps, int d, char *v)
{
    if (ps->m->table_options[d])
        return model_fail(ps, "a second 'table_options' for the same dialect");
    return (ps->m->table_options[d] = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

static int k_index(model_parser *ps, int d, char *v)
{
    (void)d;
    if (ps->m->nindexes == MODEL_INDEXES_MAX)
        return model_fail(ps, "more than %d indexes", MODEL_INDEXES_MAX);
    return (ps->m->indexes[ps->m->nindexes++] = keep_str(ps, v)) ? BF_OK : BF_ERROR;
}

/* What each dialect that has a statement needs with it. */
static int finish_dialects(model_parser *ps)
{
    static const char *const names[] = {"", "sqlite", "clickhouse"};
    model *m = ps->m;
    for (int d = MODEL_SQLITE; d < MODEL_DIALECTS; d++) {
        if (!model_stmt_for(m->process, names[d]))
            continue;
        if (!model_stmt_for(m->expected, names[d]))
            return model_fail(ps,
                              "no '-- @expected' statement for %s; add the query counting "
                              "the rows a date should hold",
                              names[d]);
        if (!m->columns[d] && !m->columns[MODEL_ANY])
            return model_fail(ps,
                              "no 'columns' for %s; add '-- columns: NAME TYPE, ...' (or "
                              "columns.%s)",
                              names[d], names[d]);
    }
    return BF_OK;
}

static int finish_deps(model_parser *ps)
{
    model *m = ps->m;
    int optional = 0;
    for (size_t i = 0; i < m->ndeps; i++) {
        bf_dependency *dep = &m->deps[i];
        if (!dep->date_column)
            dep->date_column = m->desc.date_column;
        optional |= dep->requirement == BF_OPTIONAL;
        if (strcmp(dep->table, m->desc.output_table) == 0) {
            ps->line = ps->dep_line[i];
            return model_fail(ps,
                              "depends on its own output table %s; a processor never reads "
                              "what it writes (a cycle)",
                              dep->table);
        }
    }
    int fallback = 0;
    for (int d = 0; d < MODEL_DIALECTS; d++)
        if (m->fallback[d].text && !fallback)
            fallback = m->fallback[d].line;
    if (fallback && !optional) {
        ps->line = fallback;
        return model_fail(ps, "a @fallback but no optional dependency; mark the input it stands "
                              "in for 'optional' in its depends line");
    }
    return BF_OK;
}

/* Each block section beside the per-date one it stands for, in every
 * dialect it serves: a date that fails in a block runs alone through
 * @process, and @expected_block counts for @process_block's blocks. */
int model_finish_blocks(model_parser *ps)
{
    static const char *const names[] = {"", "sqlite", "clickhouse"};
    const model *m = ps->m;
    for (int d = MODEL_SQLITE; d < MODEL_DIALECTS; d++) {
        const model_stmt *pb = model_stmt_for(m->process_block, names[d]);
        const model_stmt *eb = model_stmt_for(m->expected_block, names[d]);
        if (!model_stmt_for(m->process, names[d]) && (!pb || pb == &m->process_block[MODEL_ANY]) &&
            (!eb || eb == &m->expected_block[MODEL_ANY]))
            continue; /* the model does not run on this dialect */
        const model_stmt *bad = pb && !model_stmt_for(m->process, names[d]) ? pb
                                : eb && !pb                                 ? eb
                                                                            : NULL;
        if (!bad)
            continue;
        ps->line = bad->line;
        if (bad == pb)
            return model_fail(ps,
                              "@process_block without '-- @process' for %s; a block section "
                              "stands beside the per-date one (a date that fails in a block "
                              "runs alone through @process)",
                              names[d]);
        return model_fail(ps,
                          "@expected_block without '-- @process_block' for %s; it counts for "
                          "the blocks @process_block writes",
                          names[d]);
    }
    return BF_OK;
}

int model_finish(model_parser *ps)
{
    model *m = ps->m;
    m->desc.name = m->path ? keep_str(ps, ps->name) : NULL;
    if (!m->desc.name)
        return BF_ERROR;
    if (!m->desc.output_table && !(m->desc.output_table = keep_str(ps, ps->name)))
        return BF_ERROR;
    if (!m->desc.description)
        return model_fail(ps, "no 'description'; add '-- description: one line for backfill "
                              "list'");
    if (!m->desc.date_column)
        return model_fail(ps, "no 'date_column'; add '-- date_column: NAME' (the output table's "
                              "date column)");
    if (!model_stmt_for(m->process, "sqlite") && !model_stmt_for(m->process, "clickhouse"))
        return model_fail(ps, "no '-- @process' statement; add one writing a date's rows: "
                              "INSERT INTO {{table}} SELECT ... WHERE ... = {{date}}");
    if (finish_dialects(ps) != BF_OK || finish_deps(ps) != BF_OK ||
        model_finish_blocks(ps) != BF_OK)
        return BF_ERROR;
    m->desc.config_keys = m->keys;
    m->desc.checks = m->nchecks ? m->checks : NULL;
    return BF_OK;
}
