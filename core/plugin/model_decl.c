/* model_decl.c - the header lines of a model that declare what a C plugin
 * puts in its descriptor's arrays: config keys ("-- config: NAME TYPE
 * DEFAULT [min=N] [max=N] ["description"]") and quality checks ("-- check:
 * NAME KIND [column=C] [filter="..."] [max_null_share=F] [min=F] [max=F]
 * [sql="..."]"). The core then treats them exactly as a C plugin's. */
#include "plugin/model_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"

static int plain(model_parser *ps, const char *what, const char *v)
{
    const char *c = v;
    while ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')
        c++;
    if (*v && !*c && c - v <= 64)
        return BF_OK;
    return model_fail(ps, "%s name '%s' must be 1-64 of lowercase letters, digits and '_'", what,
                      v);
}

static int config_default(model_parser *ps, bf_config_key *k, const char *v)
{
    double x;
    if (k->type == BF_CONFIG_STRING)
        return (k->string_default = model_keep(ps, v, strlen(v))) ? BF_OK
                                                                  : model_fail(ps, "out of memory");
    if (model_number(ps, "the default", v, -1e18, 1e18, &x) != BF_OK)
        return BF_ERROR;
    if (k->type == BF_CONFIG_INT && x != (double)(int64_t)x)
        return model_fail(ps, "the default '%s' of an int key is not a whole number", v);
    k->int_default = (int64_t)x;
    k->real_default = x;
    return BF_OK;
}

static int config_type(model_parser *ps, bf_config_key *k, const char *v)
{
    static const char *const types[] = {NULL, "int", "real", "string"};
    for (int t = 1; t <= 3; t++)
        if (strcmp(v, types[t]) == 0) {
            k->type = t;
            return BF_OK;
        }
    return model_fail(ps, "config type '%s'; write int, real or string", v);
}

int model_key_config(model_parser *ps, int dialect, char *v)
{
    (void)dialect;
    model *m = ps->m;
    if (m->nkeys == MODEL_KEYS_MAX)
        return model_fail(ps, "more than %d config keys", MODEL_KEYS_MAX);
    bf_config_key *k = &m->keys[m->nkeys];
    char *key, *tok;
    int at = 0, rc;
    while ((rc = model_token(ps, &v, &key, &tok)) > 0) {
        double x;
        if (!key && at == 0) {
            if (plain(ps, "config key", tok) != BF_OK ||
                !(k->name = model_keep(ps, tok, strlen(tok))))
                return BF_ERROR;
            for (size_t i = 0; i < m->nkeys; i++)
                if (strcmp(m->keys[i].name, tok) == 0)
                    return model_fail(ps, "config key '%s' declared twice", tok);
        } else if (!key && at == 1) {
            if (config_type(ps, k, tok) != BF_OK)
                return BF_ERROR;
        } else if (!key && at == 2) {
            if (config_default(ps, k, tok) != BF_OK)
                return BF_ERROR;
        } else if (!key && at == 3) {
            k->description = model_keep(ps, tok, strlen(tok));
        } else if (key && (strcmp(key, "min") == 0 || strcmp(key, "max") == 0) &&
                   k->type != BF_CONFIG_STRING) {
            if (model_number(ps, key, tok, -1e18, 1e18, &x) != BF_OK)
                return BF_ERROR;
            *(key[1] == 'i' ? &k->min : &k->max) = x;
            continue;
        } else {
            return model_fail(ps,
                              "config: unexpected '%s'; write config: NAME int|real|string "
                              "DEFAULT [min=N max=N] [\"description\"]",
                              key ? key : tok);
        }
        at++;
    }
    if (rc < 0)
        return BF_ERROR;
    if (at < 3)
        return model_fail(ps, "config: write config: NAME int|real|string DEFAULT [min=N max=N] "
                              "[\"description\"]");
    m->nkeys++;
    return BF_OK;
}

/* Check SQL: {{table}} becomes the SDK's %s; for kind sql {{date}} its ?1,
 * for sql_by_date {{first}} and {{last}} its ?1 and ?2. */
