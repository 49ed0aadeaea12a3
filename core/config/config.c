/* config.c - load conf/backfill.conf: every key checked for type and range,
 * unknown keys refused, every error as FILE:LINE: KEY: what is wrong. */
#include "config/config.h"
#include "config/config_fail.h"
#include "base/names.h"

#include "base/files.h"
#include "base/secret.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plugin_dirs.h"

typedef struct reader {
    bf_config *cfg;
    char *err;
    size_t errlen;
} reader;

static int fail(reader *r, const config_setting_t *s, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(reader *r, const config_setting_t *s, const char *key, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return config_fail(r->err, r->errlen, r->cfg->path, s, key, "%s", msg);
}

static int get_string(reader *r, const config_setting_t *parent, const char *name, const char *key,
                      const char *dflt, char **out)
{
    const config_setting_t *s = config_setting_get_member(parent, name);
    const char *v = dflt;
    if (s) {
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return fail(r, s, key, "expected a string");
        v = config_setting_get_string(s);
        if (!*v)
            return fail(r, s, key, "must not be empty");
    } else if (!dflt) {
        return fail(r, parent, key, "missing");
    }
    *out = strdup(v);
    return *out ? 0 : fail(r, s, key, "out of memory");
}

static int get_int(reader *r, const config_setting_t *parent, const char *name, const char *key,
                   int lo, int hi, int *out)
{
    const config_setting_t *s = config_setting_get_member(parent, name);
    if (!s)
        return 0; /* keep the default */
    if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64)
        return fail(r, s, key, "expected an integer");
    long long v = config_setting_get_int64(s);
    if (v < lo || v > hi)
        return fail(r, s, key, "%lld is out of range %d-%d", v, lo, hi);
    *out = (int)v;
    return 0;
}

static int get_fraction(reader *r, const config_setting_t *parent, const char *name,
                        const char *key, double *out)
{
    const config_setting_t *s = config_setting_get_member(parent, name);
    if (!s)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT)
        return fail(r, s, key, "expected a number between 0 and 1");
    double v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : config_setting_get_int(s);
    if (v < 0 || v > 1)
        return fail(r, s, key, "%g is out of range 0-1", v);
    *out = v;
    return 0;
}

static int get_date(reader *r, const config_setting_t *parent, const char *name, const char *key,
                    bf_day *out)
{
    char *text = NULL, why[64];
    if (get_string(r, parent, name, key, NULL, &text) != 0)
        return -1;
    int rc = date_parse(text, out, why, sizeof why);
    if (rc != 0)
        fail(r, config_setting_get_member(parent, name), key, "invalid date '%s': %s", text, why);
    free(text);
    return rc;
}

/* Refuse members not in allowed: a misspelt key must not silently fall
 * back to a default (a misspelt min_coverage would disable the gate). */
static int only_keys(reader *r, const config_setting_t *group, const char *where,
                     const char *const *allowed)
{
    for (int i = 0; i < config_setting_length(group); i++) {
        const config_setting_t *s = config_setting_get_elem(group, i);
        const char *name = config_setting_name(s);
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, name) == 0;
        if (!known)
            return fail(r, s, name, "unknown key%s%s", where ? " in " : "", where ? where : "");
    }
    return 0;
}

static const config_setting_t *group(reader *r, const char *name, int required)
{
    config_setting_t *root = config_root_setting(&r->cfg->lc);
    config_setting_t *s = config_setting_get_member(root, name);
    if (!s) {
        if (required)
            fail(r, root, name, "missing");
        return NULL;
    }
    if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
        fail(r, s, name, "expected a group { ... }");
        return NULL;
    }
    return s;
}

static int read_identifier(reader *r, const config_setting_t *parent, const char *name,
                           const char *key, char **out)
{
    if (get_string(r, parent, name, key, NULL, out) != 0)
        return -1;
    if (!name_is_identifier(*out))
        return fail(r, config_setting_get_member(parent, name), key,
                    "'%s' is not a plain table or column name", *out);
    return 0;
}

