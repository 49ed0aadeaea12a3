/* upstream_facts.c - the process's kept upstream checkpoint records (see
 * upstream_facts.h), one entry per checkpoint file, freed at exit. */
#include "engine/upstream_facts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/checkpoint_scan.h"

typedef struct entry {
    char *path; /* state_dir/processor, the key */
    file_identity id;
    scanned_day *days;
    size_t n;
    scanned_run run;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *entries;
static size_t nentries;
static int registered;

static void free_all(void)
{
    for (size_t i = 0; i < nentries; i++) {
        free(entries[i].path);
        free(entries[i].days);
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

/* The entry for key, scanned now if it is not kept or the file changed;
 * NULL with *none set when there is no checkpoint, NULL alone on a fault.
 * Called with the lock held. */
static entry *find(const char *state_dir, const char *processor, const char *key, int *none)
{
    file_identity now;
    int rc = checkpoint_identity(state_dir, processor, &now);
    *none = rc == 1;
    if (rc != 0)
        return NULL;
    entry *e = NULL;
    for (size_t i = 0; i < nentries && !e; i++)
        if (strcmp(entries[i].path, key) == 0)
            e = &entries[i];
    if (e && same(&e->id, &now))
        return e;
    scanned_day *days;
    size_t n;
    file_identity id;
    scanned_run run;
    rc = checkpoint_scan(state_dir, processor, &days, &n, &id, &run);
    *none = rc == 1;
    if (rc != 0)
        return NULL;
    if (!e) {
        entry *grown = realloc(entries, (nentries + 1) * sizeof *grown);
        char *path = strdup(key);
        if (!grown || !path) {
            entries = grown ? grown : entries;
            free(path);
            free(days);
            return NULL;
        }
        entries = grown;
        e = &entries[nentries++];
        memset(e, 0, sizeof *e);
        e->path = path;
        if (!registered)
            registered = atexit(free_all) == 0;
    }
    free(e->days);
    e->days = days;
    e->n = n;
    e->id = id;
    e->run = run;
    return e;
}

/* The entry for processor, under the lock; NULL as find. */
static const entry *lookup(const char *state_dir, const char *processor, int *none, char **key)
{
    size_t klen = strlen(state_dir) + strlen(processor) + 2;
    *key = malloc(klen);
    *none = 0;
    if (!*key)
        return NULL;
    snprintf(*key, klen, "%s/%s", state_dir, processor);
    return find(state_dir, processor, *key, none);
}

int upstream_facts_summary(const char *state_dir, const char *processor, scanned_run *run,
                           bf_day *first, bf_day *last, size_t *n)
{
    char *key;
    int none;
    pthread_mutex_lock(&lock);
    const entry *e = lookup(state_dir, processor, &none, &key);
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
    const entry *e = lookup(state_dir, processor, &none, &key);
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
