/* calendar.h - the dates that should hold data, read from the store. */
#ifndef BF_CALENDAR_H
#define BF_CALENDAR_H

#include <stddef.h>

#include "config/config.h"
#include "base/dates.h"
#include "stores/store.h"

/* Distinct dates of calendar.table.date_column within [first, last],
 * ascending, appended to out. A missing calendar table, or a value anywhere
 * in the column that is not a YYYY-MM-DD date (NULL included), is an
 * error: -1 with one line in err naming the table, column and value. A
 * calendar whose dates all lie outside the range is no dates, not an
 * error. */
int calendar_load(store *s, const bf_config *cfg, bf_day first, bf_day last, date_list *out,
                  char *err, size_t errlen);

#endif