/* preflight.thresholds = { PROCESSOR = { TABLE = 0.9; ... }; ... }: a
 * dependency's coverage threshold, overridden without recompiling. Names
 * are checked against the processors when one is loaded. */
static int read_thresholds(reader *r, const config_setting_t *pre)
{
    bf_config *cfg = r->cfg;
    const config_setting_t *t = config_setting_get_member(pre, "thresholds");
    if (!t)
        return 0;
    if (!config_setting_is_group(t))
        return fail(r, t, "preflight.thresholds", "expected { processor = { table = 0.9; }; }");
    for (int i = 0; i < config_setting_length(t); i++) {
        const config_setting_t *proc = config_setting_get_elem(t, i);
        char key[256];
        snprintf(key, sizeof key, "preflight.thresholds.%s", config_setting_name(proc));
        if (!config_setting_is_group(proc))
            return fail(r, proc, key, "expected { table = 0.9; ... }");
        for (int k = 0; k < config_setting_length(proc); k++) {
            const config_setting_t *dep = config_setting_get_elem(proc, k);
            char dkey[512];
            double v;
            snprintf(dkey, sizeof dkey, "%s.%s", key, config_setting_name(dep));
            if (get_fraction(r, proc, config_setting_name(dep), dkey, &v) != 0)
                return -1;
        }
    }
    cfg->thresholds = t;
    return 0;
}

static int read_seasons(reader *r)
{
    bf_config *cfg = r->cfg;
    config_setting_t *list = config_lookup(&cfg->lc, "seasons");
    if (!list)
        return 0;
    if (!config_setting_is_aggregate(list) || config_setting_is_group(list))
        return fail(r, list, "seasons", "expected a list ( { start = ...; end = ...; }, ... )");
    int n = config_setting_length(list);
    cfg->seasons = calloc(n ? n : 1, sizeof *cfg->seasons);
    if (!cfg->seasons)
        return fail(r, list, "seasons", "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, i);
        char key[64];
        snprintf(key, sizeof key, "seasons[%d]", i);
        if (!config_setting_is_group(s))
            return fail(r, s, key, "expected { start = \"YYYY-MM-DD\"; end = \"YYYY-MM-DD\"; }");
        static const char *const keys[] = {"start", "end", NULL};
        if (only_keys(r, s, key, keys) != 0)
            return -1;
        season *se = &cfg->seasons[i];
        char skey[80], ekey[80];
        snprintf(skey, sizeof skey, "%s.start", key);
        snprintf(ekey, sizeof ekey, "%s.end", key);
        if (get_date(r, s, "start", skey, &se->start) != 0 ||
            get_date(r, s, "end", ekey, &se->end) != 0)
            return -1;
        if (se->start > se->end)
            return fail(r, s, key, "start is after end");
        cfg->nseasons++;
    }
    return 0;
}

/* groups = { NAME = [ "processor", ... ]; ... }: shapes only here; whether
 * each member is a processor is known once plugin_dir is loaded. */
static int read_groups(reader *r)
{
    bf_config *cfg = r->cfg;
    const config_setting_t *groups = group(r, "groups", 0);
    if (!groups)
        return r->err[0] ? -1 : 0;
    int n = config_setting_length(groups);
    cfg->groups = calloc(n ? n : 1, sizeof *cfg->groups);
    if (!cfg->groups)
        return fail(r, groups, "groups", "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(groups, i);
        char key[160];
        snprintf(key, sizeof key, "groups.%s", config_setting_name(s));
        if (!config_setting_is_array(s) && !config_setting_is_list(s))
            return fail(r, s, key, "expected a list of processor names [ \"a\", \"b\" ]");
        int m = config_setting_length(s);
        if (m == 0)
            return fail(r, s, key, "an empty group selects nothing");
        config_group *g = &cfg->groups[cfg->ngroups++];
        g->line = (int)config_setting_source_line(s);
        g->name = strdup(config_setting_name(s));
        g->members = calloc(m, sizeof *g->members);
        g->member_lines = calloc(m, sizeof *g->member_lines);
        if (!g->name || !g->members || !g->member_lines)
            return fail(r, s, key, "out of memory");
        for (int k = 0; k < m; k++) {
            const config_setting_t *e = config_setting_get_elem(s, k);
            const char *v = config_setting_get_string(e);
            if (!v || !*v)
                return fail(r, e, key, "expected processor names as strings");
            g->member_lines[k] = (int)config_setting_source_line(e);
            if (!g->member_lines[k])
                g->member_lines[k] = g->line;
            g->members[g->nmembers++] = strdup(v);
            if (!g->members[k])
                return fail(r, e, key, "out of memory");
        }
    }
    return 0;
}

