/* judge.h - the one place a date's state is decided.
 *
 * run, verify, status, pipeline and gaps all ask this module; none has a
 * definition of its own. It reads two kinds of facts, each with one grouped
 * query or one file per table, never one query per date:
 *   - the store: rows per date of the processor's table and of every
 *     dependency, over the range (and back over each lookback window);
 *     for raw tables and the calendar also a checksum of each date's rows;
 *   - the checkpoints: what backfill itself published per date (rows and a
 *     publish sequence) and what the published date read (a stamp of the
 *     upstream publish sequences in its windows).
 *
 * An upstream date of a processor's table is covered only if backfill
 * published it and the table still holds exactly the rows published;
 * partial if the table holds other rows than recorded; missing if it holds
 * none; unverified if it holds rows backfill never recorded (written by
 * another tool): unverified dates keep the presence rule. A raw table (no
 * processor writes it) keeps the presence rule.
 *
 * A processor's own date is, in this order: skipped (bootstrap day);
 * blocked (a required upstream date in its window is missing or partial) or
 * orphaned (blocked, yet holding rows); complete (published by backfill,
 * rows unchanged, by the code and config of now, upstream unchanged
 * since); outdated (rows unchanged, but built by another code fingerprint
 * or config fingerprint than the processor's now, or by a backfill that
 * recorded none); stale (complete but for an upstream date in its window
 * republished since, or a raw table's rows in its windows changed:
 * raw_inputs.h); missing (published, but holding no rows now); partial
 * (holds other rows than published: fewer or more); failed or check-failed
 * (the last attempt failed, as the checkpoint records it, and nothing is
 * published); missing (no rows); unverified (rows backfill did not publish).
 * A date holding exactly what was published is not partial for holding
 * fewer rows than its validation expected: the publish rule
 * (min_completeness) accepted those rows, and redoing it would give the
 * same. */
#ifndef BF_JUDGE_H
#define BF_JUDGE_H

#include <stdint.h>

#include "config/config.h"
#include "engine/graph.h"
#include "engine/plan.h"
#include "plugin/plugin_config.h"
#include "stores/store.h"

/* How an upstream date counts for a reader. */
enum upstream_state { UP_MISSING = 0, UP_PARTIAL, UP_UNVERIFIED, UP_COVERED, UP_WAIVED };

/* One date of one table. */
typedef struct day_facts {
    int64_t rows;             /* rows the table holds that date now */
    int status;               /* the checkpoint's last outcome, -1: no record */
    int64_t published_rows;   /* rows backfill last published, -1: never */
    int64_t published_seq;    /* when, as a publish sequence; 0: never */
    int64_t read_stamp;       /* what the published date read */
    const char *error;        /* the checkpoint's last error, or NULL */
    int64_t expected;         /* what its last validation expected, -1: unknown */
    const char *code;         /* what built the published rows (checkpoint.h), */
    const char *config;       /* or NULL: not recorded */
    uint64_t checksum;        /* raw tables: of the date's rows (raw_inputs.h) */
    const struct json_t *raw; /* the raw inputs the published date read, or NULL */
    int64_t read_seq;         /* a publish sequence taken before it read, 0: unknown */
    /* The raw inputs as the own checkpoint's scan read them (in place of
     * raw), or NULL. */
    const struct scanned_raw *raw_scanned;
    size_t nraw_scanned;
} day_facts;

/* One table over a day range. */
typedef struct table_facts {
    char *table;
    const plugin *writer; /* the processor writing it, NULL for a raw table */
    int bootstrap_days;   /* the writer's */
    int exists;
    bf_day first;
    size_t ndays;
    day_facts *days; /* indexed by day - first */
} table_facts;

/* Everything judged about one processor over one plan. */
typedef struct judgement {
    const bf_config *cfg;
    const plugin *p;
    table_facts own;
    table_facts *deps;             /* per p->deps[k] */
    date_list calendar;            /* calendar days from the earliest window start */
    table_facts cal;               /* the calendar table's rows, as a raw table */
    struct judge_state *state;     /* the checkpoints read, kept while it lives */
    const struct json_t *raw_days; /* p's checkpoint's per-day raw prints (raw_days.h), or NULL */
    struct raw_days_source *raw_days_src; /* else where to read them on demand, or NULL */
    char code[PLUGIN_CODE_LEN], config[PLUGIN_CONFIG_FP_LEN]; /* p's now */
} judgement;

