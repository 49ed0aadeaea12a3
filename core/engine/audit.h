/* audit.h - write-audit-publish of one date, with retries. */
#ifndef BF_AUDIT_H
#define BF_AUDIT_H

#include <stdatomic.h>

#include "plugin/check_block.h"
#include "plugin/checks.h"
#include "plugin/context.h"
#include "state/events.h"
#include "engine/plan.h"

typedef struct audit_policy {
    int retries;             /* attempts after the first */
    int backoff_ms;          /* sleep before retry k: backoff_ms * 2^(k-1) */
    atomic_int *abandon;     /* nonzero: no further attempts; may be NULL */
    events *events;          /* attempts are logged here; may be NULL */
    const check_set *checks; /* quality checks on the staged rows; may be NULL */
    /* The store publishes in groups (STORE_CAP_GROUP_PUBLISH): a date that
     * passes is deferred, and is published only by the caller's
     * audit_commit_group, after which it calls audit_settle. */
    int group;
} audit_policy;

/* The outcome of one date, filled by audit_date. */
typedef struct audit_result {
    int status; /* enum date_state: STATE_COMPLETE, STATE_PARTIAL, STATE_FAILED
                 * or STATE_CHECK_FAILED (a declared quality check failed) */
    int64_t expected, actual;
    int validation_passed;
    int attempts;
    double duration_ms;
    int64_t published_seq; /* STATE_COMPLETE: when it was published */
    int64_t read_seq;      /* a publish sequence taken just before the last
                            * attempt's read snapshot: any upstream publish
                            * with a smaller sequence is in what it read */
    int permanent;         /* the last attempt failed for good: not retried */
    int config_error;      /* a config getter failed: the run ends with exit 2 */
    json_t *checks;        /* owned: check name -> value the last attempt measured, or NULL */
    json_t *committed;     /* owned, deferred dates only: the date_committed event */
    char error[512];
} audit_result;

/* Per attempt: the store opens the date's staging area, process_date
 * writes it (the store refuses any other write), validate_date counts it
 * (read-only), the core counts it too, measures policy->checks on it, and
 * publishes only if the counts agree, actual >= expected * min_completeness,
 * actual <= expected and no quality check failed; anything else rolls back
 * so the date keeps its previous rows. A failed declared check is retried
 * (upstream may still fill in). A permanent error is not retried; an
 * interrupt ends the backoff wait and the retries. ctx must be bound to a
 * read-write store. The caller owns out->checks. */
void audit_date(run_ctx *ctx, const char *date, const audit_policy *policy, audit_result *out);

/* What the block's own queries found for one of its dates: its staged
 * rows (the grouped count), its expected rows (expected_dates; -1: ask
 * validate_date) and the block's measured checks (NULL: each measured on
 * the date alone); index is the date's place among the block's dates. */
typedef struct block_facts {
    int64_t rows, expected;
    const check_block *checks;
    size_t index;
} block_facts;

/* One attempt of date, a date of the block just computed on ctx's store
 * (store_block_begin ... store_block_end): its staging area starts with the
 * block's rows of the date, and the date is then judged, checked and
 * published (or deferred) exactly as by audit_date's attempts; read_seq is
 * the block's, f what the block's queries found for it (f->rows what the
 * core compares with validate_date's actual; with f->expected >= 0 the
 * date is judged by it and f->rows instead of validate_date). Logged as attempt 1 with "block":
 * true. Returns out->status; anything but STATE_COMPLETE left the date's published rows as they
 * were, and the caller runs it again alone (audit_date). The caller owns out->checks and
 * out->committed. */
int audit_block_date(run_ctx *ctx, const char *date, const audit_policy *policy, int64_t read_seq,
                     const block_facts *f, audit_result *out);

/* Publish every date deferred on s in one transaction (STORE_CAP_GROUP_
 * PUBLISH): NULL when published, else why none was; settle each with
 * audit_settle either way. */
const char *audit_commit_group(store *s);

/* A deferred date once its group's commit returned: commit_error NULL, it
 * is published now (its publish sequence taken, date_committed logged);
 * otherwise it failed with that error and keeps its previous rows. */
void audit_settle(const audit_policy *policy, const char *date, audit_result *r,
                  const char *commit_error);

/* Judge what the date holds now, published, without writing: the same
 * validate_date and publish rule as a run. ctx may be read-only. */
void audit_published(run_ctx *ctx, const char *date, audit_result *out);

/* Delete the published rows of date through the publish path, as an
 * empty set that replaces them: for orphans (blocked dates still holding
 * rows). Returns BF_OK or an error with one line in err. */
int audit_purge(store *s, const plugin *p, const char *date, char *err, size_t errlen);

/* The publish sequence of a date published now: microseconds since the
 * epoch, strictly increasing within the process. Readers record the sum of
 * the sequences in their windows; any republish changes it. */
int64_t audit_publish_seq(void);

/* The publish rule alone, for tests: 1 if the figures may be published,
 * else 0 with the reason in why. */
int audit_accepts(const bf_validation *v, double min_completeness, char *why, size_t whylen);

#endif
