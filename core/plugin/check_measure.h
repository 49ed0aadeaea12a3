/* check_measure.h - quality checks measured on a table with SQL the core
 * builds itself: one grouped query per check over a date range (a single
 * date in a run), identifiers quoted, values bound. A `sql` check runs its
 * own query, once per date; a `sql_by_date` check its own, once per range.
 * Every statement goes through the plugin's entry point (store_query) under
 * the connection's default guard, STORE_GUARD_READ: a check writes
 * nothing. */
#ifndef BF_CHECK_MEASURE_H
#define BF_CHECK_MEASURE_H

#include <jansson.h>
#include <stdint.h>

#include "plugin/checks.h"
#include "stores/store.h"

/* What one check found on one date (or summed over a range). */
typedef struct check_figures {
    int64_t rows;     /* rows checked (not_null, unique, range: those the filter
                         keeps); row_count: rows the date holds */
    int64_t failing;  /* not_null: NULL; unique: rows repeating a key; range:
                         outside [min, max]; sql, sql_by_date: the rows
                         it counted */
    int64_t expected; /* row_count: what validate_date expected */
} check_figures;

/* The measured value: a NULL share (0-1), a ratio to expected, or a count
 * of failing rows. */
double check_value(const bf_check *c, const check_figures *f);
int check_passes(const bf_check *c, const check_figures *f);

/* The measurement and its limit into buf, e.g. "36.1 % NULL, limit 5 %";
 * with counts, "36.1 % NULL (50 of 139 rows), limit 5 %". */
const char *check_describe(const bf_check *c, const check_figures *f, int counts, char *buf,
                           size_t size);

/* Called once per date of the range holding rows, in no set order. */
typedef void (*check_date_fn)(void *udata, const char *date, const check_figures *f);

/* Measure c (any kind but sql; row_count counts rows only, sql_by_date
 * failing rows only) on table over dates [first, last] of date_column: one
 * grouped query. Returns BF_OK or the store's error (store_error(s) says
 * which). */
int check_measure_range(store *s, const bf_check *c, const char *table, const char *date_column,
                        const char *first, const char *last, check_date_fn fn, void *udata);

/* Run sql check c on table for date; *failing is what it counted. */
int check_measure_sql(store *s, const bf_check *c, const char *table, const char *date,
                      int64_t *failing);

enum { CHECKS_PASSED = 0, CHECKS_FAILED = 1, CHECKS_ERROR = 2 };

/* Every check of cs on date in table (a run's staging area), with the
 * date's expected and actual rows from validation. Returns CHECKS_PASSED,
 * CHECKS_FAILED (why names the first failing check and what it measured)
 * or CHECKS_ERROR (a statement failed: why says which; *permanent if
 * running it again cannot help). *measured receives a new JSON object,
 * check name -> measured value, owned by the caller. */
int checks_date(const check_set *cs, store *s, const char *table, const char *date_column,
                const char *date, int64_t expected, int64_t actual, json_t **measured, char *why,
                size_t whylen, int *permanent);

/* checks_date, with check i's figures taken from pre[i] where pre and
 * pre[i] are not NULL (measured already, for a whole block: check_block.h)
 * instead of a query. */
int checks_date_with(const check_set *cs, const check_figures *const *pre, store *s,
                     const char *table, const char *date_column, const char *date, int64_t expected,
                     int64_t actual, json_t **measured, char *why, size_t whylen, int *permanent);

/* Run every check's statement on table over no date, so that an unknown
 * column, a bad filter or a bad sql is refused before any date runs.
 * Returns 0, or -1 with one line in err naming processor, check and fault. */
int checks_probe(const check_set *cs, store *s, const char *processor, const char *table,
                 const char *date_column, char *err, size_t errlen);

#endif
