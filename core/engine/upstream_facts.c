/* upstream_facts.c - the process's kept checkpoint scans (see
 * upstream_facts.h), one entry per checkpoint file, freed at exit. A file
 * is scanned outside the lock, by one thread at a time: another thread
 * asking for the same file waits for that scan instead of repeating it. */
#include "engine/upstream_facts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/checkpoint_records.h"
#include "state/checkpoint_scan.h"

typedef struct entry {
    char *path;   /* state_dir/processor, the key */
    int kept;     /* days, n, run and id hold a scan */
    int scanning; /* a thread is scanning the file now */
    file_identity id;
    scanned_day *days;
    size_t n;
    scanned_run run;
    /* A full scan made for a summary, kept until the processor's own judge
     * takes it (upstream_facts_own); text NULL if none. */
    scanned_records pending;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t scanned = PTHREAD_COND_INITIALIZER;
static entry **entries; /* pointers: an entry stays put while the lock is dropped */
static size_t nentries;
static int registered;

static void free_all(void)
{
    for (size_t i = 0; i < nentries; i++) {
        free(entries[i]->path);
        free(entries[i]->days);
        checkpoint_records_free(&entries[i]->pending);
        free(entries[i]);
    }
    free(entries);
    entries = NULL;
    nentries = 0;
}

static int same(const file_identity *a, const file_identity *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

/* The entry for key, added empty if there is none; NULL on OOM. Called
 * with the lock held. */
static entry *slot(const char *key)
{
    for (size_t i = 0; i < nentries; i++)
        if (strcmp(entries[i]->path, key) == 0)
            return entries[i];
    entry **grown = realloc(entries, (nentries + 1) * sizeof *grown);
    entry *e = calloc(1, sizeof *e);
    char *path = strdup(key);
    if (grown)
        entries = grown;
    if (!grown || !e || !path) {
        free(e);
        free(path);
        return NULL;
    }
    e->path = path;
    e->run.exit_code = -1;
    entries[nentries++] = e;
    if (!registered)
        registered = atexit(free_all) == 0;
    return e;
}

/* The per-date publish view of r's records (malloc'd; NULL when r has no
 * dates) into *days and *n. 0, or -1 on OOM. */
static int view_of(const scanned_records *r, scanned_day **days, size_t *n)
{
    *n = 0;
    *days = r->n ? malloc(r->n * sizeof **days) : NULL;
    if (r->n && !*days)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        (*days)[i] = r->recs[i].d;
    *n = r->n;
    return 0;
}

/* Keep a scan in e (days taken). Called with the lock held. */
static void keep(entry *e, scanned_day *days, size_t n, const file_identity *id,
                 const scanned_run *run)
{
    free(e->days);
    e->days = days;
    e->n = n;
    e->id = *id;
    e->run = *run;
    e->kept = 1;
}

/* Scan the file without the lock: with full, its whole records (the
 * pending ones, *rec) and the view drawn from them; else, or if the
 * records scan refuses it, the publish view alone. Returns as
 * checkpoint_scan. */
static int scan_unlocked(const char *state_dir, const char *processor, int full,
                         scanned_records *rec, scanned_day **days, size_t *n, file_identity *id,
                         scanned_run *run)
{
    int rc = full ? checkpoint_records(state_dir, processor, rec) : -1;
    if (rc == 0 && view_of(rec, days, n) == 0) {
        *id = rec->id;
        *run = rec->run;
        return 0;
    }
    checkpoint_records_free(rec);
    return rc == 1 ? 1 : checkpoint_scan(state_dir, processor, days, n, id, run);
}

/* The kept entry for key, scanned now if it is not kept or the file
 * changed (a thread scanning it already is waited for); NULL with *none
 * set when there is no checkpoint, NULL alone on a fault. Called, and
 * returns, with the lock held. */
static entry *find(const char *state_dir, const char *processor, const char *key, int full,
                   int *none)
{
    for (;;) {
        file_identity now;
        int rc = checkpoint_identity(state_dir, processor, &now);
        *none = rc == 1;
        entry *e = rc == 0 ? slot(key) : NULL;
        if (!e)
            return NULL;
        if (e->scanning) {
            pthread_cond_wait(&scanned, &lock);
            continue;
        }
        if (e->kept && same(&e->id, &now))
            return e;
        scanned_records rec = {0};
        scanned_day *days = NULL;
        size_t n = 0;
        file_identity id;
        scanned_run run;
        e->scanning = 1;
        pthread_mutex_unlock(&lock);
        rc = scan_unlocked(state_dir, processor, full, &rec, &days, &n, &id, &run);
        pthread_mutex_lock(&lock);
        e->scanning = 0;
        pthread_cond_broadcast(&scanned);
        *none = rc == 1;
        if (rc != 0)
            return NULL;
        keep(e, days, n, &id, &run);
        checkpoint_records_free(&e->pending);
        e->pending = rec; /* empty unless full */
        return e;
    }
}

/* The entry for processor, under the lock; NULL as find. */
static const entry *lookup(const char *state_dir, const char *processor, int full, int *none,
                           char **key)
{
    size_t klen = strlen(state_dir) + strlen(processor) + 2;
    *key = malloc(klen);
    *none = 0;
    if (!*key)
        return NULL;
    snprintf(*key, klen, "%s/%s", state_dir, processor);
    return find(state_dir, processor, *key, full, none);
}

int upstream_facts_summary(const char *state_dir, const char *processor, scanned_run *run,
                           bf_day *first, bf_day *last, size_t *n)
{
    char *key;
    int none;
    pthread_mutex_lock(&lock);
    const entry *e = lookup(state_dir, processor, 1, &none, &key);
    *n = 0;
    *first = *last = 0;
    run->finished_at[0] = '\0';
    run->exit_code = -1;
    for (size_t i = 0; e && i < e->n; i++) {
        if (i == 0 || e->days[i].day < *first)
            *first = e->days[i].day;
        if (i == 0 || e->days[i].day > *last)
            *last = e->days[i].day;
    }
    if (e) {
        *n = e->n;
        *run = e->run;
    }
    pthread_mutex_unlock(&lock);
    free(key);
    return e ? 0 : none ? 1 : -1;
}

int upstream_facts_fill(const char *state_dir, const char *processor, table_facts *t)
{
    char *key;
    int none;
    pthread_mutex_lock(&lock);
    const entry *e = lookup(state_dir, processor, 0, &none, &key);
    for (size_t i = 0; e && i < e->n; i++) {
        const scanned_day *d = &e->days[i];
        if (d->day < t->first || (size_t)(d->day - t->first) >= t->ndays)
            continue;
        day_facts *f = &t->days[d->day - t->first];
        f->status = d->status;
        f->published_rows = d->published_rows;
        f->published_seq = d->published_seq;
    }
    pthread_mutex_unlock(&lock);
    free(key);
    return e || none ? 0 : -1;
}

/* The pending records of e if they are still the file's (moved into
 * *out: 0), else none (1: they are dropped). Called with the lock held. */
static int take_pending(const char *state_dir, const char *processor, entry *e,
                        scanned_records *out)
{
    file_identity now;
    if (e->pending.text && checkpoint_identity(state_dir, processor, &now) == 0 &&
        same(&e->pending.id, &now)) {
        *out = e->pending;
        memset(&e->pending, 0, sizeof e->pending);
        return 0;
    }
    checkpoint_records_free(&e->pending);
    return 1;
}

int upstream_facts_own(const char *state_dir, const char *processor, scanned_records *out)
{
    size_t klen = strlen(state_dir) + strlen(processor) + 2;
    char *key = malloc(klen);
    memset(out, 0, sizeof *out);
    if (!key)
        return -1;
    snprintf(key, klen, "%s/%s", state_dir, processor);
    pthread_mutex_lock(&lock);
    entry *e = slot(key);
    free(key);
    if (e && take_pending(state_dir, processor, e, out) == 0) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    /* Readers of the file wait for this scan rather than make their own;
     * if one of them is scanning it already, this scan is not kept. */
    int mine = e && !e->scanning;
    if (mine)
        e->scanning = 1;
    pthread_mutex_unlock(&lock);
    int rc = checkpoint_records(state_dir, processor, out);
    scanned_day *days = NULL;
    size_t n = 0;
    int viewed = rc == 0 && view_of(out, &days, &n) == 0;
    pthread_mutex_lock(&lock);
    if (mine) {
        e->scanning = 0;
        pthread_cond_broadcast(&scanned);
    }
    if (mine && viewed)
        keep(e, days, n, &out->id, &out->run);
    else
        free(days);
    pthread_mutex_unlock(&lock);
    return rc;
}