/* The verdict on one date. */
typedef struct verdict {
    int state;              /* enum date_state */
    int64_t rows;           /* rows the date holds now */
    int64_t published_rows; /* -1 if backfill never published it */
    int64_t expected;       /* what the last validation expected, -1: unknown */
    int64_t stamp;          /* the upstream stamp a run now would record */
    int changed;            /* recorded complete, but its rows changed since */
    char why[256];          /* blocked, partial, failed, outdated or stale: why */
} verdict;

/* Gather the facts for p over pl's dates: its table, each dependency over
 * [first date - lookback, last date], the checkpoints of the processors
 * writing them (from g; may be NULL: every dependency is then raw). One
 * grouped query per table. Returns 0, or -1 with one line in err. */
int judge_open(judgement *jg, store *s, const bf_config *cfg, const graph *g, const plugin *p,
               const plan *pl, char *err, size_t errlen);
void judge_close(judgement *jg);

/* How dependency k counts on day: a missing or partial date a waiver
 * covers (config waivers) is UP_WAIVED, which counts as covered. */
int judge_upstream(const judgement *jg, size_t k, bf_day day);

/* The verdict on e (a date of the plan judge_open saw). */
void judge_date(const judgement *jg, const date_entry *e, verdict *v);

/* Judge every date of p in sel (the calendar's dates, p's bootstrap days
 * skipped), calling fn with each. Returns 0 or -1 with one line in err. */
typedef void (*judge_fn)(void *udata, const date_entry *e, const verdict *v);
int judge_range(store *s, const bf_config *cfg, const graph *g, const plugin *p,
                const date_selection *sel, judge_fn fn, void *udata, char *err, size_t errlen);

/* Facts shared by the judgements of one command (gaps judges every
 * processor): each table, and the calendar, is read once, with one grouped
 * query over [first date - lookback_days, last date], instead of once per
 * processor reading it. A judgement reaching back further than lookback_days
 * reads its table again. Judgements on several threads may share one
 * (judge_pool.h). NULL on OOM; free with judge_cache_free. */
typedef struct judge_cache judge_cache;
judge_cache *judge_cache_new(int lookback_days);
/* A cache of the raw tables only, for judgements made while processors
 * write their tables (a pipeline): no processor of the graph writes a raw
 * table, so its counts and fingerprints, read once, serve every processor
 * that reads it; every other table, and the calendar, is read each time.
 * Read when the first processor reading it is judged, they are never
 * newer than the rows a later processor reads: a raw row corrected in
 * between makes that processor's dates stale at the next judgement, never
 * wrongly complete. */
judge_cache *judge_cache_new_raw(int lookback_days);
void judge_cache_free(judge_cache *c);

/* judge_open, taking the counts from cache (NULL: from the store). */
int judge_open_cached(judgement *jg, store *s, const bf_config *cfg, const graph *g,
                      const plugin *p, const plan *pl, judge_cache *cache, char *err,
                      size_t errlen);

/* judge_range, taking its facts from cache (NULL: from the store). */
int judge_range_cached(store *s, const bf_config *cfg, const graph *g, const plugin *p,
                       const date_selection *sel, judge_cache *cache, judge_fn fn, void *udata,
                       char *err, size_t errlen);

/* Whether a table passes: complete (and unverified) dates meet min_coverage
 * of the expected ones, and none is partial, stale, orphaned or outdated. states are
 * counts per enum date_state. */
int judge_table_passes(const size_t states[STATE_COUNT], size_t expected, double min_coverage);

/* The upstream stamp of day: what a date computed now reads. */
int64_t judge_stamp(const judgement *jg, bf_day day);

/* The coverage arithmetic every gate shares. */
/* covered / expected, 1.0 when nothing is expected. */
double judge_coverage(size_t covered, size_t expected);
/* Whether covered/expected meets threshold, exact in integers so 0.95 of
 * 20 dates needs 19, not 18.999. */
int judge_meets(size_t covered, size_t expected, double threshold);

#endif
