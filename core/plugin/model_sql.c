/* model_sql.c - one statement of a model, checked before any date runs:
 * its placeholders ({{table}}: the table to write, {{date}}: the date, the
 * same ?1 the SDK binds, or in a block section {{first}} and {{last}}: the
 * block's first and last date, ?1 and ?2, and {{dates}}: the list of its
 * dates, {{config.KEY}}: a declared config value) are
 * spelled right, it is one statement, and it writes nothing but {{table}}.
 * The store's guards still hold at run time, exactly as for a C plugin;
 * this refuses a bad file before any date instead of at the first. */
#include "plugin/model_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"

/* Statements a model never runs: DDL, transactions, pragmas. */
static const char *const forbidden[] = {"DROP",     "CREATE",    "ALTER",    "ATTACH",   "DETACH",
                                        "PRAGMA",   "VACUUM",    "TRUNCATE", "BEGIN",    "COMMIT",
                                        "ROLLBACK", "SAVEPOINT", "RENAME",   "OPTIMIZE", "GRANT",
                                        "REINDEX",  "ANALYZE",   "SYSTEM",   "KILL",     NULL};

typedef struct compiler {
    model_parser *ps;
    model_stmt *st;
    int kind;
    char *out; /* the compiled text */
    size_t n, cap;
    int dates, firsts, lasts, lists, tables;
    int base, nl;      /* the line the text starts on, and newlines emitted */
    int expect_target; /* the next word is what a write writes */
    char prev[16];     /* the previous word, upper case */
} compiler;

static int emit(compiler *c, const char *s, size_t n)
{
    if (c->n + n + 1 > c->cap) {
        size_t cap = (c->n + n + 1) * 2;
        char *out = realloc(c->out, cap);
        if (!out)
            return model_fail(c->ps, "out of memory");
        c->out = out;
        c->cap = cap;
    }
    memcpy(c->out + c->n, s, n);
    for (size_t i = 0; i < n; i++)
        c->nl += s[i] == '\n';
    c->n += n;
    c->out[c->n] = '\0';
    return BF_OK;
}

/* The length of a string literal, quoted name or comment starting at s,
 * or 0 if none starts there. An unterminated one runs to the end. */
static size_t opaque_length(const char *s)
{
    if (*s == '\'' || *s == '"' || *s == '`') {
        const char *e = s + 1;
        while (*e && *e != *s)
            e += (*e == '\\' && e[1]) ? 2 : 1;
        return (size_t)(e - s) + (*e ? 1 : 0);
    }
    if (s[0] == '-' && s[1] == '-')
        return strcspn(s, "\n");
    if (s[0] == '/' && s[1] == '*') {
        const char *e = strstr(s + 2, "*/");
        return e ? (size_t)(e + 2 - s) : strlen(s);
    }
    return 0;
}

static int is_block(int kind)
{
    return kind == MODEL_PROCESS_BLOCK || kind == MODEL_EXPECTED_BLOCK;
}

static int is_expected(int kind)
{
    return kind == MODEL_EXPECTED || kind == MODEL_EXPECTED_BLOCK;
}

/* {{date}}, or a block's {{first}}, {{last}} and {{dates}}: 1 if name is
 * one of them (emitted, or refused in the wrong kind of section), else 0. */
static int date_placeholder(compiler *c, const char *name, int *rc)
{
    int date = strcmp(name, "date") == 0, first = strcmp(name, "first") == 0,
        last = strcmp(name, "last") == 0, list = strcmp(name, "dates") == 0;
    char mark = MODEL_DATES_MARK;
    if (!date && !(is_block(c->kind) && (first || last || list)))
        return 0;
    if (date && is_block(c->kind))
        *rc = model_fail(c->ps,
                         "{{date}} in @%s; a block statement writes every date from {{first}} "
                         "to {{last}}, each row with its own date",
                         model_section_names[c->kind]);
    else if (list)
        *rc = emit(c, &mark, 1);
    else
        *rc = emit(c, first || date ? "?1" : "?2", 2);
    c->st->dates_list |= list;
    c->dates += date;
    c->firsts += first;
    c->lasts += last;
    c->lists += list;
    return 1;
}

