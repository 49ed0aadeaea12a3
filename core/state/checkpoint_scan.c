/* checkpoint_scan.c - a checkpoint's per-date publish records in one pass
 * over its text, with no tree (see checkpoint_scan.h). A small JSON reader:
 * it checks the syntax jansson checks (strings, escapes, UTF-8, numbers,
 * nesting, nothing after the value) and keeps only what it was asked for. */
#include "state/checkpoint_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "state/record.h"

#define MAX_DEPTH 64

typedef struct cursor {
    const char *p, *end;
} cursor;

typedef struct text {
    const char *s;
    size_t len;
    int escaped;
} text;

static void ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

static int eat(cursor *c, char ch)
{
    ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* One UTF-8 sequence starting at c->p (a byte >= 0x80); 0 if invalid. */
static int utf8(cursor *c)
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

/* A string; t gets its raw text between the quotes. */
static int string(cursor *c, text *t)
{
    if (!eat(c, '"'))
        return 0;
    t->s = c->p;
    t->escaped = 0;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 0x20)
            return 0;
        if (ch >= 0x80) {
            if (!utf8(c))
                return 0;
            continue;
        }
        if (ch == '\\') {
            t->escaped = 1;
            if (++c->p >= c->end || !strchr("\"\\/bfnrtu", *c->p))
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
static int number(cursor *c, int *is_int, int64_t *v)
{
    ws(c);
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
    char buf[64];
    size_t len = (size_t)(c->p - s);
    if (len >= sizeof buf)
        return *is_int ? 0 : 1; /* a long real: jansson's range check is left unrepeated */
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

static int literal(cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return 0;
    c->p += n;
    return 1;
}

static int value(cursor *c, int depth);

/* The members of an object or array after its opening bracket. */
static int members(cursor *c, int depth, int object)
{
    char close = object ? '}' : ']';
    if (eat(c, close))
        return 1;
    do {
        text key;
        if (object && (!string(c, &key) || !eat(c, ':')))
            return 0;
        if (!value(c, depth + 1))
            return 0;
    } while (eat(c, ','));
    return eat(c, close);
}

static int value(cursor *c, int depth)
{
    ws(c);
    if (c->p >= c->end || depth > MAX_DEPTH)
        return 0;
    text t;
    int is_int;
    int64_t v;
    switch (*c->p) {
    case '{':
    case '[': c->p++; return members(c, depth, c->p[-1] == '{');
    case '"': return string(c, &t);
    case 't': return literal(c, "true");
    case 'f': return literal(c, "false");
    case 'n': return literal(c, "null");
    default: return number(c, &is_int, &v);
    }
}

static int key_is(const text *k, const char *name)
{
    return !k->escaped && k->len == strlen(name) && memcmp(k->s, name, k->len) == 0;
}

/* An integer field as judge reads it: a non-integer keeps the default. */
static int int_field(cursor *c, int64_t *out)
{
    ws(c);
    const char *at = c->p;
    int is_int = 0;
    int64_t v;
    if (c->p < c->end && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))) {
        if (!number(c, &is_int, &v))
            return 0;
        if (is_int)
            *out = v;
        return 1;
    }
    c->p = at;
    return value(c, 2);
}

/* One date record: {"status": ..., ...}. */
static int record(cursor *c, scanned_day *d)
{
    char status[16] = "";
    if (!eat(c, '{'))
        return 0;
    d->published_rows = -1;
    d->published_seq = 0;
    if (!eat(c, '}')) {
        do {
            text k, s;
            if (!string(c, &k) || !eat(c, ':') || k.escaped)
                return 0;
            ws(c);
            if (key_is(&k, "status")) {
                status[0] = '\0';
                if (c->p < c->end && *c->p == '"') {
                    if (!string(c, &s) || s.escaped)
                        return 0;
                    if (s.len < sizeof status)
                        snprintf(status, sizeof status, "%.*s", (int)s.len, s.s);
                } else if (!value(c, 2)) {
                    return 0;
                }
            } else if (key_is(&k, "published_rows") || key_is(&k, "published_seq")) {
                int64_t *out =
                    key_is(&k, "published_rows") ? &d->published_rows : &d->published_seq;
                if (!int_field(c, out))
                    return 0;
            } else if (!value(c, 2)) {
                return 0;
            }
        } while (eat(c, ','));
        if (!eat(c, '}'))
            return 0;
    }
    d->status = date_state_parse(status);
    return d->status >= 0; /* checkpoint_open refuses a date without a valid status */
}

typedef struct found {
    scanned_day *days;
    size_t n, cap;
} found;

static int dates(cursor *c, found *f)
{
    if (!eat(c, '{'))
        return 0;
    if (eat(c, '}'))
        return 1;
    do {
        text k;
        scanned_day d;
        char date[16], why[64];
        if (!string(c, &k) || !eat(c, ':') || k.escaped || !record(c, &d))
            return 0;
        snprintf(date, sizeof date, "%.*s", (int)(k.len < 15 ? k.len : 15), k.s);
        if (k.len > 15 || date_parse(date, &d.day, why, sizeof why) != 0)
            return 0; /* left to checkpoint_open's readers, who name it */
        if (f->n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 1024;
            scanned_day *grown = realloc(f->days, cap * sizeof *grown);
            if (!grown)
                return 0;
            f->days = grown;
            f->cap = cap;
        }
        f->days[f->n++] = d;
    } while (eat(c, ','));
    return eat(c, '}');
}

/* The run object: its exit_code and finished_at kept in run. */
static int run_object(cursor *c, scanned_run *run)
{
    if (!eat(c, '{'))
        return 0;
    if (eat(c, '}'))
        return 1;
    do {
        text k, s;
        if (!string(c, &k) || !eat(c, ':') || k.escaped)
            return 0;
        ws(c);
        if (key_is(&k, "exit_code")) {
            int64_t v = -1;
            if (!int_field(c, &v))
                return 0;
            run->exit_code = v;
        } else if (key_is(&k, "finished_at") && c->p < c->end && *c->p == '"') {
            if (!string(c, &s) || s.escaped)
                return 0;
            run->finished_at[0] = '\0';
            if (s.len < sizeof run->finished_at)
                snprintf(run->finished_at, sizeof run->finished_at, "%.*s", (int)s.len, s.s);
        } else if (!value(c, 2)) {
            return 0;
        }
    } while (eat(c, ','));
    return eat(c, '}');
}

/* The top object: "processor" a string, "version" an integer, "run" an
 * object, "dates" an object, each once. */
static int top(cursor *c, found *f, scanned_run *run)
{
    int seen[4] = {0};
    if (!eat(c, '{'))
        return 0;
    do {
        text k, s;
        int is_int = 0, ok;
        int64_t v;
        if (!string(c, &k) || !eat(c, ':') || k.escaped)
            return 0;
        ws(c);
        char first = c->p < c->end ? *c->p : '\0';
        if (key_is(&k, "processor"))
            ok = !seen[0]++ && first == '"' && string(c, &s);
        else if (key_is(&k, "version"))
            ok = !seen[1]++ && number(c, &is_int, &v) && is_int;
        else if (key_is(&k, "run"))
            ok = !seen[2]++ && first == '{' && run_object(c, run);
        else if (key_is(&k, "dates"))
            ok = !seen[3]++ && dates(c, f);
        else
            ok = value(c, 1);
        if (!ok)
            return 0;
    } while (eat(c, ','));
    if (!eat(c, '}') || !seen[0] || !seen[1] || !seen[2] || !seen[3])
        return 0;
    ws(c);
    return c->p == c->end;
}

static void identity_of(const struct stat *st, file_identity *id)
{
    memset(id, 0, sizeof *id);
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    id->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

int checkpoint_identity(const char *state_dir, const char *processor, file_identity *id)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s.json", state_dir, processor);
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 1 : -1;
    if (!S_ISREG(st.st_mode))
        return -1;
    identity_of(&st, id);
    return 0;
}

int checkpoint_scan(const char *state_dir, const char *processor, scanned_day **days, size_t *n,
                    file_identity *id, scanned_run *run)
{
    scanned_run ignored = {"", -1};
    run = run ? run : &ignored;
    run->finished_at[0] = '\0';
    run->exit_code = -1;
    char path[4096], err[256];
    struct stat st;
    *days = NULL;
    *n = 0;
    snprintf(path, sizeof path, "%s/%s.json", state_dir, processor);
    int fd = file_open_regular(path, O_RDONLY | O_NOFOLLOW, 0, err, sizeof err);
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    char *buf = NULL;
    size_t len = 0;
    int ok = fstat(fd, &st) == 0 && st.st_size > 0 && (buf = malloc((size_t)st.st_size)) != NULL;
    while (ok && len < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);
        if (r < 0 && errno == EINTR)
            continue;
        ok = r > 0;
        len += r > 0 ? (size_t)r : 0;
    }
    close(fd);
    found f = {0};
    cursor c = {buf, buf + len};
    if (ok && top(&c, &f, run)) {
        identity_of(&st, id);
        *days = f.days;
        *n = f.n;
        free(buf);
        return 0;
    }
    free(f.days);
    free(buf);
    return -1;
}
