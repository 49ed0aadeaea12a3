/* checks.h - a processor's quality checks: the ones its descriptor
 * declares, with the thresholds its config section overrides and the checks
 * it adds (processors.<name>.checks), all validated before any date runs.
 * check_measure.h evaluates them. */
#ifndef BF_CHECKS_H
#define BF_CHECKS_H

#include <stddef.h>
#include <stdio.h>

#include "backfill/plugin.h"
#include "config/config.h"
#include "plugin/loader.h"

/* The config key of processors.<name> reserved for checks. */
#define CHECKS_CONFIG_KEY "checks"

/* The effective checks, declared order first, then those the config adds. */
typedef struct check_set {
    bf_check *checks; /* owned array; its strings belong to the plugin or the
                         config, which outlive the set */
    size_t n;
} check_set;

/* Check the checks p's descriptor declares, as the loader does before
 * anything else runs. Returns 0, or -1 with one line in err naming p's
 * file, the check and the fault. */
int checks_declared(const plugin *p, char *err, size_t errlen);

/* Build p's effective checks into *out. Refuses (-1, one line in err) a
 * declaration with an unknown kind, a name that is not plain or used twice,
 * a column that is not a plain name, a field its kind does not take, or a
 * threshold out of range (naming p's file); and a config entry that is not
 * a group, sets an unknown key or a declared check's non-threshold field,
 * or adds an invalid check (naming FILE:LINE). Columns are checked against
 * the table by checks_probe, once it exists. *out is empty on failure. */
int checks_load(const bf_config *cfg, const plugin *p, check_set *out, char *err, size_t errlen);
void checks_free(check_set *cs);

/* "not_null", "unique", "range", "row_count", "sql"; NULL if unknown. */
const char *checks_kind_name(int kind);

/* What c checks, e.g. "not_null(usage_rate | minutes > 0)", into buf. */
const char *checks_label(const bf_check *c, char *buf, size_t size);

/* Its threshold as a limit, e.g. "5 %", "[0, 60]", "0.9-1.1 of expected",
 * "0" (failing rows), into buf. */
const char *checks_limit(const bf_check *c, char *buf, size_t size);

/* One line per check, for `backfill list -v`. */
void checks_print(const check_set *cs, FILE *out);

#endif
