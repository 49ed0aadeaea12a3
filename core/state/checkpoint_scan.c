/* checkpoint_scan.c - a checkpoint's per-date publish records in one pass
 * over its text, with no tree (see checkpoint_scan.h), by base/json_scan.h's
 * reader, keeping only what it was asked for. */
#include "state/checkpoint_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "base/json_scan.h"
#include "state/record.h"

/* One date record: {"status": ..., ...}. */
static int record(jscan_cursor *c, scanned_day *d)
{
    char status[16] = "";
    if (!jscan_eat(c, '{'))
        return 0;
    d->published_rows = -1;
    d->published_seq = 0;
    if (!jscan_eat(c, '}')) {
        do {
            jscan_text k, s;
            if (!jscan_string(c, &k) || !jscan_eat(c, ':') || k.escaped)
                return 0;
            jscan_ws(c);
            if (jscan_key_is(&k, "status")) {
                status[0] = '\0';
                if (c->p < c->end && *c->p == '"') {
                    if (!jscan_string(c, &s) || s.escaped)
                        return 0;
                    if (s.len < sizeof status)
                        snprintf(status, sizeof status, "%.*s", (int)s.len, s.s);
                } else if (!jscan_value(c, 2)) {
                    return 0;
                }
            } else if (jscan_key_is(&k, "published_rows") || jscan_key_is(&k, "published_seq")) {
                int64_t *out =
                    jscan_key_is(&k, "published_rows") ? &d->published_rows : &d->published_seq;
                if (!jscan_int_field(c, out))
                    return 0;
            } else if (!jscan_value(c, 2)) {
                return 0;
            }
        } while (jscan_eat(c, ','));
        if (!jscan_eat(c, '}'))
            return 0;
    }
    d->status = date_state_parse(status);
    return d->status >= 0; /* checkpoint_open refuses a date without a valid status */
}

typedef struct found {
    scanned_day *days;
    size_t n, cap;
} found;

static int dates(jscan_cursor *c, found *f)
{
    if (!jscan_eat(c, '{'))
        return 0;
    if (jscan_eat(c, '}'))
        return 1;
    do {
        jscan_text k;
        scanned_day d;
        char date[16], why[64];
        if (!jscan_string(c, &k) || !jscan_eat(c, ':') || k.escaped || !record(c, &d))
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
    } while (jscan_eat(c, ','));
    return jscan_eat(c, '}');
}

int checkpoint_scan_run(jscan_cursor *c, scanned_run *run)
{
    if (!jscan_eat(c, '{'))
        return 0;
    if (jscan_eat(c, '}'))
        return 1;
    do {
        jscan_text k, s;
        if (!jscan_string(c, &k) || !jscan_eat(c, ':') || k.escaped)
            return 0;
        jscan_ws(c);
        if (jscan_key_is(&k, "exit_code")) {
            int64_t v = -1;
            if (!jscan_int_field(c, &v))
                return 0;
            run->exit_code = v;
        } else if (jscan_key_is(&k, "finished_at") && c->p < c->end && *c->p == '"') {
            if (!jscan_string(c, &s) || s.escaped)
                return 0;
            run->finished_at[0] = '\0';
            if (s.len < sizeof run->finished_at)
                snprintf(run->finished_at, sizeof run->finished_at, "%.*s", (int)s.len, s.s);
        } else if (!jscan_value(c, 2)) {
            return 0;
        }
    } while (jscan_eat(c, ','));
    return jscan_eat(c, '}');
}

int checkpoint_scan_top(jscan_cursor *c, int (*run_value)(jscan_cursor *, void *),
                        int (*dates_value)(jscan_cursor *, void *), void *ctx)
{
    int seen[4] = {0};
    if (!jscan_eat(c, '{'))
        return 0;
    do {
        jscan_text k, s;
        int is_int = 0, ok;
        int64_t v;
        if (!jscan_string(c, &k) || !jscan_eat(c, ':') || k.escaped)
            return 0;
        jscan_ws(c);
        char first = c->p < c->end ? *c->p : '\0';
        if (jscan_key_is(&k, "processor"))
            ok = !seen[0]++ && first == '"' && jscan_string(c, &s);
        else if (jscan_key_is(&k, "version"))
            ok = !seen[1]++ && jscan_number(c, &is_int, &v) && is_int;
        else if (jscan_key_is(&k, "run"))
            ok = !seen[2]++ && first == '{' && (run_value ? run_value(c, ctx) : jscan_value(c, 1));
        else if (jscan_key_is(&k, "dates"))
            ok = !seen[3]++ && dates_value(c, ctx);
        else
            ok = jscan_value(c, 1);
        if (!ok)
            return 0;
    } while (jscan_eat(c, ','));
    if (!jscan_eat(c, '}') || !seen[0] || !seen[1] || !seen[2] || !seen[3])
        return 0;
    jscan_ws(c);
    return c->p == c->end;
}

/* What checkpoint_scan reads through checkpoint_scan_top. */
typedef struct wanted {
    found *f;
    scanned_run *run;
} wanted;

static int run_of(jscan_cursor *c, void *ctx)
{
    return checkpoint_scan_run(c, ((wanted *)ctx)->run);
}

static int dates_of(jscan_cursor *c, void *ctx)
{
    return dates(c, ((wanted *)ctx)->f);
}

void checkpoint_identity_of(const struct stat *st, file_identity *id)
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
    checkpoint_identity_of(&st, id);
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
    jscan_cursor c = {buf, ok ? buf + len : buf}; /* an empty file has no buffer */
    if (ok && checkpoint_scan_top(&c, run_of, dates_of, &(wanted){&f, run})) {
        checkpoint_identity_of(&st, id);
        *days = f.days;
        *n = f.n;
        free(buf);
        return 0;
    }
    free(f.days);
    free(buf);
    return -1;
}
