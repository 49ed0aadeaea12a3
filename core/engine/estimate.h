/* estimate.h - how long the dates to run should take, from the per-date
 * durations the processor's checkpoint records (each date's latest run). */
#ifndef BF_ESTIMATE_H
#define BF_ESTIMATE_H

#include <stddef.h>

#include "state/checkpoint.h"

typedef struct estimate {
    size_t history;           /* complete dates with a recorded duration; 0: no history */
    double median_ms, p90_ms; /* per date */
    int workers;
    double median_s, p90_s; /* the dates to run: todo x per-date / workers */
} estimate;

/* From cp's complete dates (may be NULL: no history), for todo dates on
 * workers workers. Reads only; out of memory is no history. */
void estimate_from(const checkpoint *cp, size_t todo, int workers, estimate *e);

/* "about 0:02:10 (p90 0:03:40): median 310 ms, p90 520 ms per date over 412
 * recorded dates, 4 workers", or "no history". */
void estimate_text(const estimate *e, char *out, size_t len);

#endif
