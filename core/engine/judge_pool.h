/* judge_pool.h - judging many processors at once: the read-only commands
 * (status, gaps, verify --outputs) hand each processor's judgement to a
 * small pool of threads, one per core, and print the results afterwards
 * in their own order, so the output is the same whatever the number of
 * threads. Each thread has its own read-only store connection; the judge
 * cache and the kept checkpoint scans (upstream_facts.h) are shared. */
#ifndef BF_JUDGE_POOL_H
#define BF_JUDGE_POOL_H

#include <stddef.h>

#include "config/config.h"
#include "engine/judge.h"
#include "stores/store.h"

/* One job: judge item i with store s (the thread's own) and the shared
 * cache, keeping its result where ctx says for item i. It must not print.
 * 0, or -1 with one line in err. */
typedef int (*judge_job_fn)(void *ctx, size_t i, store *s, judge_cache *cache, char *err,
                            size_t errlen);

/* The threads a pool of n jobs uses: BACKFILL_THREADS if set to 1-64,
 * else the cores online; never more than n, at least 1. */
size_t judge_pool_threads(size_t n);

/* Run job for every i in [0, n): on the calling thread with s, and on up
 * to judge_pool_threads(n) - 1 more threads, each with a read-only store
 * opened from cfg (one that cannot be opened leaves fewer threads). Jobs
 * start in the order of i. Returns n if every job returned 0; else the
 * lowest i whose job failed, with its err: every job before it ran, jobs
 * after it may not have. */
size_t judge_pool_run(const bf_config *cfg, store *s, judge_cache *cache, size_t n,
                      judge_job_fn job, void *ctx, char *err, size_t errlen);

#endif
