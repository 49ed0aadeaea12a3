/* events.c - append-only JSON Lines, written in blocks.
 *
 * Events gather in a block that one checked write appends when it holds
 * EVENTS_BLOCK bytes, when the run saves its checkpoint (events_flush) and
 * when it syncs: a write per event took a tenth of a cheap processor's
 * run. A kill -9 loses the events since the last flush, as it loses the
 * progress since the last checkpoint save; both run again on resume. */
#include "state/events.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "state/checkpoint.h"
#include "base/files.h"
#include "base/jsontext.h"

#define EVENTS_BLOCK 65536

struct events {
    int fd;
    char *path;
    char error[512]; /* the first event that did not land, or "" */
    pthread_mutex_t lock;
    char *block; /* whole lines not yet written */
    size_t len, cap, held;
    const char *newest; /* the name of the block's last event */
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
    events_flush(ev);
    close(ev->fd);
    pthread_mutex_destroy(&ev->lock);
    free(ev->block);
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

/* Append the block to the file. Called with the lock held. */
static void flush_locked(events *ev)
{
    if (ev->len && !ev->error[0] && file_write_all(ev->fd, ev->block, ev->len) != 0)
        snprintf(ev->error, sizeof ev->error, "%s: %zu event%s, the last %s, were not written: %s",
                 ev->path, ev->held, ev->held == 1 ? "" : "s", ev->newest, strerror(errno));
    ev->len = ev->held = 0;
}

/* Append n bytes to the block. Called with the lock held. */
static int hold(events *ev, const char *bytes, size_t n)
{
    if (ev->len + n > ev->cap) {
        size_t cap = ev->cap ? ev->cap : EVENTS_BLOCK + 4096;
        while (cap < ev->len + n)
            cap *= 2;
        char *block = realloc(ev->block, cap);
        if (!block)
            return -1;
        ev->block = block;
        ev->cap = cap;
    }
    memcpy(ev->block + ev->len, bytes, n);
    ev->len += n;
    return 0;
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
    char head[128];
    size_t n =
        strftime(head, sizeof head, "{\"ts\":\"%Y-%m-%dT%H:%M:%S", gmtime_r(&tv.tv_sec, &tm));
    n += (size_t)snprintf(head + n, sizeof head - n, ".%03ldZ\",\"event\":\"%s\"%s",
                          (long)(tv.tv_usec / 1000), name, json_object_size(fields) ? "," : "");
    /* The fields follow the name, after the comma that replaces their "{". */
    size_t len = 0;
    char *rest = fields ? json_text(fields, JSON_COMPACT | JSON_PRESERVE_ORDER, &len) : NULL;
    json_decref(fields);
    pthread_mutex_lock(&ev->lock);
    size_t before = ev->len;
    if (!rest || n >= sizeof head || hold(ev, head, n) != 0 || hold(ev, rest + 1, len - 1) != 0) {
        ev->len = before;
        failed(ev, name, "out of memory");
    } else {
        ev->held++;
        ev->newest = name;
        if (ev->len >= EVENTS_BLOCK)
            flush_locked(ev);
    }
    pthread_mutex_unlock(&ev->lock);
    free(rest);
}

void events_flush(events *ev)
{
    if (!ev)
        return;
    pthread_mutex_lock(&ev->lock);
    flush_locked(ev);
    pthread_mutex_unlock(&ev->lock);
}

int events_sync(events *ev, char *err, size_t errlen)
{
    if (!ev)
        return 0;
    pthread_mutex_lock(&ev->lock);
    flush_locked(ev);
    if (!ev->error[0] && fsync(ev->fd) != 0)
        failed(ev, "(all)", strerror(errno));
    int rc = ev->error[0] ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "%s", ev->error);
    pthread_mutex_unlock(&ev->lock);
    return rc;
}
