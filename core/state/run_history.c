/* run_history.c - see run_history.h. A log is named
 * <processor>-<YYYYmmddTHHMMSSZ>-<pid>.jsonl, so the names sort by when the
 * run started. */
#include "state/run_history.h"

#include <ctype.h>
#include <math.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "base/json_scan.h"

static int newest_first(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* The names of processor's logs in dir, newest first (*n of them). */
static char **logs(const char *dir, const char *processor, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cap = 0, plen = strlen(processor);
    struct dirent *e;
    *n = 0;
    while (d && (e = readdir(d))) {
        const char *s = e->d_name;
        size_t len = strlen(s);
        if (strncmp(s, processor, plen) != 0 || s[plen] != '-' ||
            !isdigit((unsigned char)s[plen + 1]) || len < 6 || strcmp(s + len - 6, ".jsonl") != 0)
            continue;
        if (*n == cap) {
            char **grown = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[*n] = strdup(s)))
            break;
        (*n)++;
    }
    if (d)
        closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, newest_first);
    return names;
}

static int push(run_history *h, size_t *cap, double ms)
{
    if (h->n == *cap) {
        double *grown = realloc(h->ms, (*cap = *cap ? 2 * *cap : 256) * sizeof *grown);
        if (!grown)
            return -1;
        h->ms = grown;
    }
    h->ms[h->n++] = ms;
    return 0;
}

/* The number at c's cursor as json_number_value reads it, into *ms: 1;
 * 0 if the scan cannot tell it as jansson would (out of range). */
static int scan_number(jscan_cursor *c, double *ms)
{
    const char *at = c->p;
    int is_int = 0;
    int64_t v = 0;
    if (!jscan_number(c, &is_int, &v))
        return 0;
    if (is_int) {
        *ms = (double)v;
        return 1;
    }
    if (!memchr(at, '.', (size_t)(c->p - at)) && !memchr(at, 'e', (size_t)(c->p - at)) &&
        !memchr(at, 'E', (size_t)(c->p - at)))
        return 0; /* an integer jansson would refuse */
    *ms = strtod(at, NULL);
    return isfinite(*ms);
}

/* One key and value of an event's top level: "event" sets *committed,
 * "duration_ms" *have and *ms; others are skipped. 1, or 0 if not read. */
static int scan_member(jscan_cursor *c, int *committed, int *have, double *ms)
{
    jscan_text k, v;
    if (!jscan_string(c, &k) || !jscan_eat(c, ':'))
        return 0;
    jscan_ws(c);
    if (jscan_key_is(&k, "event") && c->p < c->end && *c->p == '"') {
        if (!jscan_string(c, &v) || v.escaped)
            return 0;
        *committed = v.len == 14 && memcmp(v.s, "date_committed", 14) == 0;
        return 1;
    }
    if (jscan_key_is(&k, "duration_ms") && c->p < c->end &&
        (*c->p == '-' || isdigit((unsigned char)*c->p)))
        return *have = scan_number(c, ms);
    if (jscan_key_is(&k, "event"))
        *committed = 0;
    if (jscan_key_is(&k, "duration_ms"))
        *have = 0;
    return jscan_value(c, 1);
}

/* A log line read without building its tree (the logs of a long range
 * hold a line per date): 1 and *ms when it is a date_committed event with
 * a number duration_ms, 0 when it is JSON but not that, -1 when the scan
 * does not read it as jansson would (the caller asks jansson). */
static int scan_line(const char *line, double *ms)
{
    jscan_cursor c = {line, line + strlen(line)};
    int committed = 0, have = 0;
    if (!jscan_eat(&c, '{'))
        return -1;
    if (!jscan_eat(&c, '}')) {
        do
            if (!scan_member(&c, &committed, &have, ms))
                return -1;
        while (jscan_eat(&c, ','));
        if (!jscan_eat(&c, '}'))
            return -1;
    }
    jscan_ws(&c);
    if (c.p != c.end)
        return -1;
    return committed && have;
}

/* The duration of the date_committed event line is, by jansson: 1 and
 * *ms, else 0 (another event, or not JSON: a log cut short). */
static int parse_line(const char *line, double *ms)
{
    json_t *ev = json_loads(line, 0, NULL);
    json_t *v = json_object_get(ev, "duration_ms");
    const char *name = json_string_value(json_object_get(ev, "event"));
    int found = name && strcmp(name, "date_committed") == 0 && json_is_number(v);
    if (found)
        *ms = json_number_value(v);
    json_decref(ev);
    return found;
}

/* The durations of path's published dates into h. Returns how many, or -1
 * out of memory. */
static long read_log(const char *path, run_history *h, size_t *cap)
{
    char why[512];
    FILE *f = file_fopen_regular(path, why, sizeof why);
    char *line = NULL;
    size_t len = 0;
    long found = 0;
    while (f && found >= 0 && getline(&line, &len, f) > 0) {
        if (!strstr(line, "\"date_committed\""))
            continue;
        double ms = 0;
        int got = scan_line(line, &ms);
        if (got < 0)
            got = parse_line(line, &ms);
        if (got)
            found = push(h, cap, ms) == 0 ? found + 1 : -1;
    }
    free(line);
    if (f)
        fclose(f);
    return found;
}

int run_history_read(const char *state_dir, const char *processor, run_history *h)
{
    char dir[4096], path[8192];
    size_t n, cap = 0;
    int rc = 0;
    memset(h, 0, sizeof *h);
    snprintf(dir, sizeof dir, "%s/runs", state_dir);
    char **names = logs(dir, processor, &n);
    for (size_t i = 0; i < n && i < RUN_HISTORY_LOGS && h->runs < RUN_HISTORY_RUNS && rc == 0;
         i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        long found = read_log(path, h, &cap);
        if (found < 0)
            rc = -1;
        h->runs += found > 0;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != 0)
        run_history_free(h);
    return rc;
}

void run_history_free(run_history *h)
{
    free(h->ms);
    memset(h, 0, sizeof *h);
}
