/* json_scan.c - the small JSON reader (see json_scan.h). */
#include "base/json_scan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jscan_ws(jscan_cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

int jscan_eat(jscan_cursor *c, char ch)
{
    jscan_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* One UTF-8 sequence starting at c->p (a byte >= 0x80); 0 if invalid. */
static int jscan_utf8(jscan_cursor *c)
{
    const unsigned char *u = (const unsigned char *)c->p;
    size_t left = (size_t)(c->end - c->p), n;
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        n = 2;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        n = 3;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && u[0] == 0xE0 && u[1] < 0xA0) || (n == 3 && u[0] == 0xED && u[1] > 0x9F) ||
        (n == 4 && u[0] == 0xF0 && u[1] < 0x90) || (n == 4 && u[0] == 0xF4 && u[1] > 0x8F))
        return 0;
    c->p += n;
    return 1;
}

/* The bytes a string holds as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
    [0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2F: not '"' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30-0x3F */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40-0x4F */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50-0x5F: not '\\' */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60-0x6F */
    1,          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70-0x7F */
};

/* A string; t gets its raw text between the quotes. */
int jscan_string(jscan_cursor *c, jscan_text *t)
{
    if (!jscan_eat(c, '"'))
        return 0;
    t->s = c->p;
    t->escaped = 0;
    while (c->p < c->end && *c->p != '"') {
        /* Plain ASCII in a run: the common case, one test a byte. */
        while (c->p < c->end && plain[(unsigned char)*c->p])
            c->p++;
        if (c->p >= c->end || *c->p == '"')
            break;
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 0x20)
            return 0;
        if (ch >= 0x80) {
            if (!jscan_utf8(c))
                return 0;
            continue;
        }
        if (ch == '\\') {
            t->escaped = 1;
            /* A NUL is no escape, though strchr finds it: its string's end. */
            if (++c->p >= c->end || !*c->p || !strchr("\"\\/bfnrtu", *c->p))
                return 0;
            /* \u escapes (a NUL, a lone surrogate) are left to jansson. */
            if (*c->p == 'u')
                return 0;
        }
        c->p++;
    }
    if (c->p >= c->end)
        return 0;
    t->len = (size_t)(c->p - t->s);
    c->p++;
    return 1;
}

/* A number; *is_int and *v when it is an integer jansson would keep. */
int jscan_number(jscan_cursor *c, int *is_int, int64_t *v)
{
    jscan_ws(c);
    const char *s = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p >= c->end || *c->p < '0' || *c->p > '9')
        return 0;
    if (*c->p == '0' && c->p + 1 < c->end && c->p[1] >= '0' && c->p[1] <= '9')
        return 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    *is_int = 1;
    if (c->p < c->end && *c->p == '.') {
        *is_int = 0;
        if (++c->p >= c->end || *c->p < '0' || *c->p > '9')
            return 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        *is_int = 0;
        if (++c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9')
            return 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    size_t len = (size_t)(c->p - s);
    if (*is_int && len <= 18) { /* within int64_t whatever the digits: no strtoll */
        int64_t x = 0;
        for (const char *d = *s == '-' ? s + 1 : s; d < c->p; d++)
            x = x * 10 + (*d - '0');
        *v = *s == '-' ? -x : x;
        return 1;
    }
    if (!*is_int && len < 64 && !memchr(s, 'e', len) && !memchr(s, 'E', len))
        return 1; /* under 64 digits and no exponent: far below DBL_MAX */
    char buf[64];
    if (len >= sizeof buf)
        return 0; /* a number this long (jansson writes 24 characters at most): left to it */
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    if (*is_int) {
        long long x = strtoll(buf, NULL, 10);
        *v = x;
        return errno != ERANGE;
    }
    return !isinf(strtod(buf, NULL));
}

static int jscan_literal(jscan_cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return 0;
    c->p += n;
    return 1;
}

/* The members of an object or array after its opening bracket. */
static int jscan_members(jscan_cursor *c, int depth, int object)
{
    char close = object ? '}' : ']';
    if (jscan_eat(c, close))
        return 1;
    do {
        jscan_text key;
        if (object && (!jscan_string(c, &key) || !jscan_eat(c, ':')))
            return 0;
        if (!jscan_value(c, depth + 1))
            return 0;
    } while (jscan_eat(c, ','));
    return jscan_eat(c, close);
}

int jscan_value(jscan_cursor *c, int depth)
{
    jscan_ws(c);
    if (c->p >= c->end || depth > JSCAN_MAX_DEPTH)
        return 0;
    jscan_text t;
    int is_int;
    int64_t v;
    switch (*c->p) {
    case '{':
    case '[': c->p++; return jscan_members(c, depth, c->p[-1] == '{');
    case '"': return jscan_string(c, &t);
    case 't': return jscan_literal(c, "true");
    case 'f': return jscan_literal(c, "false");
    case 'n': return jscan_literal(c, "null");
    default: return jscan_number(c, &is_int, &v);
    }
}

int jscan_key_is(const jscan_text *k, const char *name)
{
    return !k->escaped && k->len && k->s[0] == name[0] && k->len == strlen(name) &&
           memcmp(k->s, name, k->len) == 0;
}

/* An integer field as judge reads it: a non-integer keeps the default. */
int jscan_int_field(jscan_cursor *c, int64_t *out)
{
    jscan_ws(c);
    const char *at = c->p;
    int is_int = 0;
    int64_t v;
    if (c->p < c->end && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))) {
        if (!jscan_number(c, &is_int, &v))
            return 0;
        if (is_int)
            *out = v;
        return 1;
    }
    c->p = at;
    return jscan_value(c, 2);
}

char *jscan_terminate(char *q)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char *out = q;
    for (const char *in = q + 1; *in != '"'; in++) {
        if (*in == '\\') {
            in++;
            *out++ = to[strchr(from, *in) - from];
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return q;
}
