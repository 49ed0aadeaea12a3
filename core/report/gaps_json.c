/* gaps_json.c - the gaps matrix as one JSON document, written as it is
 * made: the tables whole, then each cell written as jansson would write
 * it (its strings escaped by jansson), so a matrix of millions of cells
 * never holds millions of JSON objects nor builds one per cell. */
#include "report/gaps.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/judge.h"
#include "engine/rerun.h"

#define FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) | JSON_ENCODE_ANY)

static json_t *tables_json(const gaps_matrix *m)
{
    json_t *tables = json_array();
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_table *t = &m->tables[k];
        json_t *states = json_object(), *missing = json_array();
        for (int s = STATE_COMPLETE; s < STATE_COUNT; s++)
            json_object_set_new(states, date_state_name(s), json_integer((json_int_t)t->states[s]));
        for (size_t r = 0; r < m->days.n; r++) {
            char d[DATE_LEN];
            if (gaps_at(m, r, k)->state != STATE_MISSING)
                continue;
            date_format(m->days.days[r], d);
            json_array_append_new(missing, json_string(d));
        }
        json_t *tj =
            json_pack("{s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:b, s:s?, s:o, s:o}", "code", t->code,
                      "processor", t->processor, "table", t->table, "expected",
                      (json_int_t)t->expected, "covered", (json_int_t)t->covered, "coverage",
                      t->coverage, "threshold", m->threshold, "passed", t->passed, "last_run",
                      t->last_run[0] ? t->last_run : NULL, "states", states, "missing", missing);
        json_object_set_new(tj, "needs_work", json_integer((json_int_t)t->rerun.total));
        json_object_set_new(tj, "rerun", rerun_json(&t->rerun));
        json_array_append_new(tables, tj);
    }
    return tables;
}

/* Dump v (stolen) after the text before; -1 if it is NULL (out of memory)
 * or the write failed. A small value is dumped into a buffer and
 * written at once: jansson writes a file a few bytes at a time. */
static int put(FILE *f, const char *before, json_t *v)
{
    char buf[2048];
    size_t len = v ? json_dumpb(v, buf, sizeof buf, FLAGS) : 0;
    int rc = !v || fputs(before, f) < 0     ? -1
             : len > 0 && len <= sizeof buf ? (fwrite(buf, 1, len, f) == len ? 0 : -1)
             : json_dumpf(v, f, FLAGS) == 0 ? 0
                                            : -1;
    json_decref(v);
    return rc;
}

/* v (stolen) as JSON text (malloc'd), or NULL if v is NULL. */
static char *text_of(json_t *v)
{
    char *t = v ? json_dumps(v, FLAGS) : NULL;
    json_decref(v);
    return t;
}

/* The cells' text, gathered in a buffer and written in large pieces. */
typedef struct {
    FILE *f;
    size_t n;
    int failed;
    char b[1 << 16];
} out_buf;

static void out_put(out_buf *o, const char *s, size_t len)
{
    if (o->n + len > sizeof o->b) {
        o->failed |= fwrite(o->b, 1, o->n, o->f) != o->n;
        o->n = 0;
        if (len > sizeof o->b) {
            o->failed |= fwrite(s, 1, len, o->f) != len;
            return;
        }
    }
    memcpy(o->b + o->n, s, len);
    o->n += len;
}

static void out_str(out_buf *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* v in decimal, as jansson writes a JSON integer. */
static void out_int(out_buf *o, int64_t v)
{
    char d[24], *e = d + sizeof d, *p = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    out_put(o, p, (size_t)(e - p));
}

/* One cell as jansson writes {"date", "table", "state", "actual",
 * "expected"[, "why"]}: table is the table's name as JSON text, why the
 * reason's (NULL: none, or not text jansson takes, left out as before). */
static void put_cell(out_buf *o, const char *d, const char *table, const gaps_cell *c,
                     const char *why)
{
    out_put(o, "{\"date\":\"", 9);
    out_put(o, d, DATE_LEN - 1);
    out_put(o, "\",\"table\":", 10);
    out_str(o, table);
    out_put(o, ",\"state\":\"", 10);
    out_str(o, date_state_name(c->state));
    out_put(o, "\",\"actual\":", 11);
    out_int(o, c->actual);
    out_put(o, ",\"expected\":", 12);
    if (c->expected >= 0)
        out_int(o, c->expected);
    else
        out_put(o, "null", 4);
    if (why) {
        out_put(o, ",\"why\":", 7);
        out_str(o, why);
    }
    out_put(o, "}", 1);
}

/* The cells, each written as it is made; every table's name is turned
 * into JSON text once, and each reason once in a row (the matrix keeps
 * one copy of each reason, so cells share its pointer). */
static int put_cells(FILE *f, const gaps_matrix *m)
{
    out_buf *o = malloc(sizeof *o);
    char **names = calloc(m->ntables + 1, sizeof *names);
    const char *why_of = NULL;
    char *why = NULL;
    int rc = o && names ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < m->ntables; k++)
        rc = (names[k] = text_of(json_string(m->tables[k].table))) ? 0 : -1;
    if (o)
        *o = (out_buf){.f = f};
    for (size_t r = 0, first = 1; rc == 0 && r < m->days.n; r++) {
        char d[DATE_LEN];
        date_format(m->days.days[r], d);
        for (size_t k = 0; rc == 0 && k < m->ntables; k++) {
            const gaps_cell *c = gaps_at(m, r, k);
            if (c->state == STATE_PENDING)
                continue;
            if (c->why != why_of) {
                free(why);
                why = c->why ? text_of(json_string(c->why)) : NULL;
                why_of = c->why;
            }
            if (!first)
                out_put(o, ",", 1);
            first = 0;
            put_cell(o, d, names[k], c, why);
            rc = o->failed ? -1 : 0;
        }
    }
    if (rc == 0 && o->n)
        rc = fwrite(o->b, 1, o->n, f) == o->n ? 0 : -1;
    free(why);
    for (size_t k = 0; names && k < m->ntables; k++)
        free(names[k]);
    free(names);
    free(o);
    return rc;
}

int gaps_write_json(FILE *f, const gaps_matrix *m)
{
    if (put(f, "{\"first\":", json_string(m->first)) != 0 ||
        put(f, ",\"last\":", json_string(m->last)) != 0 ||
        put(f, ",\"threshold\":", json_real(m->threshold)) != 0 ||
        put(f, ",\"tables\":", tables_json(m)) != 0 || fputs(",\"cells\":[", f) < 0 ||
        put_cells(f, m) != 0 || fputs("]}\n", f) < 0)
        return -1;
    return ferror(f) ? -1 : 0;
}
