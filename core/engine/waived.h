/* waived.h - the waivers a run relies on: which config waivers made an
 * upstream date count as covered, or kept one of its own dates from
 * running, recorded in its checkpoint and event log. */
#ifndef BF_WAIVED_H
#define BF_WAIVED_H

#include <jansson.h>

#include "engine/job.h"

/* After j's pre-flight: per waiver relied on, {table, dates, reason,
 * approved_by, expires, line, dates_waived}; a new array (the caller owns
 * it), empty when none, NULL out of memory. */
json_t *waived_relied_on(const job *j);

#endif