static char *check_sql(model_parser *ps, int kind, const char *v)
{
    char out[4096];
    size_t n = 0;
    int by_date = kind == BF_CHECK_SQL_BY_DATE;
    for (const char *p = v; *p && n + 3 < sizeof out;) {
        if (strncmp(p, "{{table}}", 9) == 0) {
            memcpy(out + n, "%s", 2), n += 2, p += 9;
        } else if (!by_date && strncmp(p, "{{date}}", 8) == 0) {
            memcpy(out + n, "?1", 2), n += 2, p += 8;
        } else if (by_date && strncmp(p, "{{first}}", 9) == 0) {
            memcpy(out + n, "?1", 2), n += 2, p += 9;
        } else if (by_date && strncmp(p, "{{last}}", 8) == 0) {
            memcpy(out + n, "?2", 2), n += 2, p += 8;
        } else if (p[0] == '{' && p[1] == '{') {
            model_fail(ps, "check sql: unknown placeholder at '%.20s'; use {{table}} and %s", p,
                       by_date ? "{{first}}, {{last}}" : "{{date}}");
            return NULL;
        } else {
            out[n++] = *p++;
        }
    }
    char *s = model_keep(ps, out, n);
    if (!s)
        model_fail(ps, "out of memory");
    return s;
}

static int check_kind(model_parser *ps, bf_check *c, const char *v)
{
    static const char *const kinds[] = {NULL,        "not_null", "unique",     "range",
                                        "row_count", "sql",      "sql_by_date"};
    for (int k = 1; k <= BF_CHECK_SQL_BY_DATE; k++)
        if (strcmp(v, kinds[k]) == 0) {
            c->kind = k;
            return BF_OK;
        }
    return model_fail(
        ps, "check kind '%s'; write not_null, unique, range, row_count, sql or sql_by_date", v);
}

static int check_option(model_parser *ps, bf_check *c, const char *key, const char *v)
{
    if (strcmp(key, "column") == 0 || strcmp(key, "filter") == 0) {
        const char **field = key[0] == 'c' ? &c->column : &c->filter;
        return (*field = model_keep(ps, v, strlen(v))) ? BF_OK : model_fail(ps, "out of memory");
    }
    if (strcmp(key, "sql") == 0)
        return (c->sql = check_sql(ps, c->kind, v)) ? BF_OK : BF_ERROR;
    if (strcmp(key, "max_null_share") == 0)
        return model_number(ps, key, v, 0, 1, &c->max_null_share);
    if (strcmp(key, "min") == 0 || strcmp(key, "max") == 0)
        return model_number(ps, key, v, -1e18, 1e18, key[1] == 'i' ? &c->min : &c->max);
    return model_fail(ps, "check: unknown '%s' (column, filter, sql, max_null_share, min, max)",
                      key);
}

int model_key_check(model_parser *ps, int dialect, char *v)
{
    (void)dialect;
    model *m = ps->m;
    if (m->nchecks == MODEL_CHECKS_MAX)
        return model_fail(ps, "more than %d checks", MODEL_CHECKS_MAX);
    bf_check *c = &m->checks[m->nchecks];
    char *key, *tok;
    int at = 0, rc;
    while ((rc = model_token(ps, &v, &key, &tok)) > 0) {
        if (key) {
            if (check_option(ps, c, key, tok) != BF_OK)
                return BF_ERROR;
        } else if (at == 0) {
            if (plain(ps, "check", tok) != BF_OK || !(c->name = model_keep(ps, tok, strlen(tok))))
                return BF_ERROR;
            at++;
        } else if (at == 1) {
            if (check_kind(ps, c, tok) != BF_OK)
                return BF_ERROR;
            at++;
        } else {
            return model_fail(ps, "check: unexpected '%s'; write check: NAME KIND key=value ...",
                              tok);
        }
    }
    if (rc < 0)
        return BF_ERROR;
    if (at < 2)
        return model_fail(ps, "check: write check: NAME KIND [column=C] [filter=\"...\"] ...");
    m->nchecks++;
    return BF_OK;
}
