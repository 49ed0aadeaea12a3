/* events.c - append-only JSON Lines, one checked write per event. */
#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "files.h"
#include "jsontext.h"

struct events {
    int fd;
    char *path;
    char error[512]; /* the first event that did not land, or "" */
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
    /* A new file of our own: never appended through a planted link. */
    ev->fd = open(ev->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (ev->fd < 0) {
        snprintf(err, errlen, "cannot create the event log %s: %s", ev->path, strerror(errno));
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
    close(ev->fd);
    pthread_mutex_destroy(&ev->lock);
    free(ev->path);
    free(ev);
}

const char *events_path(const events *ev)
{
    return ev ? ev->path : NULL;
}

/* Keep the first failure; later events are still attempted. Called with
 * the lock held. */
static void failed(events *ev, const char *name, const char *why)
{
    if (!ev->error[0])
        snprintf(ev->error, sizeof ev->error, "%s: event %s was not written: %s", ev->path, name,
                 why);
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
    int ok = obj && fields && json_object_update(obj, fields) == 0;
    json_decref(fields);
    size_t len = 0;
    char *line = ok ? json_text(obj, JSON_COMPACT | JSON_PRESERVE_ORDER, &len) : NULL;
    json_decref(obj);
    pthread_mutex_lock(&ev->lock);
    if (!line)
        failed(ev, name, "out of memory");
    else if (file_write_all(ev->fd, line, len) != 0) /* one write: O_APPEND keeps it whole */
        failed(ev, name, strerror(errno));
    pthread_mutex_unlock(&ev->lock);
    free(line);
}

int events_sync(events *ev, char *err, size_t errlen)
{
    if (!ev)
        return 0;
    pthread_mutex_lock(&ev->lock);
    if (!ev->error[0] && fsync(ev->fd) != 0)
        failed(ev, "(all)", strerror(errno));
    int rc = ev->error[0] ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "%s", ev->error);
    pthread_mutex_unlock(&ev->lock);
    return rc;
}
