/* waivers.h - recorded exceptions (waivers = ( {...}, ... )): dates of a
 * table that are known to be missing and accepted, with why, who approved
 * and until when. A waived upstream date counts as covered for pre-flight
 * and blocking; a waived date of a processor's own table is judged
 * "waived" instead of missing, partial, failed or blocked, and is not run. */
#ifndef BF_WAIVERS_H
#define BF_WAIVERS_H

#include <libconfig.h>
#include <stddef.h>

#include "base/dates.h"

typedef struct config_waiver {
    char *table;        /* as written; compared case-insensitively */
    bf_day first, last; /* dates = "A..B" (or one date), relative words allowed */
    char *dates;        /* the text, as written */
    char *reason, *approved_by;
    bf_day expires; /* the waiver holds through this day */
    int line;       /* of the waiver in the config file */
} config_waiver;

/* Read list (the root's "waivers", may be NULL) of the config at path into
 * *out / *n. Every key is required and checked; a waiver whose expires is
 * before today is refused as expired. On error returns -1 with one line
 * "PATH:LINE: waivers[i]...: what" in err and nothing allocated. */
int waivers_read(const config_setting_t *list, const char *path, config_waiver **out, int *n,
                 char *err, size_t errlen);
void waivers_free(config_waiver *w, int n);

/* The waiver covering table on day, or NULL. */
const config_waiver *waivers_find(const config_waiver *w, int n, const char *table, bf_day day);

#endif
