/* gaps_json.c - the gaps matrix as one JSON document, written as it is
 * made: the tables whole, then each cell written as jansson would write
 * it (its strings escaped by jansson), so a matrix of millions of cells
 * never holds millions of JSON objects nor builds one per cell. */
#include "report/gaps.h"

#include <stdlib.h>

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
            date_format(m->days.days[r], d);
            if (gaps_at(m, r, k)->state == STATE_MISSING)
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

/* One cell as jansson writes {"date", "table", "state", "actual",
 * "expected"[, "why"]}: table is the table's name as JSON text. */
static int put_cell(FILE *f, const char *sep, const char *d, const char *table, const gaps_cell *c)
{
    char buf[512], expected[24] = "null";
    if (c->expected >= 0)
        snprintf(expected, sizeof expected, "%" JSON_INTEGER_FORMAT, (json_int_t)c->expected);
    int len =
        snprintf(buf, sizeof buf,
                 "%s{\"date\":\"%s\",\"table\":%s,\"state\":\"%s\",\"actual\":%" JSON_INTEGER_FORMAT
                 ",\"expected\":%s",
                 sep, d, table, date_state_name(c->state), (json_int_t)c->actual, expected);
    if (len < 0 || (size_t)len >= sizeof buf || fwrite(buf, 1, (size_t)len, f) != (size_t)len)
        return -1;
    /* A reason that is not text jansson takes is left out, as before. */
    char *why = c->why ? text_of(json_string(c->why)) : NULL;
    int rc = (why && (fputs(",\"why\":", f) < 0 || fputs(why, f) < 0)) || fputc('}', f) == EOF;
    free(why);
    return rc ? -1 : 0;
}

/* The cells, each written as it is made; every table's name is turned
 * into JSON text once. */
static int put_cells(FILE *f, const gaps_matrix *m)
{
    const char *sep = "";
    char **names = calloc(m->ntables + 1, sizeof *names);
    int rc = names ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < m->ntables; k++)
        rc = (names[k] = text_of(json_string(m->tables[k].table))) ? 0 : -1;
    for (size_t r = 0; rc == 0 && r < m->days.n; r++) {
        char d[DATE_LEN];
        date_format(m->days.days[r], d);
        for (size_t k = 0; rc == 0 && k < m->ntables; k++) {
            const gaps_cell *c = gaps_at(m, r, k);
            if (c->state == STATE_PENDING)
                continue;
            rc = put_cell(f, sep, d, names[k], c);
            sep = ",";
        }
    }
    for (size_t k = 0; names && k < m->ntables; k++)
        free(names[k]);
    free(names);
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
