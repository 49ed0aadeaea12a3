/* store.c - driver selection and the thin dispatch every caller uses. */
#include "stores/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/safetext.h"

int store_config_fail(const store_conf *cfg, const config_setting_t *at, const char *key, char *err,
                      size_t errlen, const char *fmt, ...)
{
    int line = at ? (int)config_setting_source_line(at) : 0;
    int n = line ? snprintf(err, errlen, "%s:%d: store.%s: ", cfg->path, line, key)
                 : snprintf(err, errlen, "%s: store.%s: ", cfg->path, key);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
    return -1;
}

int store_config_only_keys(const config_setting_t *section, const store_conf *cfg,
                           const char *const *allowed, char *err, size_t errlen)
{
    for (int i = 0; i < config_setting_length(section); i++) {
        const config_setting_t *s = config_setting_get_elem(section, i);
        const char *name = config_setting_name(s);
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, name) == 0;
        if (!known)
            return store_config_fail(cfg, s, name, err, errlen, "unknown key for driver %s",
                                     cfg->driver);
    }
    return 0;
}

int store_init(const store_conf *cfg, char *err, size_t errlen)
{
    const store_driver *d = cfg ? cfg->impl : NULL;
    return d && d->init ? d->init(cfg->driver_cfg, err, errlen) : 0;
}

void store_shutdown(const store_conf *cfg)
{
    const store_driver *d = cfg ? cfg->impl : NULL;
    if (d && d->shutdown)
        d->shutdown();
}

const char *store_location(const store_conf *cfg)
{
    return cfg ? cfg->impl->location(cfg->driver_cfg) : "(no store)";
}

unsigned store_caps(const store_conf *cfg)
{
    return cfg ? cfg->impl->caps(cfg->driver_cfg) : 0;
}

int store_batch_dates(const store_conf *cfg)
{
    return cfg && cfg->impl->batch_dates > 0 ? cfg->impl->batch_dates : 1;
}

const char *store_quote(const store *s, const char *ident, char *buf, size_t size)
{
    return s->driver->quote(ident, buf, size) == 0 ? buf : NULL;
}

int store_open(const store_conf *cfg, int mode, store **out, char *err, size_t errlen)
{
    if (!cfg) {
        snprintf(err, errlen, "no store is configured");
        return BF_ERROR;
    }
    return cfg->impl->open(cfg, mode, out, err, errlen);
}

void store_close(store *s)
{
    if (s)
        s->driver->close(s);
}

void store_confine_reads(store *s, const char *const *tables)
{
    if (s->driver->confine_reads)
        s->driver->confine_reads(s, tables);
}

int store_can_scope(const store *s)
{
    return s->driver->scope_begin != NULL;
}

int store_scope_begin(store *s, const store_scope_table *tables, size_t n)
{
    if (!s->driver->scope_begin)
        return store_fail(s, BF_PERMANENT, "the %s store cannot scope a plugin's reads",
                          s->driver->name);
    return s->driver->scope_begin(s, tables, n);
}

void store_scope_end(store *s)
{
    if (s->driver->scope_end)
        s->driver->scope_end(s);
}

const char *store_dialect(const store *s)
{
    return s->driver->name;
}
const char *store_error(const store *s)
{
    return s->error;
}

int store_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return s->driver->exec(s, sql, params, n);
}

int store_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                void *udata)
{
    return s->driver->query(s, sql, params, n, fn, udata);
}

int store_core_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return s->driver->core_exec(s, sql, params, n);
}

int store_core_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                     void *udata)
{
    return s->driver->core_query(s, sql, params, n, fn, udata);
}

int store_table_exists(store *s, const char *table, int *exists)
{
    return s->driver->table_exists(s, table, exists);
}

int store_date_begin(store *s, const char *table, const char *column, const char *date,
                     const char **write_table)
{
    return s->driver->date_begin(s, table, column, date, write_table);
}

int store_date_publish(store *s)
{
    return s->driver->date_publish(s);
}
int store_date_defer(store *s)
{
    return s->driver->date_defer(s);
}

int store_commit_group(store *s)
{
    return s->driver->commit_group(s);
}

int store_date_abort(store *s)
{
    return s->driver->date_abort(s);
}

int store_date_staged_rows(store *s, int64_t *rows)
{
    return s->driver->date_staged_rows(s, rows);
}

int store_has_blocks(const store *s)
{
    return s->driver->block_begin != NULL;
}

int store_block_begin(store *s, const char *table, const char *column, const char *first,
                      const char *last, const char **write_table)
{
    return s->driver->block_begin(s, table, column, first, last, write_table);
}

int store_block_end(store *s)
{
    return s->driver->block_end(s);
}

int store_block_rows(store *s, store_row_fn fn, void *udata)
{
    return s->driver->block_rows(s, fn, udata);
}

int store_date_begin_block(store *s, const char *date, const char **write_table)
{
    return s->driver->date_begin_block(s, date, write_table);
}

void store_guard(store *s, int guard, const char *table)
{
    s->driver->guard(s, guard, table);
}

const char *store_refused(const store *s)
{
    return s->refused[0] ? s->refused : NULL;
}

void store_clear_refused(store *s)
{
    s->refused[0] = '\0';
}

int store_refuse(store *s, const char *why, const char *sql)
{
    char cut[160];
    store_fail(s, BF_PERMANENT, "%s (in: %s)", why, store_abbrev(sql, cut, sizeof cut));
    if (!s->refused[0])
        snprintf(s->refused, sizeof s->refused, "%.500s", s->error);
    return BF_ERROR_STORE;
}

int store_lock(store *s, const char *processor, char *err, size_t errlen)
{
    return s->driver->lock ? s->driver->lock(s, processor, err, errlen) : BF_OK;
}

int store_fail(store *s, int error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char raw[sizeof s->error * 2];
    vsnprintf(raw, sizeof raw, fmt, ap);
    safetext(s->error, sizeof s->error, raw); /* the server's text may echo any value */
    va_end(ap);
    s->error_class = error_class;
    return BF_ERROR_STORE;
}

const char *store_abbrev(const char *sql, char *buf, size_t size)
{
    static const char ellipsis[] = "\u2026"; /* UTF-8, 3 bytes */
    size_t n = strlen(sql);
    if (n < size) {
        memcpy(buf, sql, n + 1);
        return buf;
    }
    size_t keep = size - sizeof ellipsis;
    /* Never cut a UTF-8 sequence in half. */
    while (keep > 0 && ((unsigned char)sql[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(buf, sql, keep);
    memcpy(buf + keep, ellipsis, sizeof ellipsis);
    return buf;
}
