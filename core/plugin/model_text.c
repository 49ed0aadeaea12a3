/* model_text.c - what every part of the model reader shares: the one-line
 * error with PATH:LINE, the section names, the strings a model owns, and
 * which dialect's statement applies. Calls nothing else of the model. */
#include "plugin/model.h"
#include "plugin/model_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const model_section_names[MODEL_KINDS] = {"process", "expected", "fallback",
                                                      "process_block", "expected_block"};

int model_fail(model_parser *ps, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ps->line > 0)
        snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->path, ps->line, what);
    else
        snprintf(ps->err, ps->errlen, "%s: %s", ps->path, what);
    return BF_ERROR;
}

char *model_keep(model_parser *ps, const char *s, size_t n)
{
    model *m = ps->m;
    if (m->nowned == m->capowned) {
        size_t cap = m->capowned ? 2 * m->capowned : 32;
        char **owned = realloc(m->owned, cap * sizeof *owned);
        if (!owned)
            return NULL;
        m->owned = owned;
        m->capowned = cap;
    }
    char *copy = strndup(s, n);
    if (copy)
        m->owned[m->nowned++] = copy;
    return copy;
}

void model_free(model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nowned; i++)
        free(m->owned[i]);
    free(m->owned);
    free(m);
}

int model_dialect_of(const char *dialect)
{
    if (!dialect)
        return -1;
    if (strcmp(dialect, "sqlite") == 0)
        return MODEL_SQLITE;
    if (strcmp(dialect, "clickhouse") == 0)
        return MODEL_CLICKHOUSE;
    return -1;
}

const model_stmt *model_stmt_for(const model_stmt *kind, const char *dialect)
{
    int d = model_dialect_of(dialect);
    if (d > 0 && kind[d].text)
        return &kind[d];
    return kind[MODEL_ANY].text ? &kind[MODEL_ANY] : NULL;
}

/* A number of the whole text v, within [lo, hi]. */
int model_number(model_parser *ps, const char *what, const char *v, double lo, double hi,
                 double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno || !(x >= lo && x <= hi))
        return model_fail(ps, "%s '%s' is not a number in %g-%g", what, v, lo, hi);
    *out = x;
    return BF_OK;
}

/* The next token of *p: a word, "a quoted text", key=word or
 * key="quoted text". 1 with *key (NULL for none) and *val, 0 at the end,
 * -1 (the error in ps) for an unclosed quote. Cuts *p in place. */
int model_token(model_parser *ps, char **p, char **key, char **val)
{
    char *s = *p + strspn(*p, " \t");
    *key = NULL;
    if (*s == '\0')
        return 0;
    if (*s != '"') {
        size_t n = strcspn(s, " \t=\"");
        if (s[n] == '=') {
            s[n] = '\0';
            *key = s;
            s += n + 1;
        }
    }
    if (*s == '"') {
        char *e = strchr(s + 1, '"');
        if (!e) {
            model_fail(ps, "an unclosed '\"' in the value");
            return -1;
        }
        *e = '\0';
        *val = s + 1;
        *p = e + 1;
        return 1;
    }
    size_t n = strcspn(s, " \t");
    *val = s;
    *p = s + n + (s[n] ? 1 : 0);
    s[n] = '\0';
    return 1;
}