static int placeholder(compiler *c, const char *name)
{
    const model *m = c->ps->m;
    int rc;
    if (date_placeholder(c, name, &rc))
        return rc;
    if (strcmp(name, "table") == 0) {
        if (is_expected(c->kind))
            return model_fail(c->ps, "{{table}} in @expected; the expected-rows query counts "
                                     "from upstream tables, not from the output");
        c->tables++;
        c->expect_target = 0;
        char mark = MODEL_TABLE_MARK;
        return emit(c, &mark, 1);
    }
    for (size_t k = 0; strncmp(name, "config.", 7) == 0 && k < m->nkeys; k++) {
        if (strcmp(name + 7, m->keys[k].name) != 0)
            continue;
        int slot = 0;
        while (slot < c->st->nkeys && c->st->keys[slot] != (int)k)
            slot++;
        if (slot == c->st->nkeys)
            c->st->keys[c->st->nkeys++] = (int)k;
        char ref[16];
        int len = snprintf(ref, sizeof ref, "?%d", slot + 1 + c->st->ndates);
        return emit(c, ref, (size_t)len);
    }
    int block = is_block(c->kind);
    const char *names[MODEL_KEYS_MAX + 4] = {"table", block ? "first" : "date", "last", "dates"};
    char full[MODEL_KEYS_MAX][80];
    size_t n = block ? 4 : 2;
    for (size_t k = 0; k < m->nkeys; k++) {
        snprintf(full[k], sizeof full[k], "config.%s", m->keys[k].name);
        names[n++] = full[k];
    }
    const char *near = name_nearest(name, names, n);
    return model_fail(c->ps,
                      "unknown placeholder {{%s}}%s%s%s (the placeholders: {{table}}, "
                      "%s, {{config.KEY}} of a declared config key)",
                      name, near ? "; did you mean {{" : "", near ? near : "", near ? "}}?" : "",
                      block ? "{{first}}, {{last}}, {{dates}}" : "{{date}}");
}

/* One word outside literals: what a write targets, a forbidden statement. */
static int word(compiler *c, const char *s, size_t n)
{
    char up[16];
    snprintf(up, sizeof up, "%.*s", (int)n, s);
    for (char *u = up; *u; u++)
        *u = (char)toupper((unsigned char)*u);
    if (c->expect_target && strcmp(up, "TABLE") != 0 && strcmp(up, "SET") != 0)
        return model_fail(c->ps,
                          "the statement writes '%.*s'; a model writes only {{table}} "
                          "(its staging area for the date)",
                          (int)n, s);
    c->expect_target = 0;
    for (size_t f = 0; n < sizeof up && forbidden[f]; f++)
        if (strcmp(up, forbidden[f]) == 0)
            return model_fail(c->ps,
                              "%s in @%s; a model statement may not run DDL, transactions "
                              "or pragmas (the output table is created from 'columns')",
                              up, model_section_names[c->kind]);
    int write = strcmp(up, "INTO") == 0 || strcmp(up, "UPDATE") == 0 ||
                (strcmp(up, "FROM") == 0 && strcmp(c->prev, "DELETE") == 0);
    if (write && is_expected(c->kind))
        return model_fail(c->ps,
                          "@%s writes (%s); it is a query counting the rows the "
                          "date should hold",
                          model_section_names[c->kind], strcmp(up, "FROM") == 0 ? "DELETE" : up);
    c->expect_target = write;
    snprintf(c->prev, sizeof c->prev, "%s", up);
    return emit(c, s, n);
}

