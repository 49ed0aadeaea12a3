/* store.h - the one small interface every store driver implements.
 *
 * A store is one connection, used by one thread at a time. Statements take
 * '?' placeholders bound to bf_value parameters; nothing is pasted into SQL
 * text but identifiers the loader and config already checked.
 *
 * Per-date write-audit-publish is the driver's job because it is where the
 * stores differ: date_begin opens a transaction (or staging area) in which
 * the date's previous rows are gone and tells where new rows go;
 * date_publish makes the new set visible at once; date_abort restores the
 * old set exactly.
 *
 * lock is the store's own guard that one processor runs once at a time
 * against this store, whatever state_dir each run uses. Every driver must
 * provide it: held until unlock or close, released by the system if the
 * holder dies (never a row that a crash leaves behind), and taken without
 * writing anything a refused run would leave in the store. */
#ifndef BF_STORE_H
#define BF_STORE_H

#include "backfill/plugin.h"
#include "config.h"

typedef struct store store;

/* Called once per result row; values[i] is NULL for SQL NULL. Return
 * nonzero to stop early (the query still returns BF_OK). */
typedef int (*store_row_fn)(void *udata, int ncols, const char *const *values);

enum store_mode { STORE_READ_ONLY = 0, STORE_READ_WRITE = 1 };

typedef struct store_driver {
    const char *name; /* also the SQL dialect plugins see */
    int (*open)(const bf_config *cfg, int mode, store **out, char *err, size_t errlen);
    void (*close)(store *s);
    int (*exec)(store *s, const char *sql, const bf_value *params, int n);
    int (*query)(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                 void *udata);
    int (*table_exists)(store *s, const char *table, int *exists);
    int (*date_begin)(store *s, const char *table, const char *column, const char *date,
                      const char **write_table);
    int (*date_publish)(store *s);
    int (*date_abort)(store *s);
    int (*lock)(store *s, const char *processor, char *err, size_t errlen);
    void (*unlock)(store *s);
} store_driver;

/* Every driver's handle starts with this. error holds the last failure. */
struct store {
    const store_driver *driver;
    char error[1024];
};

/* Open the store the config names. On failure returns BF_ERROR with one
 * line in err; *out is untouched. The caller closes with store_close. */
int store_open(const bf_config *cfg, int mode, store **out, char *err, size_t errlen);
void store_close(store *s);

const char *store_dialect(const store *s);
const char *store_error(const store *s);

int store_exec(store *s, const char *sql, const bf_value *params, int n);
int store_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                void *udata);
int store_table_exists(store *s, const char *table, int *exists);
int store_date_begin(store *s, const char *table, const char *column, const char *date,
                     const char **write_table);
int store_date_publish(store *s);
int store_date_abort(store *s);

/* Take the store-wide lock of processor on this connection. Returns 0;
 * -2 if another run holds it, with err naming the holder (pid, host,
 * since); -1 with one line in err on any other failure. store_unlock (or
 * store_close) releases it. */
int store_lock(store *s, const char *processor, char *err, size_t errlen);
void store_unlock(store *s);

/* Record a failure in s->error (printf-style) and return BF_ERROR_STORE. */
int store_fail(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

extern const store_driver store_sqlite_driver;

#endif
