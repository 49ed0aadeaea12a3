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

int store_lock(store *s, const char *processor, char *err, size_t errlen)
{
    return s->driver->lock(s, processor, err, errlen);
}
void store_unlock(store *s)
{
    s->driver->unlock(s);
}

int store_fail(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return BF_ERROR_STORE;
}
