/* run_history.c - see run_history.h. A log is named
 * <processor>-<YYYYmmddTHHMMSSZ>-<pid>.jsonl, so the names sort by when the
 * run started. */
#include "state/run_history.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"

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
        json_t *ev = json_loads(line, 0, NULL);
        json_t *ms = json_object_get(ev, "duration_ms");
        const char *name = json_string_value(json_object_get(ev, "event"));
        if (name && strcmp(name, "date_committed") == 0 && json_is_number(ms))
            found = push(h, cap, json_number_value(ms)) == 0 ? found + 1 : -1;
        json_decref(ev);
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
