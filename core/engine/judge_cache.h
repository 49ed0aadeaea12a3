/* judge_cache.h - the judge's counts from the store (judge_cache.c), for
 * the judge and the jobs it judges (job.h): rows per date of a table, and
 * the calendar's days, read once per command when a judge_cache (judge.h)
 * is handed in. */
#ifndef BF_JUDGE_CACHE_H
#define BF_JUDGE_CACHE_H

#include "engine/judge.h"

/* t's day record for day, or NULL outside [t->first, t->first + ndays). */
day_facts *judge_day_at(const table_facts *t, bf_day day);

/* t's rows per date of column over its days (a raw table's also
 * fingerprinted), from c when c has read them over a wider window, else
 * with one grouped query (c NULL: never kept). Returns 0, or -1 with err. */
int judge_count_rows(store *s, judge_cache *c, table_facts *t, const char *column, char *err,
                     size_t errlen);

/* The calendar's days in [first, last] into out, from c when it has them.
 * Returns 0, or -1 with err. */
int judge_load_calendar(store *s, const bf_config *cfg, judge_cache *c, bf_day first, bf_day last,
                        date_list *out, char *err, size_t errlen);

#endif