/* A file named for a secret or a header must not be a FIFO, a directory,
 * a device: refused here, before anything runs (secret.h). */
static int check_secret(reader *r, const config_setting_t *s, const char *key, const char *path)
{
    char why[512];
    return secret_check(path, why, sizeof why) == 0 ? 0 : fail(r, s, key, "%s", why);
}

/* notify = { webhook_url; on = [events]; timeout_ms; headers; token_file;
 * content_type }: shapes and names here; notify.c sends. */
static int read_notify(reader *r)
{
    notify_config *n = &r->cfg->notify;
    const config_setting_t *s = group(r, "notify", 0), *e;
    static const char *const keys[] = {"webhook_url", "on",           "timeout_ms", "headers",
                                       "token_file",  "content_type", NULL};
    static const char *const events[] = {"failure", "preflight_refused", "complete",
                                         "stale",   "waiting",           "watch"};
    char *token_file = NULL;
    if (!s)
        return r->err[0] ? -1 : 0;
    n->events = NOTIFY_FAILURE | NOTIFY_PREFLIGHT_REFUSED | NOTIFY_WATCH;
    n->timeout_ms = 3000;
    if (only_keys(r, s, "notify", keys) != 0 ||
        get_string(r, s, "webhook_url", "notify.webhook_url", NULL, &n->webhook_url) != 0 ||
        get_string(r, s, "content_type", "notify.content_type", "application/json",
                   &n->content_type) != 0 ||
        get_int(r, s, "timeout_ms", "notify.timeout_ms", 1, 600000, &n->timeout_ms) != 0)
        return -1;
    if ((e = config_setting_get_member(s, "on")) != NULL) {
        if (!config_setting_is_array(e) && !config_setting_is_list(e))
            return fail(r, e, "notify.on", "expected a list of events [ \"failure\", ... ]");
        n->events = 0;
        for (int i = 0; i < config_setting_length(e); i++) {
            const char *v = config_setting_get_string_elem(e, i);
            unsigned bit = 0;
            for (unsigned k = 0; v && k < sizeof events / sizeof events[0] && !bit; k++)
                bit = strcmp(v, events[k]) == 0 ? 1u << k : 0;
            if (!bit)
                return fail(r, e, "notify.on",
                            "unknown event '%s' (known: failure, "
                            "preflight_refused, complete, stale, waiting, watch)",
                            v ? v : "(not a string)");
            n->events |= bit;
        }
    }
    if ((e = config_setting_get_member(s, "headers")) != NULL) {
        int m = config_setting_length(e);
        if (!config_setting_is_array(e) && !config_setting_is_list(e))
            return fail(r, e, "notify.headers", "expected a list [ \"Name: value\", ... ]");
        n->headers = calloc(m ? m : 1, sizeof *n->headers);
        if (!n->headers)
            return fail(r, e, "notify.headers", "out of memory");
        for (int i = 0; i < m; i++) {
            const char *v = config_setting_get_string_elem(e, i);
            if (!v || !strchr(v, ':') || *v == ':' || strchr(v, '\n') || strchr(v, '\r'))
                return fail(r, e, "notify.headers", "expected \"Name: value\" strings");
            if (!(n->headers[n->nheaders++] = strdup(v)))
                return fail(r, e, "notify.headers", "out of memory");
            if (strstr(v, "@file:") &&
                check_secret(r, e, "notify.headers", strstr(v, "@file:") + 6))
                return -1;
        }
    }
    if (config_setting_get_member(s, "token_file")) {
        if (get_string(r, s, "token_file", "notify.token_file", NULL, &token_file) != 0)
            return -1;
        n->token_file = name_resolve_path(r->cfg->dir, token_file);
        free(token_file);
        if (!n->token_file)
            return fail(r, s, "notify.token_file", "out of memory");
        return check_secret(r, config_setting_get_member(s, "token_file"), "notify.token_file",
                            n->token_file);
    }
    return 0;
}

