/* checkpoint_records.c - a processor's own checkpoint records in one pass
 * over its text, with no tree (see checkpoint_records.h). Strings are kept
 * as the position of their opening quote while the scan runs and ended in
 * place (jscan_terminate) once the whole file has been recognised. */
#include "state/checkpoint_records.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "base/json_scan.h"
#include "state/checkpoint_scan.h"
#include "state/record.h"

typedef struct scan {
    jscan_cursor c;
    scanned_records *out;
    size_t cap, rawcap;
} scan;

/* A string value's opening quote in *q (NULL for any other value). */
static int string_field(scan *sc, const char **q)
{
    jscan_text t;
    jscan_ws(&sc->c);
    *q = NULL;
    if (sc->c.p < sc->c.end && *sc->c.p == '"') {
        *q = sc->c.p;
        return jscan_string(&sc->c, &t);
    }
    return jscan_value(&sc->c, 3);
}

/* An integer value in *out, any other value leaves dflt there. */
static int int_or(scan *sc, int64_t *out, int64_t dflt)
{
    *out = dflt;
    return jscan_int_field(&sc->c, out);
}

/* "raw": its string-valued members appended to out->raw (a repeated
 * member keeps its first place and its last value, as jansson does). */
static int raw_object(scan *sc, scanned_record *r)
{
    scanned_records *o = sc->out;
    r->has_raw = 1;
    r->raw_at = o->nraw;
    r->nraw = 0;
    jscan_ws(&sc->c);
    if (sc->c.p >= sc->c.end || *sc->c.p != '{')
        return jscan_value(&sc->c, 3);
    sc->c.p++;
    if (jscan_eat(&sc->c, '}'))
        return 1;
    do {
        jscan_text k;
        const char *key, *val;
        jscan_ws(&sc->c);
        key = sc->c.p;
        if (!jscan_string(&sc->c, &k) || !jscan_eat(&sc->c, ':') || !string_field(sc, &val))
            return 0;
        size_t i = r->raw_at;
        while (i < o->nraw && !(strncmp(o->raw[i].table, key, k.len + 2) == 0))
            i++;
        if (i == o->nraw) {
            if (!val)
                continue;
            if (o->nraw == sc->rawcap) {
                size_t cap = sc->rawcap ? sc->rawcap * 2 : 1024;
                scanned_raw *grown = realloc(o->raw, cap * sizeof *grown);
                if (!grown)
                    return 0;
                o->raw = grown;
                sc->rawcap = cap;
            }
            o->nraw++;
            r->nraw++;
        }
        o->raw[i] = (scanned_raw){key, val}; /* a non-string value: ignored by the judge */
    } while (jscan_eat(&sc->c, ','));
    return jscan_eat(&sc->c, '}');
}

/* One member of a date record. */
static int field(scan *sc, const jscan_text *k, scanned_record *r, char *status, size_t slen)
{
    jscan_text s;
    if (jscan_key_is(k, "status")) {
        status[0] = '\0';
        jscan_ws(&sc->c);
        if (sc->c.p < sc->c.end && *sc->c.p == '"') {
            if (!jscan_string(&sc->c, &s) || s.escaped)
                return 0;
            if (s.len < slen)
                snprintf(status, slen, "%.*s", (int)s.len, s.s);
            return 1;
        }
        return jscan_value(&sc->c, 3);
    }
    if (jscan_key_is(k, "published_rows"))
        return int_or(sc, &r->d.published_rows, -1);
    if (jscan_key_is(k, "published_seq"))
        return int_or(sc, &r->d.published_seq, 0);
    if (jscan_key_is(k, "read_stamp"))
        return int_or(sc, &r->read_stamp, 0);
    if (jscan_key_is(k, "expected"))
        return int_or(sc, &r->expected, -1);
    if (jscan_key_is(k, "read_seq"))
        return int_or(sc, &r->read_seq, 0);
    if (jscan_key_is(k, "error"))
        return string_field(sc, &r->error);
    if (jscan_key_is(k, "code"))
        return string_field(sc, &r->code);
    if (jscan_key_is(k, "config"))
        return string_field(sc, &r->config);
    if (jscan_key_is(k, "raw"))
        return raw_object(sc, r);
    return jscan_value(&sc->c, 3);
}

