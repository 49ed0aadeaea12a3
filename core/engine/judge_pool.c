/* judge_pool.c - the read-only commands' judgements on several threads
 * (see judge_pool.h): a shared counter hands out the jobs in order, and
 * the lowest failing job is remembered so that what the caller prints
 * before the error is what one thread would have printed. */
#include "engine/judge_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POOL_MAX 64

typedef struct pool {
    pthread_mutex_t lock;
    size_t next, n, failed; /* failed: the lowest failing job, n if none */
    judge_job_fn job;
    void *ctx;
    judge_cache *cache;
    char *err;
    size_t errlen;
} pool;

typedef struct worker {
    pool *p;
    store *s;
    pthread_t tid;
    int started;
} worker;

size_t judge_pool_threads(size_t n)
{
    const char *env = getenv("BACKFILL_THREADS");
    long want = 0;
    if (env && *env) {
        char *end;
        want = strtol(env, &end, 10);
        if (*end || want < 1 || want > POOL_MAX)
            want = 0;
    }
    if (!want) {
        want = sysconf(_SC_NPROCESSORS_ONLN);
        want = want < 1 ? 1 : want > POOL_MAX ? POOL_MAX : want;
    }
    return n < (size_t)want ? (n ? n : 1) : (size_t)want;
}

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    char err[1024];
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next;
        int go = i < p->n && i < p->failed;
        p->next += go;
        pthread_mutex_unlock(&p->lock);
        if (!go)
            return NULL;
        err[0] = '\0';
        if (p->job(p->ctx, i, w->s, p->cache, err, sizeof err) == 0)
            continue;
        pthread_mutex_lock(&p->lock);
        if (i < p->failed) {
            p->failed = i;
            snprintf(p->err, p->errlen, "%s", err);
        }
        pthread_mutex_unlock(&p->lock);
    }
}

size_t judge_pool_run(const bf_config *cfg, store *s, judge_cache *cache, size_t n,
                      judge_job_fn job, void *ctx, char *err, size_t errlen)
{
    pool p = {.next = 0,
              .n = n,
              .failed = n,
              .job = job,
              .ctx = ctx,
              .cache = cache,
              .err = err,
              .errlen = errlen};
    worker w[POOL_MAX];
    size_t nw = judge_pool_threads(n);
    char why[256];
    pthread_mutex_init(&p.lock, NULL);
    memset(w, 0, sizeof w);
    w[0] = (worker){&p, s, 0, 0};
    /* The stores are opened here, before any thread starts. */
    for (size_t k = 1; k < nw; k++) {
        w[k].p = &p;
        if (store_open(cfg->store_conf, STORE_READ_ONLY, &w[k].s, why, sizeof why) != BF_OK)
            w[k].s = NULL;
    }
    for (size_t k = 1; k < nw; k++)
        w[k].started = w[k].s && pthread_create(&w[k].tid, NULL, work, &w[k]) == 0;
    work(&w[0]);
    for (size_t k = 1; k < nw; k++) {
        if (w[k].started)
            pthread_join(w[k].tid, NULL);
        store_close(w[k].s);
    }
    pthread_mutex_destroy(&p.lock);
    return p.failed;
}