static int read_all(reader *r)
{
    bf_config *cfg = r->cfg;
    config_setting_t *root = config_root_setting(&cfg->lc);
    static const char *const top[] = {
        "store", "plugin_dir", "state_dir", "calendar", "seasons", "bootstrap_days", "preflight",
        "run",   "processors", "groups",    "notify",   "waivers", "expect",         NULL};
    if (only_keys(r, root, NULL, top) != 0)
        return -1;

    const config_setting_t *section = group(r, "store", 1);
    if (!section)
        return -1;
    cfg->store = (config_setting_t *)section;
    /* The driver's own keys are the driver's business. */
    if (get_string(r, section, "driver", "store.driver", NULL, &cfg->store_driver) != 0)
        return -1;

    char *state_dir = NULL;
    if (plugin_dirs_read(cfg, config_setting_get_member(root, "plugin_dir"), r->err, r->errlen) !=
            0 ||
        get_string(r, root, "state_dir", "state_dir", "var/state", &state_dir) != 0)
        return -1;
    cfg->state_dir = name_resolve_path(cfg->dir, state_dir);
    free(state_dir);

    const config_setting_t *cal = group(r, "calendar", 1);
    static const char *const cal_keys[] = {"table", "date_column", NULL};
    if (!cal || only_keys(r, cal, "calendar", cal_keys) != 0 ||
        read_identifier(r, cal, "table", "calendar.table", &cfg->calendar_table) != 0 ||
        read_identifier(r, cal, "date_column", "calendar.date_column", &cfg->calendar_column) != 0)
        return -1;

    if (read_seasons(r) != 0 ||
        get_int(r, root, "bootstrap_days", "bootstrap_days", 0, 366, &cfg->bootstrap_days) != 0)
        return -1;

    const config_setting_t *pre = group(r, "preflight", 0);
    static const char *const pre_keys[] = {"min_coverage", "thresholds", NULL};
    if (r->err[0] || (pre && (only_keys(r, pre, "preflight", pre_keys) != 0 ||
                              get_fraction(r, pre, "min_coverage", "preflight.min_coverage",
                                           &cfg->min_coverage) != 0 ||
                              read_thresholds(r, pre) != 0)))
        return -1;

    const config_setting_t *run = group(r, "run", 0);
    static const char *const run_keys[] = {
        "workers", "retries", "retry_backoff_ms", "checkpoint_interval_ms", "batch_dates", NULL};
    if (r->err[0] ||
        (run &&
         (only_keys(r, run, "run", run_keys) != 0 ||
          get_int(r, run, "workers", "run.workers", 1, 256, &cfg->workers) != 0 ||
          get_int(r, run, "retries", "run.retries", 0, 100, &cfg->retries) != 0 ||
          get_int(r, run, "retry_backoff_ms", "run.retry_backoff_ms", 0, 600000,
                  &cfg->retry_backoff_ms) != 0 ||
          get_int(r, run, "checkpoint_interval_ms", "run.checkpoint_interval_ms", 0, 3600000,
                  &cfg->checkpoint_interval_ms) != 0 ||
          get_int(r, run, "batch_dates", "run.batch_dates", 1, 256, &cfg->batch_dates) != 0)))
        return -1;

    if (read_groups(r) != 0 || read_notify(r) != 0 ||
        waivers_read(config_setting_get_member(root, "waivers"), cfg->path, &cfg->waivers,
                     &cfg->nwaivers, r->err, r->errlen) != 0 ||
        expect_read(config_setting_get_member(root, "expect"), cfg->path, &cfg->expects,
                    &cfg->nexpects, r->err, r->errlen) != 0)
        return -1;
    const config_setting_t *procs = group(r, "processors", 0);
    if (r->err[0])
        return -1;
    for (int i = 0; procs && i < config_setting_length(procs); i++) {
        const config_setting_t *s = config_setting_get_elem(procs, i);
        if (!config_setting_is_group(s))
            return fail(r, s, config_setting_name(s), "expected a group { ... } in processors");
    }
    if (!cfg->state_dir)
        return fail(r, NULL, "paths", "out of memory");
    return 0;
}