/* One date: "YYYY-MM-DD": {...}, appended to out->recs. */
static int date_record(scan *sc)
{
    jscan_text k;
    char date[16], why[64], status[16] = "";
    scanned_record r = {.d = {.published_rows = -1}, .expected = -1};
    if (!jscan_string(&sc->c, &k) || !jscan_eat(&sc->c, ':') || k.escaped || k.len > 15)
        return 0;
    snprintf(date, sizeof date, "%.*s", (int)k.len, k.s);
    if (date_parse(date, &r.d.day, why, sizeof why) != 0 || !jscan_eat(&sc->c, '{'))
        return 0; /* left to checkpoint_open's readers, who name it */
    if (!jscan_eat(&sc->c, '}')) {
        do {
            if (!jscan_string(&sc->c, &k) || !jscan_eat(&sc->c, ':') || k.escaped ||
                !field(sc, &k, &r, status, sizeof status))
                return 0;
        } while (jscan_eat(&sc->c, ','));
        if (!jscan_eat(&sc->c, '}'))
            return 0;
    }
    if ((r.d.status = date_state_parse(status)) < 0)
        return 0; /* checkpoint_open refuses a date without a valid status */
    scanned_records *o = sc->out;
    if (o->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 1024;
        scanned_record *grown = realloc(o->recs, cap * sizeof *grown);
        if (!grown)
            return 0;
        o->recs = grown;
        sc->cap = cap;
    }
    o->recs[o->n++] = r;
    return 1;
}

static int dates(scan *sc)
{
    if (!jscan_eat(&sc->c, '{'))
        return 0;
    if (jscan_eat(&sc->c, '}'))
        return 1;
    do
        if (!date_record(sc))
            return 0;
    while (jscan_eat(&sc->c, ','));
    return jscan_eat(&sc->c, '}');
}

static int dates_of(jscan_cursor *c, void *sc)
{
    (void)c; /* the scan's own cursor, sc->c */
    return dates(sc);
}

static int run_of(jscan_cursor *c, void *sc)
{
    return checkpoint_scan_run(c, &((scan *)sc)->out->run);
}

/* The whole file in *buf (malloc'd, one byte more than *len), its
 * identity in *id. */
static int read_all(const char *path, char **buf, size_t *len, file_identity *id)
{
    char err[256];
    struct stat st;
    *buf = NULL;
    *len = 0;
    int fd = file_open_regular(path, O_RDONLY | O_NOFOLLOW, 0, err, sizeof err);
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    int ok =
        fstat(fd, &st) == 0 && st.st_size > 0 && (*buf = malloc((size_t)st.st_size + 1)) != NULL;
    while (ok && *len < (size_t)st.st_size) {
        ssize_t r = read(fd, *buf + *len, (size_t)st.st_size - *len);
        if (r < 0 && errno == EINTR)
            continue;
        ok = r > 0;
        *len += r > 0 ? (size_t)r : 0;
    }
    close(fd);
    if (ok)
        checkpoint_identity_of(&st, id);
    return ok ? 0 : -1;
}

/* The kept strings, ended in place now that the text is no longer read. */
static void terminate(scanned_records *o)
{
    for (size_t i = 0; i < o->n; i++) {
        scanned_record *r = &o->recs[i];
        const char **s[] = {&r->error, &r->code, &r->config};
        for (size_t k = 0; k < 3; k++)
            if (*s[k])
                *s[k] = jscan_terminate((char *)*s[k]);
    }
    for (size_t i = 0; i < o->nraw; i++) {
        o->raw[i].table = jscan_terminate((char *)o->raw[i].table);
        if (o->raw[i].text)
            o->raw[i].text = jscan_terminate((char *)o->raw[i].text);
    }
}

int checkpoint_records(const char *state_dir, const char *processor, scanned_records *out)
{
    char path[4096];
    size_t len;
    memset(out, 0, sizeof *out);
    out->run.exit_code = -1;
    if (snprintf(path, sizeof path, "%s/%s.json", state_dir, processor) >= (int)sizeof path)
        return -1;
    int rc = read_all(path, &out->text, &len, &out->id);
    if (rc == 0) {
        scan sc = {.c = {out->text, out->text + len}, .out = out};
        out->run = (scanned_run){"", -1};
        if (checkpoint_scan_top(&sc.c, run_of, dates_of, &sc)) {
            terminate(out);
            return 0;
        }
        rc = -1;
    }
    checkpoint_records_free(out);
    return rc;
}

void checkpoint_records_free(scanned_records *r)
{
    free(r->text);
    free(r->recs);
    free(r->raw);
    memset(r, 0, sizeof *r);
}
