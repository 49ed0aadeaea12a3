/* store.h - the one small interface every store driver implements.
 *
 * A store is one connection, used by one thread at a time. Statements take
 * '?' placeholders bound to bf_value parameters; nothing is pasted into SQL
 * text but identifiers the loader and config already checked.
 *
 * Per-date write-audit-publish is the driver's job because it is where the
 * stores differ: date_begin opens a staging area for the date and tells
 * where new rows go; date_publish replaces the date's published rows with
 * the staged set at once; date_abort discards the staged set, leaving the
 * published rows exactly as they were.
 *
 * Obligations of every driver, because the core's guarantees rest on them:
 *   - Isolation. Under guard STORE_GUARD_STAGE a statement may write only
 *     the staging table of the current date; under STORE_GUARD_READ it may
 *     write nothing; under STORE_GUARD_PREPARE it may only create the named
 *     output table and indexes on it. Everything else (other writes, DDL,
 *     transaction control, attaching, pragma writes) is refused before it
 *     runs, with the statement and the rule in the error. STORE_GUARD_NONE
 *     is for the core's own statements only.
 *   - One statement per call: a string holding more is refused whole.
 *   - Every failure is classified: BF_PERMANENT when running it again
 *     cannot help (syntax, missing table, a refused statement), otherwise
 *     BF_TRANSIENT (busy, locked, I/O, out of memory).
 *   - date_staged_rows counts the staging area itself (and fails if it
 *     holds a row of another date): the core compares it with what the
 *     plugin's validate_date reported, and publishes only if they agree. */
#ifndef BF_STORE_H
#define BF_STORE_H

#include "backfill/plugin.h"
#include "config.h"

typedef struct store store;

/* Called once per result row with typed values (BF_NULL for SQL NULL;
 * TEXT strings live until the callback returns). Return nonzero to stop
 * early (the query still returns BF_OK). */
typedef bf_row_fn store_row_fn;

enum store_mode { STORE_READ_ONLY = 0, STORE_READ_WRITE = 1 };

/* What the statements of a plugin call may do (see the obligations). */
enum store_guard {
    STORE_GUARD_NONE = 0, /* the core's own statements */
    STORE_GUARD_READ,     /* validate_date, audits: read only */
    STORE_GUARD_STAGE,    /* process_date: write the date's staging table only */
    STORE_GUARD_PREPARE   /* prepare: create the output table and its indexes */
};

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
    int (*date_staged_rows)(store *s, int64_t *rows);
    /* table: the output table, for STORE_GUARD_PREPARE. */
    void (*guard)(store *s, int guard, const char *table);
} store_driver;

/* Every driver's handle starts with this. error holds the last failure,
 * error_class its enum bf_error_class. */
struct store {
    const store_driver *driver;
    int error_class;
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
int store_date_staged_rows(store *s, int64_t *rows);
void store_guard(store *s, int guard, const char *table);

/* Record a failure of class error_class in s->error (printf-style) and
 * return BF_ERROR_STORE. */
int store_fail(store *s, int error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* name as a quoted SQL identifier in buf: `name`, embedded backticks
 * doubled. Not the standard "name": SQLite reads a double-quoted name that
 * matches no column as a string literal, so a misspelt column would pass
 * unnoticed; backticks are identifiers in SQLite and ClickHouse alike.
 * Returns buf, or NULL if it does not fit. */
const char *store_quote_ident(const char *name, char *buf, size_t size);

/* Copy sql into buf, cut with "…" if it does not fit: for messages. */
const char *store_abbrev(const char *sql, char *buf, size_t size);

extern const store_driver store_sqlite_driver;

#endif
