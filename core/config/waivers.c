/* waivers.c - the waivers list of the config: shapes, dates and expiry
 * checked with FILE:LINE, one line per fault. */
#include "config/waivers.h"
#include "config/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A required, non-empty string member, strdup'd into *out. */
static int text(const config_setting_t *w, const char *name, const char *path, const char *key,
                char **out, char *err, size_t errlen)
{
    const config_setting_t *s = config_setting_get_member(w, name);
    char k[96];
    snprintf(k, sizeof k, "%s.%s", key, name);
    if (!s)
        return config_fail(err, errlen, path, w, k,
                           "missing (a waiver needs table, dates, reason, "
                           "approved_by and expires)");
    const char *v = config_setting_get_string(s);
    if (!v || !*v)
        return config_fail(err, errlen, path, s, k, "expected a non-empty string");
    *out = strdup(v);
    return *out ? 0 : config_fail(err, errlen, path, s, k, "out of memory");
}

/* "A..B" or "A", each YYYY-MM-DD or a relative word. */
static int parse_dates(config_waiver *cw, const config_setting_t *w, const char *path,
                       const char *key, char *err, size_t errlen)
{
    const config_setting_t *s = config_setting_get_member(w, "dates");
    char k[96], why[160], a[64] = "", *dots = strstr(cw->dates, "..");
    snprintf(k, sizeof k, "%s.dates", key);
    snprintf(a, sizeof a, "%.*s", dots ? (int)(dots - cw->dates) : 63, cw->dates);
    const char *b = dots ? dots + 2 : a;
    if (date_parse_user(a, &cw->first, why, sizeof why) != 0)
        return config_fail(err, errlen, path, s, k, "invalid date '%s': %s (expected \"A..B\")", a,
                           why);
    if (date_parse_user(b, &cw->last, why, sizeof why) != 0)
        return config_fail(err, errlen, path, s, k, "invalid date '%s': %s (expected \"A..B\")", b,
                           why);
    if (cw->first > cw->last)
        return config_fail(err, errlen, path, s, k, "%s is after %s", a, b);
    return 0;
}

static int read_one(const config_setting_t *w, int i, const char *path, config_waiver *cw,
                    char *err, size_t errlen)
{
    static const char *const keys[] = {"table", "dates", "reason", "approved_by", "expires"};
    char key[32], why[160], *expires = NULL;
    snprintf(key, sizeof key, "waivers[%d]", i);
    cw->line = (int)config_setting_source_line(w);
    if (!config_setting_is_group(w))
        return config_fail(err, errlen, path, w, key,
                           "expected { table; dates = \"A..B\"; reason; approved_by; expires; }");
    for (int m = 0; m < config_setting_length(w); m++) {
        const config_setting_t *s = config_setting_get_elem(w, m);
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            known |= strcmp(keys[k], config_setting_name(s)) == 0;
        if (!known)
            return config_fail(err, errlen, path, s, config_setting_name(s), "unknown key in %s",
                               key);
    }
    if (text(w, "table", path, key, &cw->table, err, errlen) != 0 ||
        text(w, "dates", path, key, &cw->dates, err, errlen) != 0 ||
        parse_dates(cw, w, path, key, err, errlen) != 0 ||
        text(w, "reason", path, key, &cw->reason, err, errlen) != 0 ||
        text(w, "approved_by", path, key, &cw->approved_by, err, errlen) != 0 ||
        text(w, "expires", path, key, &expires, err, errlen) != 0)
        return -1;
    const config_setting_t *es = config_setting_get_member(w, "expires");
    bf_day today;
    int rc = date_parse_user(expires, &cw->expires, why, sizeof why);
    if (rc != 0)
        config_fail(err, errlen, path, es, key, "expires: invalid date '%s': %s", expires, why);
    else if ((rc = date_today(&today, NULL, why, sizeof why)) != 0)
        config_fail(err, errlen, path, es, key, "%s", why);
    else if (cw->expires < today)
        rc = config_fail(
            err, errlen, path, w, key,
            "expired on %s: the waiver of %s %s (approved by %s) no longer holds; renew its "
            "expires or remove it",
            expires, cw->table, cw->dates, cw->approved_by);
    free(expires);
    return rc;
}

int waivers_read(const config_setting_t *list, const char *path, config_waiver **out, int *n,
                 char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (!list)
        return 0;
    if (!config_setting_is_list(list))
        return config_fail(err, errlen, path, list, "waivers", "expected a list ( { ... }, ... )");
    int len = config_setting_length(list);
    config_waiver *w = calloc(len ? len : 1, sizeof *w);
    if (!w)
        return config_fail(err, errlen, path, list, "waivers", "out of memory");
    for (int i = 0; i < len; i++) {
        if (read_one(config_setting_get_elem(list, i), i, path, &w[i], err, errlen) != 0) {
            waivers_free(w, i + 1);
            return -1;
        }
    }
    *out = w;
    *n = len;
    return 0;
}

void waivers_free(config_waiver *w, int n)
{
    for (int i = 0; w && i < n; i++) {
        free(w[i].table);
        free(w[i].dates);
        free(w[i].reason);
        free(w[i].approved_by);
    }
    free(w);
}

const config_waiver *waivers_find(const config_waiver *w, int n, const char *table, bf_day day)
{
    for (int i = 0; i < n; i++)
        if (day >= w[i].first && day <= w[i].last && strcasecmp(w[i].table, table) == 0)
            return &w[i];
    return NULL;
}
