/* signoff_quality.h - the range quality checks in a sign-off: measured
 * when it is signed (the facts' "quality" array) and measured again by
 * `signoff --check`, group by group. */
#ifndef BF_SIGNOFF_QUALITY_H
#define BF_SIGNOFF_QUALITY_H

#include <jansson.h>

#include "base/dates.h"
#include "config/config.h"
#include "plugin/loader.h"
#include "stores/store.h"

/* p's range checks over days (the dates judged for its table, ascending,
 * bootstrap days left out) on s. When p has any, {processor, table,
 * checks} is appended to quality. Returns how many checks fail, or -1 with
 * one line in err. */
int signoff_quality_add(json_t *quality, const bf_config *cfg, const plugin *p, store *s,
                        const date_list *days, char *err, size_t errlen);

/* What changed between the signed entry of p (an element of the facts'
 * "quality", or NULL) and p's range checks measured now over days: one
 * line per group whose verdict or figures differ. A group signed passed
 * that fails now, or a signed check no longer declared, is a loss.
 * Adds to *lost and *changed; returns 0, or -1 with one line in err. */
int signoff_quality_recheck(const json_t *signed_entry, const bf_config *cfg, const plugin *p,
                            store *s, const date_list *days, size_t *lost, size_t *changed,
                            char *err, size_t errlen);

#endif
