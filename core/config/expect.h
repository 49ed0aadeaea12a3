/* expect.h - what `backfill watch` judges (expect = { KEY = {...}; }): per
 * table or group, a coverage floor over a range and a freshness date. */
#ifndef BF_EXPECT_H
#define BF_EXPECT_H

#include <libconfig.h>
#include <stddef.h>

#include "base/dates.h"

struct season;

typedef struct config_expect {
    char *key;           /* a processor, its output table, or a group */
    int line;            /* of the entry in the config file */
    double min_coverage; /* -1: not set (then preflight.min_coverage) */
    int has_through;     /* complete_through given */
    bf_day through;      /* every expected date up to it complete */
    int season;          /* range = "season": the season holding today */
    bf_day first, last;  /* range = "A..B" (when !season) */
    char *range_text;    /* as written */
} config_expect;

/* Read group (the root's "expect", may be NULL) of the config at path.
 * Relative dates resolve against today (date_today). On error -1 with one
 * line "PATH:LINE: expect.KEY...: what" in err and nothing allocated. */
int expect_read(const config_setting_t *group, const char *path, config_expect **out, int *n,
                char *err, size_t errlen);
void expect_free(config_expect *e, int n);

/* The season "season" means on day today: the one holding it, else the
 * latest one that started before it; NULL if none did. */
const struct season *expect_current_season(const struct season *seasons, int n, bf_day today);

#endif