static int walk_one(compiler *c, const char **at)
{
    const char *s = *at;
    c->ps->line = c->base + c->nl;
    size_t n = opaque_length(s);
    if (n) {
        *at = s + n;
        return emit(c, s, n);
    }
    if (s[0] == '{' && s[1] == '{') {
        const char *e = strstr(s + 2, "}}");
        size_t len = e ? (size_t)(e - s - 2) : 0;
        char name[80];
        if (!e || len == 0 || len >= sizeof name || memchr(s + 2, '\n', len))
            return model_fail(c->ps, "an unclosed placeholder '{{'; write {{table}}, {{date}} or "
                                     "{{config.KEY}}");
        snprintf(name, sizeof name, "%.*s", (int)len, s + 2);
        *at = e + 2;
        return placeholder(c, name);
    }
    if (*s == '?')
        return model_fail(c->ps, "a '?' parameter; a model binds the date as {{date}} and a "
                                 "config value as {{config.KEY}}");
    if (*s == ';')
        return model_fail(c->ps, "two statements in @%s; a section holds one statement",
                          model_section_names[c->kind]);
    if (isalpha((unsigned char)*s) || *s == '_') {
        const char *e = s;
        while (isalnum((unsigned char)*e) || *e == '_')
            e++;
        *at = e;
        return word(c, s, (size_t)(e - s));
    }
    if (c->expect_target && !isspace((unsigned char)*s) && *s != '(')
        return model_fail(c->ps, "the statement writes something other than {{table}}; a model "
                                 "writes only {{table}}");
    *at = s + 1;
    return emit(c, s, 1);
}

/* The text without surrounding blanks, the comment lines that end it
 * (they introduce the next section), and one final ';'. */
static void trim(const char **text, size_t *len)
{
    for (;;) {
        while (*len && isspace((unsigned char)(*text)[*len - 1]))
            (*len)--;
        size_t start = *len;
        while (start && (*text)[start - 1] != '\n')
            start--;
        const char *line = *text + start;
        line += strspn(line, " \t");
        if (start == 0 || line[0] != '-' || line[1] != '-')
            break;
        *len = start;
    }
    while (*len && isspace((unsigned char)**text))
        (*text)++, (*len)--;
    while (*len && isspace((unsigned char)(*text)[*len - 1]))
        (*len)--;
    if (*len && (*text)[*len - 1] == ';')
        (*len)--;
    while (*len && isspace((unsigned char)(*text)[*len - 1]))
        (*len)--;
}

static int finish_checks(compiler *c)
{
    const char *what = model_section_names[c->kind];
    if (c->expect_target)
        return model_fail(c->ps, "the statement ends where the table it writes should be; write "
                                 "INSERT INTO {{table}} ...");
    if (!is_expected(c->kind) && c->tables == 0)
        return model_fail(c->ps,
                          "@%s never names {{table}}; write INSERT INTO {{table}} ... "
                          "(the date's staging area)",
                          what);
    if (is_block(c->kind) && !c->lists && (c->firsts == 0 || c->lasts == 0))
        return model_fail(c->ps,
                          "@%s never uses {{%s}}; it must %s every date from {{first}} to "
                          "{{last}}, or every date in {{dates}}",
                          what, c->firsts ? "last" : "first",
                          c->kind == MODEL_EXPECTED_BLOCK ? "count for" : "write");
    if (!is_block(c->kind) && c->dates == 0)
        return model_fail(c->ps, "@%s never uses {{date}}; it must %s the one date it is run for",
                          what, c->kind == MODEL_EXPECTED ? "count for" : "write");
    return BF_OK;
}

int model_sql_compile(model_parser *ps, model_stmt *st, int kind, const char *text, size_t len)
{
    int marker = ps->line, lead = 0;
    for (size_t i = 0; i < len && isspace((unsigned char)text[i]); i++)
        lead += text[i] == '\n';
    trim(&text, &len);
    if (len == 0)
        return model_fail(ps, "the @%s section is empty; write its statement below the marker",
                          model_section_names[kind]);
    char *src = strndup(text, len);
    compiler c = {.ps = ps, .st = st, .kind = kind, .base = marker + 1 + lead};
    st->ndates = is_block(kind) ? 2 : 1;
    int rc = src ? BF_OK : model_fail(ps, "out of memory");
    for (const char *at = src; rc == BF_OK && *at;)
        rc = walk_one(&c, &at);
    if (rc == BF_OK) {
        ps->line = marker;
        rc = finish_checks(&c);
    }
    if (rc == BF_OK && !(st->text = model_keep(ps, c.out, c.n)))
        rc = model_fail(ps, "out of memory");
    free(src);
    free(c.out);
    return rc;
}
