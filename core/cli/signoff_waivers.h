/* signoff_waivers.h - the waivers a sign-off lists: only those relied on
 * over its range, by the judgement now or by a selected processor's last
 * run, never merely those whose dates overlap it. */
#ifndef BF_SIGNOFF_WAIVERS_H
#define BF_SIGNOFF_WAIVERS_H

#include <jansson.h>

#include "engine/selection.h"

/* Per config waiver relied on for v's selected processors over dates:
 * {table, dates, reason, approved_by, expires, config, line, dates_waived
 * (dates in the range the judgement counts waived: of a selected table, or
 * of an input of one), relied_on_by (the processors whose judgement relies
 * on it), runs (the selected processors whose last run recorded relying on
 * it, when its dates meet the range)}. A new array (empty when none), or
 * NULL with one line in err. */
json_t *signoff_waivers(const selection *v, const date_args *dates, const bf_config *cfg, char *err,
                        size_t errlen);

#endif
