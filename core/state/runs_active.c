/* runs_active.c - see runs_active.h. Whether a lock is held is read from
 * /proc/locks (the file's device and inode), never by trying the lock. */
#include "state/runs_active.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "base/jsontext.h"

/* Whether some process holds an flock on the file st names. */
static int flock_held(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "r");
    char line[256];
    int held = 0;
    while (f && !held && fgets(line, sizeof line, f)) {
        char kind[16];
        unsigned maj, min;
        unsigned long ino;
        /* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; a blocked
         * waiter's line starts "1: -> FLOCK" and holds nothing. */
        if (sscanf(line, "%*d: %15s %*s %*s %*d %x:%x:%lu", kind, &maj, &min, &ino) == 4 &&
            strcmp(kind, "FLOCK") == 0 && ino == (unsigned long)st->st_ino &&
            maj == major(st->st_dev) && min == minor(st->st_dev))
            held = 1;
    }
    if (f)
        fclose(f);
    return held;
}

/* The newest event log of processor written by pid, into r->log. */
static void find_log(const char *state_dir, active_run *r)
{
    char dir[2048], suffix[64], best[256] = "";
    snprintf(dir, sizeof dir, "%s/runs", state_dir);
    snprintf(suffix, sizeof suffix, "-%ld.jsonl", r->pid);
    size_t plen = strlen(r->processor), slen = strlen(suffix);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        /* PROCESSOR-YYYYMMDDTHHMMSSZ-PID.jsonl: the time after the name. */
        if (len > plen + 1 + slen && strncmp(e->d_name, r->processor, plen) == 0 &&
            e->d_name[plen] == '-' && e->d_name[plen + 1] >= '0' && e->d_name[plen + 1] <= '9' &&
            strcmp(e->d_name + len - slen, suffix) == 0 && strcmp(e->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    if (d)
        closedir(d);
    if (best[0])
        snprintf(r->log, sizeof r->log, "%s/%s", dir, best);
}

/* Fold one event of the log into r. */
static void fold(active_run *r, json_t *ev)
{
    const char *name = json_string_value(json_object_get(ev, "event"));
    if (!name)
        return;
    if (strcmp(name, "run_started") == 0) {
        snprintf(r->state, sizeof r->state, "running");
        snprintf(r->first, sizeof r->first, "%s", json_string_or(ev, "first", ""));
        snprintf(r->last, sizeof r->last, "%s", json_string_or(ev, "last", ""));
        r->dates = (long)json_integer_value(json_object_get(ev, "dates"));
        r->to_run = (long)json_integer_value(json_object_get(ev, "to_run"));
    } else if (strcmp(name, "waiting") == 0) {
        snprintf(r->state, sizeof r->state, "waiting");
        snprintf(r->waiting_for, sizeof r->waiting_for, "%s",
                 json_string_or(ev, "waiting_for", ""));
    } else if (strcmp(name, "date_committed") == 0) {
        r->done++;
    } else if (strcmp(name, "date_failed") == 0) {
        r->done++;
        r->failed++;
    }
}

static void read_log(active_run *r)
{
    FILE *f = r->log[0] ? fopen(r->log, "r") : NULL;
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        json_t *ev = json_loads(line, 0, NULL);
        if (ev)
            fold(r, ev);
        json_decref(ev);
    }
    free(line);
    if (f)
        fclose(f);
}

/* r from the lock file path (already known to be held). */
static void describe(const char *state_dir, const char *path, active_run *r)
{
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(r->holder, sizeof r->holder, f))
            r->holder[strcspn(r->holder, "\n")] = '\0';
        fclose(f);
    }
    if (sscanf(r->holder, "pid %ld on %127s since %31[^,]", &r->pid, r->host, r->since) != 3)
        r->pid = 0;
    r->dates = r->to_run = -1;
    snprintf(r->state, sizeof r->state, "starting");
    if (r->pid) {
        find_log(state_dir, r);
        read_log(r);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const active_run *)a)->processor, ((const active_run *)b)->processor);
}

int runs_active(const char *state_dir, active_run **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(state_dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", state_dir, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char path[4096];
        struct stat st;
        if (len < 6 || len - 5 >= sizeof(*out)->processor ||
            strcmp(e->d_name + len - 5, ".lock") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", state_dir, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || !flock_held(&st))
            continue;
        if (*n == cap) {
            active_run *grown = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof *grown);
            if (!grown) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            *out = grown;
        }
        active_run *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        snprintf(r->processor, sizeof r->processor, "%.*s", (int)(len - 5), e->d_name);
        describe(state_dir, path, r);
    }
    closedir(d);
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n)
        qsort(*out, *n, sizeof **out, by_name);
    return 0;
}
