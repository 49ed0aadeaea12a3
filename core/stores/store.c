/* store.c - driver selection and the thin dispatch every caller uses. */
#include "stores/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const store_driver *const drivers[] = {&store_sqlite_driver};

int store_open(const bf_config *cfg, int mode, store **out, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
        if (strcmp(drivers[i]->name, cfg->store_driver) == 0)
            return drivers[i]->open(cfg, mode, out, err, errlen);
    snprintf(err, errlen, "%s: store.driver: unknown driver '%s'", cfg->path, cfg->store_driver);
    return BF_ERROR;
}

void store_close(store *s)
{
    if (s)
        s->driver->close(s);
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
int store_date_abort(store *s)
{
    return s->driver->date_abort(s);
}

int store_date_staged_rows(store *s, int64_t *rows)
{
    return s->driver->date_staged_rows(s, rows);
}

void store_guard(store *s, int guard, const char *table)
{
    s->driver->guard(s, guard, table);
}

int store_fail(store *s, int error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    s->error_class = error_class;
    return BF_ERROR_STORE;
}

const char *store_quote_ident(const char *name, char *buf, size_t size)
{
    size_t n = 0;
    if (size < 3)
        return NULL;
    buf[n++] = '`';
    for (const char *c = name; *c; c++) {
        if (n + (*c == '`' ? 2 : 1) + 2 > size)
            return NULL;
        if (*c == '`')
            buf[n++] = '`';
        buf[n++] = *c;
    }
    buf[n++] = '`';
    buf[n] = '\0';
    return buf;
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
