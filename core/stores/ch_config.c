/* ch_config.c - read and check the ClickHouse store section. */
#include "stores/ch_config.h"
#include "base/names.h"

#include "base/clock.h"
#include "base/secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/store.h"

void ch_config_free(void *driver_cfg)
{
    ch_config *c = driver_cfg;
    if (!c)
        return;
    free(c->url);
    free(c->database);
    free(c->user);
    free(c->cluster);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
        free(c->password);
    }
    for (int i = 0; i < c->nshards; i++)
        free(c->shard_urls[i]);
    free(c->shard_urls);
    free(c);
}

typedef struct reader {
    const config_setting_t *section;
    const store_conf *cfg;
    char *err;
    size_t errlen;
} reader;

static int get_string(reader *r, const char *key, const char *dflt, char **out)
{
    const config_setting_t *s = config_setting_get_member(r->section, key);
    const char *v = dflt;
    if (s) {
        v = config_setting_get_string(s);
        if (!v)
            return store_config_fail(r->cfg, s, key, r->err, r->errlen, "expected a string");
        if (!*v)
            return store_config_fail(r->cfg, s, key, r->err, r->errlen, "must not be empty");
    } else if (!dflt) {
        return store_config_fail(r->cfg, r->section, key, r->err, r->errlen, "missing");
    }
    *out = strdup(v);
    return *out ? 0 : store_config_fail(r->cfg, s, key, r->err, r->errlen, "out of memory");
}

static int get_number(reader *r, const char *key, double lo, double hi, double *out)
{
    const config_setting_t *s = config_setting_get_member(r->section, key);
    if (!s)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT)
        return store_config_fail(r->cfg, s, key, r->err, r->errlen, "expected a number");
    double v =
        t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : (double)config_setting_get_int64(s);
    if (v < lo || v > hi)
        return store_config_fail(r->cfg, s, key, r->err, r->errlen, "%g is out of range %g-%g", v,
                                 lo, hi);
    *out = v;
    return 0;
}

/* http(s)://host[:port], nothing else: credentials in a URL would end up
 * in messages, and a path would be ignored. */
static int check_url(reader *r, const config_setting_t *at, const char *key, const char *url)
{
    const char *host = strstr(url, "://");
    if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) || !host[3])
        return store_config_fail(r->cfg, at, key, r->err, r->errlen,
                                 "'%s' is not an http:// or https:// URL", url);
    if (strchr(host + 3, '@'))
        return store_config_fail(r->cfg, at, key, r->err, r->errlen,
                                 "credentials do not belong in the URL: use user and "
                                 "password_file");
    const char *path = strchr(host + 3, '/');
    if (path && path[1])
        return store_config_fail(r->cfg, at, key, r->err, r->errlen,
                                 "'%s': give the server only, http://host:port", url);
    return 0;
}

/* password_file: its first line, read without blocking before the
 * connection's own timeout_s has passed (secret.h): a FIFO, a directory or
 * a device is refused with the key and the kind of file, never read as an
 * empty password or waited on. */
static int read_password(reader *r, ch_config *c, double timeout_s)
{
    char *file = NULL;
    if (get_string(r, "password_file", "", &file) != 0)
        return -1;
    if (!*file) {
        free(file);
        c->password = strdup("");
        return c->password ? 0 : -1;
    }
    const config_setting_t *at = config_setting_get_member(r->section, "password_file");
    char *path = name_resolve_path(r->cfg->dir, file);
    free(file);
    char why[768] = "out of memory";
    c->password =
        path ? secret_read_line(path, clock_now_ms() + timeout_s * 1e3, why, sizeof why) : NULL;
    free(path);
    if (!c->password)
        return store_config_fail(r->cfg, at, "password_file", r->err, r->errlen, "%s", why);
    return 0;
}

static int read_shards(reader *r, ch_config *c)
{
    const config_setting_t *list = config_setting_get_member(r->section, "shard_urls");
    if (!c->cluster) {
        if (list)
            return store_config_fail(r->cfg, list, "shard_urls", r->err, r->errlen,
                                     "needs cluster");
        return 0;
    }
    if (!list || !(config_setting_is_array(list) || config_setting_is_list(list)) ||
        config_setting_length(list) == 0)
        return store_config_fail(r->cfg, list ? list : r->section, "shard_urls", r->err, r->errlen,
                                 "with cluster, list every shard's HTTP URL [ \"http://...\" ]");
    int n = config_setting_length(list);
    c->shard_urls = calloc((size_t)n, sizeof *c->shard_urls);
    if (!c->shard_urls)
        return -1;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, i);
        const char *v = config_setting_get_string(e);
        if (!v || check_url(r, e, "shard_urls", v) != 0)
            return v ? -1
                     : store_config_fail(r->cfg, e, "shard_urls", r->err, r->errlen,
                                         "expected URLs as strings");
        c->shard_urls[i] = strdup(v);
        if (!c->shard_urls[i])
            return -1;
        c->nshards++;
    }
    return 0;
}

int ch_config_parse(const config_setting_t *section, const store_conf *cfg, void **driver_cfg,
                    char *err, size_t errlen)
{
    static const char *const keys[] = {"driver",
                                       "url",
                                       "database",
                                       "user",
                                       "password_file",
                                       "cluster",
                                       "timeout_s",
                                       "max_concurrent_queries",
                                       "max_queries_per_second",
                                       "request_retries",
                                       "shard_urls",
                                       NULL};
    if (store_config_only_keys(section, cfg, keys, err, errlen) != 0)
        return -1;
    ch_config *c = calloc(1, sizeof *c);
    if (!c)
        return store_config_fail(cfg, section, "driver", err, errlen, "out of memory");
    reader r = {section, cfg, err, errlen};
    double timeout = 60, concurrent = 16, retries = 5;
    if (get_string(&r, "url", NULL, &c->url) != 0 ||
        check_url(&r, config_setting_get_member(section, "url"), "url", c->url) != 0 ||
        get_string(&r, "database", NULL, &c->database) != 0 ||
        get_string(&r, "user", "default", &c->user) != 0 ||
        (config_setting_get_member(section, "cluster") &&
         get_string(&r, "cluster", NULL, &c->cluster) != 0) ||
        get_number(&r, "timeout_s", 1, 86400, &timeout) != 0 ||
        read_password(&r, c, timeout) != 0 ||
        get_number(&r, "max_concurrent_queries", 1, 1024, &concurrent) != 0 ||
        get_number(&r, "max_queries_per_second", 0, 1e6, &c->max_qps) != 0 ||
        get_number(&r, "request_retries", 0, 100, &retries) != 0 || read_shards(&r, c) != 0)
        goto fail;
    if (!name_is_identifier(c->database) || strchr(c->database, '.')) {
        store_config_fail(cfg, config_setting_get_member(section, "database"), "database", err,
                          errlen, "'%s' is not a plain database name", c->database);
        goto fail;
    }
    if (c->cluster && !name_is_identifier(c->cluster)) {
        store_config_fail(cfg, config_setting_get_member(section, "cluster"), "cluster", err,
                          errlen, "'%s' is not a plain cluster name", c->cluster);
        goto fail;
    }
    c->timeout_s = (int)timeout;
    c->max_concurrent = (int)concurrent;
    c->retries = (int)retries;
    snprintf(c->location, sizeof c->location, "%s database %s%s%s", c->url, c->database,
             c->cluster ? " cluster " : "", c->cluster ? c->cluster : "");
    *driver_cfg = c;
    return 0;
fail:
    if (!err[0])
        store_config_fail(cfg, section, "driver", err, errlen, "out of memory");
    ch_config_free(c);
    return -1;
}
