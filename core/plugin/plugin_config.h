/* plugin_config.h - a processor's own config section (processors.<name>)
 * checked against the keys its descriptor declares, and read through them.
 */
#ifndef BF_PLUGIN_CONFIG_H
#define BF_PLUGIN_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "plugin/loader.h"

typedef union plugin_value {
    int64_t i;
    double d;
    const char *s; /* owned by the config or the plugin */
} plugin_value;

/* Check p's declarations (names, types, defaults within bounds) and its
 * section: every key declared, of its type, within its bounds; and its
 * quality checks, declared and in the reserved sub-group `checks`
 * (checks_load). Returns 0, or -1 with one line in err naming FILE:LINE
 * and the key (or the plugin file and the check). */
int plugin_config_check(const bf_config *cfg, const plugin *p, char *err, size_t errlen);

/* Every processors.<name> section must name a processor found in
 * plugin_dir: a misspelt section must not leave a processor on defaults.
 * Returns 0, or -1 with FILE:LINE in err. */
int plugin_config_sections(const bf_config *cfg, char *err, size_t errlen);

/* The value of key as type: the section's, else the declared default. *v
 * holds the caller's default on entry, used only by a processor that
 * declares no keys at all. Returns 0, or -1 with one line in why when key
 * is not declared or is declared with another type. */
int plugin_config_get(const bf_config *cfg, const plugin *p, const char *key, int type,
                      plugin_value *v, char *why, size_t whylen);

/* The coverage threshold of p's dependency k: preflight.thresholds in the
 * config, else the dependency's own, else preflight.min_coverage. */
double plugin_config_threshold(const bf_config *cfg, const plugin *p, size_t k);

/* What p's config section makes of its rows, recorded with every date it
 * publishes: "config HEX", a hash of the effective value (the section's,
 * else the declared default) of every declared key but the run-only ones.
 * Thresholds and quality checks change no row and are left out. The
 * section must have passed plugin_config_check. */
#define PLUGIN_CONFIG_FP_LEN 48
void plugin_config_fingerprint(const bf_config *cfg, const plugin *p, char *out, size_t outlen);

/* The declarations, one line each, for `backfill list -v`. */
void plugin_config_print(const plugin *p, FILE *out);

#endif
