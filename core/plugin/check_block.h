/* check_block.h - the quality checks of a whole block of dates measured at
 * once: one grouped query per check over the block's staging area (its
 * first..last dates), kept per date, so that each date of the block is
 * then judged from its own figures without a query of its own. A `sql`
 * check, written for one date, is sent once per date of the block in one
 * statement (a UNION ALL of it as scalar subqueries) when it names its
 * date as ?1 only; otherwise it runs per date as for a date alone. */
#ifndef BF_CHECK_BLOCK_H
#define BF_CHECK_BLOCK_H

#include <stddef.h>

#include "plugin/check_measure.h"

typedef struct check_block {
    size_t ndates, nchecks;
    const char *const *dates; /* borrowed: the block's dates, oldest first */
    check_figures *figures;   /* nchecks x ndates, check-major; a date without
                                 rows stays 0 */
    unsigned char *measured;  /* per check: 1 = figures hold it for the block */
} check_block;

/* Measure every check of cs but the sql ones on table (the block's staging
 * area) over dates[0]..dates[n-1] of date_column into *out (to be freed
 * with check_block_free, also after a failure). A check whose query fails
 * is left unmeasured (the date then measures it alone). Returns the number
 * of requests made. */
int check_block_measure(const check_set *cs, store *s, const char *table, const char *date_column,
                        const char *const *dates, size_t n, check_block *out);

/* The figures of check i on date k, or NULL when that check was not
 * measured for the block. */
const check_figures *check_block_get(const check_block *b, size_t i, size_t k);

/* checks_date for dates[k] of block b (NULL: every check measured alone),
 * the figures b holds taken instead of a query. */
int checks_block_date(const check_set *cs, const check_block *b, size_t k, store *s,
                      const char *table, const char *date_column, const char *date,
                      int64_t expected, int64_t actual, json_t **measured, char *why, size_t whylen,
                      int *permanent);

void check_block_free(check_block *b);

#endif
