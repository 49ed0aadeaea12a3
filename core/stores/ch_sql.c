/* ch_sql.c - a small lexer over ClickHouse SQL: enough to find the
 * placeholders that are code (not text in a literal or comment), the
 * statement's leading words, and a second statement after a ';'. */
#include "stores/ch_sql.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"

void ch_buf_add(ch_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void ch_buf_printf(ch_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
    } else if ((size_t)n < sizeof small) {
        ch_buf_add(b, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        ch_buf_add(b, big, (size_t)n);
        free(big);
    }
}

/* Length of the literal, quoted identifier or comment starting at p, or 0
 * if p starts none. An unterminated one runs to the end of the text (the
 * server then reports the syntax error). */
static size_t skip_text(const char *p)
{
    const char *q;
    if (*p == '\'' || *p == '"' || *p == '`') {
        char quote = *p;
        for (q = p + 1; *q; q++) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == quote && q[1] == quote)
                q++; /* doubled quote */
            else if (*q == quote)
                return (size_t)(q + 1 - p);
        }
        return (size_t)(q - p);
    }
    if (p[0] == '-' && p[1] == '-') {
        q = strchr(p, '\n');
        return q ? (size_t)(q + 1 - p) : strlen(p);
    }
    if (p[0] == '/' && p[1] == '*') {
        q = strstr(p + 2, "*/");
        return q ? (size_t)(q + 2 - p) : strlen(p);
    }
    return 0;
}

void ch_sql_quote_string(ch_buf *b, const char *s)
{
    ch_buf_add(b, "'", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '\\': ch_buf_add(b, "\\\\", 2); break;
        case '\'': ch_buf_add(b, "\\'", 2); break;
        case '\n': ch_buf_add(b, "\\n", 2); break;
        case '\r': ch_buf_add(b, "\\r", 2); break;
        case '\t': ch_buf_add(b, "\\t", 2); break;
        default:
            if (*c < 0x20 || *c == 0x7f)
                ch_buf_printf(b, "\\x%02X", *c);
            else
                ch_buf_add(b, (const char *)c, 1);
        }
    }
    ch_buf_add(b, "'", 1);
}

static void add_value(ch_buf *b, const bf_value *v)
{
    switch (v->type) {
    case BF_INT: ch_buf_printf(b, "%lld", (long long)v->v.i); break;
    case BF_REAL:
        if (isnan(v->v.d))
            ch_buf_add(b, "nan", 3);
        else if (isinf(v->v.d))
            ch_buf_printf(b, "%sinf", v->v.d < 0 ? "-" : "");
        else
            ch_buf_printf(b, "%.17g", v->v.d);
        break;
    case BF_TEXT: ch_sql_quote_string(b, v->v.s ? v->v.s : ""); break;
    default: ch_buf_add(b, "NULL", 4); break;
    }
}

static int only_space_after(const char *p)
{
    while (*p) {
        size_t t = skip_text(p);
        if (t && (*p == '-' || *p == '/'))
            p += t;
        else if (isspace((unsigned char)*p))
            p++;
        else
            return 0;
    }
    return 1;
}

int ch_sql_bind(const char *sql, const bf_value *params, int n, ch_buf *out, char *why,
                size_t whylen)
{
    int highest = 0;
    memset(out, 0, sizeof *out);
    for (const char *p = sql; *p;) {
        size_t t = skip_text(p);
        if (t) {
            ch_buf_add(out, p, t);
            p += t;
            continue;
        }
        if (*p == ';') {
            if (!only_space_after(p + 1)) {
                snprintf(why, whylen, "more than one statement in one call");
                return -1;
            }
            break;
        }
        if (*p != '?') {
            ch_buf_add(out, p, 1);
            p++;
            continue;
        }
        int index = highest + 1;
        p++;
        if (isdigit((unsigned char)*p)) {
            char *end;
            long v = strtol(p, &end, 10);
            index = v > 0 && v <= 999 ? (int)v : 0;
            p = end;
        }
        if (index < 1 || index > n) {
            snprintf(why, whylen, "placeholder ?%d has no value (%d given)", index, n);
            return -1;
        }
        if (index > highest)
            highest = index;
        add_value(out, &params[index - 1]);
    }
    if (highest != n) {
        snprintf(why, whylen, "statement has %d placeholders, %d values given", highest, n);
        return -1;
    }
    if (out->oom || !out->p) {
        snprintf(why, whylen, out->oom ? "out of memory" : "empty statement");
        return -1;
    }
    return 0;
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

int ch_sql_words(const char *sql, char words[][192], int max, const char **rest)
{
    int count = 0;
    const char *p = sql;
    while (count < max && *p) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        size_t t = skip_text(p);
        if (t && (*p == '-' || *p == '/')) {
            p += t;
            continue;
        }
        char *w = words[count];
        size_t n = 0;
        int name = *p == '"' || *p == '`' || ident_char(*p);
        /* A name: parts joined by '.', each bare or quoted with " or `
         * (an empty one, "", is a name too). */
        while (*p == '"' || *p == '`' || ident_char(*p)) {
            if (*p == '"' || *p == '`') {
                size_t len = skip_text(p);
                for (size_t i = 1; i + 1 < len && n + 1 < 192; i++)
                    w[n++] = p[i];
                p += len;
            } else {
                while (ident_char(*p) && n + 1 < 192)
                    w[n++] = *p++;
                while (ident_char(*p))
                    p++;
            }
            if (*p != '.' || !(p[1] == '"' || p[1] == '`' || ident_char(p[1])))
                break;
            if (n + 1 < 192)
                w[n++] = '.';
            p++;
        }
        if (!name) { /* punctuation, a string literal, a number's sign... */
            size_t len = skip_text(p);
            len = len ? len : 1;
            n = len < 191 ? len : 191;
            memcpy(w, p, n);
            p += len;
        }
        w[n] = '\0';
        count++;
    }
    if (rest)
        *rest = p;
    return count;
}

int ch_sql_is_date(const char *s)
{
    bf_day day;
    char why[64];
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           date_parse(s, &day, why, sizeof why) == 0;
}