/* libconfig 1.5 keeps only the low 32 bits of an integer written without
 * the L suffix (run.workers = 4294967298 reads as 2), so such literals are
 * refused here, before the library sees the file. f is rewound. */
static int check_int_literals(FILE *f, const char *path, char *err, size_t errlen)
{
    int line = 1, c, prev = 0;
    while ((c = getc(f)) != EOF) {
        if (c == '\n') {
            line++;
        } else if (c == '#' || (c == '/' && prev == '/')) {
            while ((c = getc(f)) != EOF && c != '\n')
                ;
            line++;
        } else if (c == '*' && prev == '/') {
            for (int last = 0; (c = getc(f)) != EOF && !(last == '*' && c == '/'); last = c)
                line += c == '\n';
            c = ' ';
        } else if (c == '"') {
            for (int esc = 0; (c = getc(f)) != EOF && (esc || c != '"');) {
                esc = !esc && c == '\\';
                line += c == '\n';
            }
        } else if (isdigit(c) && !(isalnum(prev) || prev == '_' || prev == '.' || prev == '*')) {
            char num[64];
            size_t n = 0;
            int neg = prev == '-';
            for (; c != EOF && (isalnum(c) || c == '.' ||
                                ((c == '+' || c == '-') && n && tolower(num[n - 1]) == 'e'));
                 c = getc(f))
                if (n < sizeof num - 1)
                    num[n++] = (char)c;
            num[n] = '\0';
            ungetc(c, f);
            c = num[n - 1];
            int hex = num[0] == '0' && tolower(num[1]) == 'x';
            if (strpbrk(num, hex ? ".L" : ".eEL")) { /* a float, or a 64-bit integer */
                prev = c;
                continue;
            }
            errno = 0;
            unsigned long long v = strtoull(num, NULL, hex ? 16 : 10);
            const char *sign = neg ? "-" : "";
            if (errno == ERANGE || v > (unsigned long long)INT64_MAX + neg) {
                snprintf(err, errlen, "%s:%d: %s%s is out of range", path, line, sign, num);
                return -1;
            }
            if (v > (unsigned long long)INT_MAX + neg) {
                snprintf(err, errlen,
                         "%s:%d: %s%s does not fit in 32 bits (write %s%sL for a 64-bit integer)",
                         path, line, sign, num, sign, num);
                return -1;
            }
        } else if (isalpha(c) || c == '_' || c == '*' || c == '@') {
            while ((c = getc(f)) != EOF && (isalnum(c) || c == '_' || c == '-' || c == '*'))
                ;
            ungetc(c, f);
            c = 'a';
        }
        prev = c;
    }
    rewind(f);
    return 0;
}

/* libconfig 1.5 does not check its own allocations: out of memory, it
 * may keep a member without its name or a string without its text. Such a
 * tree is refused whole, so no reader ever meets the holes. */
