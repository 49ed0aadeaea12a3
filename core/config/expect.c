/* expect.c - the expect group of the config: shapes and dates checked
 * with FILE:LINE; which tables a key names is known once the processors
 * are loaded (watch.c). */
#include "config/expect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

const season *expect_current_season(const season *seasons, int n, bf_day today)
{
    const season *best = NULL;
    for (int i = 0; i < n; i++) {
        if (seasons[i].start <= today && today <= seasons[i].end)
            return &seasons[i];
        if (seasons[i].start <= today && (!best || seasons[i].start > best->start))
            best = &seasons[i];
    }
    return best;
}

static int read_range(config_expect *e, const config_setting_t *s, const char *path,
                      const char *key, char *err, size_t errlen)
{
    const char *v = config_setting_get_string(s);
    char a[64], why[160];
    if (!v || !*v)
        return config_fail(err, errlen, path, s, key, "expected \"season\" or \"A..B\"");
    if (!(e->range_text = strdup(v)))
        return config_fail(err, errlen, path, s, key, "out of memory");
    if (strcmp(v, "season") == 0) {
        e->season = 1;
        return 0;
    }
    const char *dots = strstr(v, "..");
    if (!dots)
        return config_fail(err, errlen, path, s, key, "'%s': expected \"season\" or \"A..B\"", v);
    snprintf(a, sizeof a, "%.*s", (int)(dots - v) < 63 ? (int)(dots - v) : 63, v);
    if (date_parse_user(a, &e->first, why, sizeof why) != 0 ||
        date_parse_user(dots + 2, &e->last, why, sizeof why) != 0)
        return config_fail(err, errlen, path, s, key, "'%s': %s", v, why);
    if (e->first > e->last)
        return config_fail(err, errlen, path, s, key, "'%s': the range is reversed", v);
    return 0;
}

static int read_one(const config_setting_t *g, const char *path, config_expect *e, char *err,
                    size_t errlen)
{
    char key[160], k[200], why[160];
    snprintf(key, sizeof key, "expect.%s", config_setting_name(g));
    e->line = (int)config_setting_source_line(g);
    e->min_coverage = -1;
    if (!(e->key = strdup(config_setting_name(g))))
        return config_fail(err, errlen, path, g, key, "out of memory");
    if (!config_setting_is_group(g))
        return config_fail(err, errlen, path, g, key,
                           "expected { min_coverage; complete_through; range; }");
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *s = config_setting_get_elem(g, i);
        const char *name = config_setting_name(s);
        snprintf(k, sizeof k, "%s.%s", key, name);
        int t = config_setting_type(s);
        if (strcmp(name, "min_coverage") == 0) {
            if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT)
                return config_fail(err, errlen, path, s, k, "expected a number between 0 and 1");
            e->min_coverage =
                t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : config_setting_get_int(s);
            if (e->min_coverage < 0 || e->min_coverage > 1)
                return config_fail(err, errlen, path, s, k, "%g is out of range 0-1",
                                   e->min_coverage);
        } else if (strcmp(name, "complete_through") == 0) {
            const char *v = config_setting_get_string(s);
            if (!v || date_parse_user(v, &e->through, why, sizeof why) != 0)
                return config_fail(err, errlen, path, s, k, "%s", v ? why : "expected a date");
            e->has_through = 1;
        } else if (strcmp(name, "range") == 0) {
            if (read_range(e, s, path, k, err, errlen) != 0)
                return -1;
        } else {
            return config_fail(err, errlen, path, s, name, "unknown key in %s", key);
        }
    }
    if (!e->range_text)
        return config_fail(err, errlen, path, g, key, "range is missing (\"season\" or \"A..B\")");
    return 0;
}

int expect_read(const config_setting_t *group, const char *path, config_expect **out, int *n,
                char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (!group)
        return 0;
    if (!config_setting_is_group(group))
        return config_fail(err, errlen, path, group, "expect",
                           "expected { table_or_group = { ... }; }");
    int len = config_setting_length(group);
    config_expect *e = calloc(len ? len : 1, sizeof *e);
    if (!e)
        return config_fail(err, errlen, path, group, "expect", "out of memory");
    for (int i = 0; i < len; i++) {
        if (read_one(config_setting_get_elem(group, i), path, &e[i], err, errlen) != 0) {
            expect_free(e, i + 1);
            return -1;
        }
    }
    *out = e;
    *n = len;
    return 0;
}

void expect_free(config_expect *e, int n)
{
    for (int i = 0; e && i < n; i++) {
        free(e[i].key);
        free(e[i].range_text);
    }
    free(e);
}
