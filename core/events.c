/* events.c - append-only JSON Lines, one write per event. */
#include "events.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"

struct events {
    FILE *f;
    char *path;
    pthread_mutex_t lock;
};

events *events_open(const char *state_dir, const char *processor, char *err, size_t errlen)
{
    char dir[4096], when[32];
    snprintf(dir, sizeof dir, "%s/runs", state_dir);
    time_t t = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", gmtime_r(&t, &tm));
    events *ev = calloc(1, sizeof *ev);
    if (!ev || checkpoint_mkdirs(dir) != 0 ||
        asprintf(&ev->path, "%s/%s-%s-%ld.jsonl", dir, processor, when, (long)getpid()) < 0) {
        snprintf(err, errlen, "cannot create the event log in %s", dir);
        free(ev);
        return NULL;
    }
    ev->f = fopen(ev->path, "a");
    if (!ev->f) {
        snprintf(err, errlen, "cannot create the event log %s", ev->path);
        free(ev->path);
        free(ev);
        return NULL;
    }
    pthread_mutex_init(&ev->lock, NULL);
    return ev;
}

void events_close(events *ev)
{
    if (!ev)
        return;
    fclose(ev->f);
    pthread_mutex_destroy(&ev->lock);
    free(ev->path);
    free(ev);
}

const char *events_path(const events *ev)
{
    return ev ? ev->path : NULL;
}

void events_emit(events *ev, const char *name, json_t *fields)
{
    if (!ev) {
        json_decref(fields);
        return;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    char ts[40];
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", gmtime_r(&tv.tv_sec, &tm));
    snprintf(ts + n, sizeof ts - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    json_t *obj = json_pack("{s:s, s:s}", "ts", ts, "event", name);
    if (fields)
        json_object_update(obj, fields);
    json_decref(fields);
    char *line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!line)
        return;
    pthread_mutex_lock(&ev->lock);
    fputs(line, ev->f);
    fputc('\n', ev->f);
    fflush(ev->f);
    pthread_mutex_unlock(&ev->lock);
    free(line);
}