static int tree_complete(const config_setting_t *s)
{
    if (config_setting_type(s) == CONFIG_TYPE_STRING && !config_setting_get_string(s))
        return 0;
    int named = config_setting_is_group(s);
    for (int i = 0; config_setting_is_aggregate(s) && i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, i);
        if (!e || (named && !config_setting_name(e)) || !tree_complete(e))
            return 0;
    }
    return 1;
}

int config_load(const char *path, bf_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->bootstrap_days = 14;
    cfg->min_coverage = 0.95;
    cfg->workers = 4;
    /* 0: the store's default (store_batch_dates), chosen by measurement. */
    cfg->batch_dates = 0;
    cfg->retries = 2;
    cfg->retry_backoff_ms = 200;
    cfg->checkpoint_interval_ms = 1000;
    err[0] = '\0';

    cfg->path = strdup(path);
    const char *slash = strrchr(path, '/');
    cfg->dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    config_init(&cfg->lc);
    if (!cfg->path || !cfg->dir) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    char why[512];
    FILE *f = file_fopen_regular(path, why, sizeof why);
    if (!f) {
        size_t n = strlen(path); /* why is "PATH: reason" */
        snprintf(err, errlen, "%s: cannot read config: %s", path,
                 strncmp(why, path, n) == 0 && why[n] == ':' ? why + n + 2 : why);
        goto fail;
    }
    config_set_include_dir(&cfg->lc, cfg->dir);
    int ok = check_int_literals(f, path, err, errlen) == 0 && config_read(&cfg->lc, f);
    fclose(f);
    if (err[0])
        goto fail;
    if (!ok) {
        snprintf(err, errlen, "%s:%d: %s", path, config_error_line(&cfg->lc),
                 config_error_text(&cfg->lc));
        goto fail;
    }
    if (!tree_complete(config_root_setting(&cfg->lc))) {
        snprintf(err, errlen, "%s: out of memory reading the config", path);
        goto fail;
    }
    reader r = {cfg, err, errlen};
    if (read_all(&r) == 0) {
        /* Overrides run.batch_dates (1-256; anything else is ignored):
         * lets a whole test suite run one date at a time, or in blocks of
         * another size, whatever its configs say. --batch still wins. */
        const char *batch_env = getenv("BACKFILL_BATCH_DATES");
        if (batch_env && atoi(batch_env) >= 1 && atoi(batch_env) <= 256)
            cfg->batch_dates = atoi(batch_env);
        return 0;
    }
fail:
    config_free(cfg);
    return -1;
}

void config_free(bf_config *cfg)
{
    free(cfg->path);
    free(cfg->dir);
    free(cfg->store_driver);
    for (int i = 0; i < cfg->nplugin_dirs; i++)
        free(cfg->plugin_dirs[i]);
    free(cfg->plugin_dirs);
    free(cfg->plugin_path);
    free(cfg->state_dir);
    free(cfg->calendar_table);
    free(cfg->calendar_column);
    free(cfg->seasons);
    for (int i = 0; i < cfg->ngroups; i++) {
        for (int k = 0; k < cfg->groups[i].nmembers; k++)
            free(cfg->groups[i].members[k]);
        free(cfg->groups[i].members);
        free(cfg->groups[i].member_lines);
        free(cfg->groups[i].name);
    }
    free(cfg->groups);
    for (int i = 0; i < cfg->notify.nheaders; i++)
        free(cfg->notify.headers[i]);
    free(cfg->notify.headers);
    free(cfg->notify.webhook_url);
    free(cfg->notify.content_type);
    free(cfg->notify.token_file);
    waivers_free(cfg->waivers, cfg->nwaivers);
    expect_free(cfg->expects, cfg->nexpects);
    config_destroy(&cfg->lc);
    memset(cfg, 0, sizeof *cfg);
}

config_setting_t *config_processor_section(const bf_config *cfg, const char *name)
{
    config_setting_t *procs = config_lookup(&cfg->lc, "processors");
    return procs ? config_setting_get_member(procs, name) : NULL;
}
