/* store.h - the one small interface every store driver implements.
 *
 * A store is one connection, used by one thread at a time. Statements take
 * the SDK's placeholders (include/backfill/plugin.h): '?' for the next
 * value and '?N' for value N (1-based); a driver whose engine has other
 * syntax translates them. Nothing is pasted into SQL text but identifiers
 * the loader and config already checked to be plain names
 * ([A-Za-z_][A-Za-z0-9_]*, at most one '.'), and those the core pastes
 * (the judge's, the calendar's and the raw fingerprints' counting queries,
 * the columns a quality check names, which may be keywords) go through
 * store_quote.
 *
 * A driver owns its section of the config file (store = { driver = ...; }):
 * parse_config reads and checks every key of it, at config load time, with
 * FILE:LINE errors; the core never names a driver's keys.
 *
 * Per-date write-audit-publish is the driver's job because it is where the
 * stores differ: date_begin opens a staging area for the date and tells
 * where new rows go; date_publish replaces the date's published rows with
 * the staged set; date_abort discards the staged set, leaving the
 * published rows exactly as they were. Whether readers see the replacement
 * happen at once is in the driver's caps. A driver with
 * STORE_CAP_GROUP_PUBLISH may instead take a validated date into a pending
 * group (date_defer) and replace every date of the group at once
 * (commit_group): each is then published only when commit_group returns.
 *
 * Obligations of every driver, because the core's guarantees rest on them:
 *   - Isolation. exec and query are the plugin's entry point: every
 *     statement is held to the connection's guard. A connection starts
 *     under STORE_GUARD_READ and is under it whenever the core has not
 *     set another for one plugin call: it may write nothing. Under
 *     STORE_GUARD_STAGE a statement may write only the staging table of
 *     the current date; under STORE_GUARD_PREPARE it may only create the
 *     named output table and indexes on it. Everything else (other
 *     writes, DDL, transaction control, attaching, pragma writes) is
 *     refused before it runs, with the statement and the rule in the
 *     error, and the refusal is recorded on the connection (store_refused)
 *     until store_clear_refused, so a plugin that ignores the error
 *     cannot hide it. core_exec and core_query are the core's own entry
 *     point, never subject to the guard; the driver's own calls (date_*,
 *     lock) are the core's too. table_exists, which plugins call too, is
 *     held to the guard like exec and query (it only reads). A connection
 *     opened STORE_READ_ONLY never changes the store, but for store_lock's
 *     record of its holder (below). Each driver documents how it enforces
 *     this (sqlite.c: the authorizer; clickhouse.c: the
 *     server's readonly setting plus a statement check).
 *   - One statement per call: a string holding more is refused whole.
 *   - Every failure is classified: BF_PERMANENT when running it again
 *     cannot help (syntax, missing table, a refused statement), otherwise
 *     BF_TRANSIENT (busy, locked, I/O, out of memory, unreachable server).
 *   - Typed rows: integers as BF_INT, floating point as BF_REAL, SQL NULL
 *     as BF_NULL, everything else (dates included) as BF_TEXT.
 *   - date_staged_rows counts the staging area itself (and fails if it
 *     holds a row of another date): the core compares it with what the
 *     plugin's validate_date reported, and publishes only if they agree.
 *   - Bounded waits: no statement waits longer than the driver's timeout;
 *     a driver that retries inside a call stops retrying once the run is
 *     interrupted (signals_stop), so an interrupt is never held up.
 *   - lock is the store's own guard that one processor runs once at a time
 *     against this store, whatever state_dir or host each run uses: held
 *     until the connection closes, and taken without writing anything a refused
 *     run would leave in the store. It is the one call that may record
 *     something in the store, even on a STORE_READ_ONLY connection: its
 *     holder, and nothing else (SQLite records it in a file beside the
 *     database; ClickHouse in the lock table, clickhouse.c). A holder that
 *     dies must not block for ever: either the system releases the lock
 *     (SQLite: an flock) or the driver takes over a lock whose holder it
 *     can tell is dead (lock_holder_state), and refuses with how to clear
 *     it one it cannot judge. A driver that cannot offer one leaves it NULL
 *     and says so in its documentation. */
#ifndef BF_STORE_H
#define BF_STORE_H

#include <libconfig.h>

#include "backfill/plugin.h"

typedef struct store store;
struct store_scope_table; /* store_scope_begin */
typedef struct store_conf store_conf;

/* Called once per result row with typed values (BF_NULL for SQL NULL;
 * TEXT strings live until the callback returns). Return nonzero to stop
 * early (the query still returns BF_OK). */
typedef bf_row_fn store_row_fn;

enum store_mode { STORE_READ_ONLY = 0, STORE_READ_WRITE = 1 };

/* What the statements of a plugin call may do (see the obligations). There
 * is no guard that allows everything: the core's statements take their own
 * entry point (store_core_exec, store_core_query). */
enum store_guard {
    STORE_GUARD_READ = 0, /* the default: every call but the two below reads only */
    STORE_GUARD_STAGE,    /* process_date: write the date's staging table only */
    STORE_GUARD_PREPARE   /* prepare: create the output table and its indexes */
};

/* Capability flags of a driver (store_caps). */
enum store_caps {
    /* date_publish swaps the date in one transaction of one database. */
    STORE_CAP_ATOMIC_PUBLISH = 1u << 0,
    /* The driver retries transient request failures itself (counted). */
    STORE_CAP_REQUEST_RETRY = 1u << 1,
    /* date_defer and commit_group: dates are published a group at a time,
     * in one transaction. */
    STORE_CAP_GROUP_PUBLISH = 1u << 2,
    /* date_defer and commit_group, for the dates of blocks only: a date
     * alone is published by date_defer itself. commit_group publishes the
     * group together but not in one transaction: on failure some of its
     * dates may be published, none is recorded, and all run again. Used
     * when the run computes blocks (run.batch_dates > 1). */
    STORE_CAP_BLOCK_GROUP = 1u << 3,
    /* Without STORE_CAP_ATOMIC_PUBLISH, a reader may see a date empty (or,
     * across shards, new on some and old on others) while it is being
     * published, and a crash then leaves it so until the resumed run
     * publishes it again: the core records a date complete only after
     * date_publish returned. */
};

typedef struct store_driver {
    const char *name; /* also the SQL dialect plugins see */
    /* Read the driver's keys of the store section (driver included) into
     * *driver_cfg, which the driver owns and free_config frees. Relative
     * paths resolve against cfg->dir. On error: nonzero, one line in err
     * as FILE:LINE: store.KEY: what is wrong, and nothing allocated. */
    int (*parse_config)(const config_setting_t *section, const store_conf *cfg, void **driver_cfg,
                        char *err, size_t errlen);
    void (*free_config)(void *driver_cfg);
    /* Where the store is, for messages: no secret ever appears in it. */
    const char *(*location)(const void *driver_cfg);
    /* Process-wide set-up and tear-down, called by store_init and
     * store_shutdown from the main thread around every other call; either
     * may be NULL. */
    int (*init)(const void *driver_cfg, char *err, size_t errlen);
    void (*shutdown)(void);
    /* Quote a checked identifier ("db.table" quoted part by part) into buf;
     * nonzero if it does not fit. */
    int (*quote)(const char *ident, char *buf, size_t size);
    unsigned (*caps)(const void *driver_cfg); /* enum store_caps */
    /* Default dates per block (run.batch_dates) where the config sets none,
     * chosen by measurement (README, Performance); 0 means 1. */
    int batch_dates;
    int (*open)(const store_conf *cfg, int mode, store **out, char *err, size_t errlen);
    void (*close)(store *s);
    /* The plugin's statements, held to the guard. */
    int (*exec)(store *s, const char *sql, const bf_value *params, int n);
    int (*query)(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                 void *udata);
    /* The core's own statements: the guard does not apply. */
    int (*core_exec)(store *s, const char *sql, const bf_value *params, int n);
    int (*core_query)(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                      void *udata);
    int (*table_exists)(store *s, const char *table, int *exists);
    int (*date_begin)(store *s, const char *table, const char *column, const char *date,
                      const char **write_table);
    int (*date_publish)(store *s);
    /* STORE_CAP_GROUP_PUBLISH only: date_defer takes the validated staged
     * date into the connection's pending group, published by nothing yet;
     * commit_group publishes every pending date in one transaction, or on
     * failure none of them, and the group is empty afterwards either way.
     * date_publish publishes the group, the current date included. */
    int (*date_defer)(store *s);
    int (*commit_group)(store *s);
    int (*date_abort)(store *s);
    int (*date_staged_rows)(store *s, int64_t *rows);
    /* table: the output table, for STORE_GUARD_PREPARE. */
    void (*guard)(store *s, int guard, const char *table);
    int (*lock)(store *s, const char *processor, char *err, size_t errlen);
    /* May be NULL (the driver cannot confine reads). */
    void (*confine_reads)(store *s, const char *const *tables);
    /* Blocks of dates; all four NULL when the driver has none (the core then
     * runs every date alone). block_begin opens one staging area, empty, for
     * the rows of dates first..last of table.column, which the plugin's
     * STORE_GUARD_STAGE statements may then write (and nothing else), and
     * fixes the read snapshot as date_begin does; block_end closes the
     * computation (the staged rows stay until the next block_begin);
     * block_rows calls fn once per date the block's staging area holds,
     * with (date TEXT, rows INT), in one grouped query; date_begin_block is
     * date_begin for one date of the block, whose staging area starts with
     * that date's staged rows (the rest of the date's contract: date_*). */
    int (*block_begin)(store *s, const char *table, const char *column, const char *first,
                       const char *last, const char **write_table);
    int (*block_end)(store *s);
    int (*block_rows)(store *s, store_row_fn fn, void *udata);
    int (*date_begin_block)(store *s, const char *date, const char **write_table);
    /* May both be NULL (the driver has no scope): store_scope_begin. */
    int (*scope_begin)(store *s, const struct store_scope_table *tables, size_t n);
    void (*scope_end)(store *s);
} store_driver;

/* Every driver's handle starts with this. error holds the last failure,
 * error_class its enum bf_error_class; refused the first statement the
 * guard refused since store_clear_refused (store_refuse), empty if none:
 * kept even when later statements overwrite error. */
struct store {
    const store_driver *driver;
    int error_class;
    char error[1024];
    char refused[512];
};

/* The store section of a config file, as its driver parsed it. */
struct store_conf {
    const char *path;   /* the config file (borrowed), for FILE:LINE messages */
    const char *dir;    /* its directory (borrowed): relative paths resolve here */
    const char *driver; /* store.driver (borrowed) */
    const store_driver *impl;
    void *driver_cfg; /* the driver's own, freed by store_conf_free */
};

/* Find the driver named driver and let it parse section (of the config
 * file path, in directory dir; all three borrowed and kept) into a new
 * *out, which the caller frees with store_conf_free. Same error contract
 * as parse_config; *out is NULL on error. */
int store_conf_parse(const config_setting_t *section, const char *path, const char *dir,
                     const char *driver, store_conf **out, char *err, size_t errlen);
void store_conf_free(store_conf *sc);

/* Process-wide driver set-up (e.g. libcurl's global init) before any
 * store is opened, and tear-down after the last is closed. Main thread. */
int store_init(const store_conf *cfg, char *err, size_t errlen);
void store_shutdown(const store_conf *cfg);

/* The store's location for messages (never a secret). */
const char *store_location(const store_conf *cfg);
unsigned store_caps(const store_conf *cfg);
/* The driver's default run.batch_dates (1 for a driver without one, or
 * with no store). */
int store_batch_dates(const store_conf *cfg);

/* Quote identifier ident for s's dialect into buf (size bytes); returns
 * buf, or NULL if it does not fit. */
const char *store_quote(const store *s, const char *ident, char *buf, size_t size);

/* Helpers for parse_config: one FILE:LINE: store.KEY: message; and the
 * check that the section holds no key outside allowed (NULL-ended). */
int store_config_fail(const store_conf *cfg, const config_setting_t *at, const char *key, char *err,
                      size_t errlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int store_config_only_keys(const config_setting_t *section, const store_conf *cfg,
                           const char *const *allowed, char *err, size_t errlen);

/* Open the store the config names. On failure returns BF_ERROR with one
 * line in err; *out is untouched. The caller closes with store_close. */
int store_open(const store_conf *cfg, int mode, store **out, char *err, size_t errlen);
void store_close(store *s);

const char *store_dialect(const store *s);
const char *store_error(const store *s);

/* The plugin's entry point: held to the connection's guard. */
int store_exec(store *s, const char *sql, const bf_value *params, int n);
int store_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                void *udata);
/* The core's own entry point: the same contract, but not held to the
 * guard. Never reachable from a plugin. */
int store_core_exec(store *s, const char *sql, const bf_value *params, int n);
int store_core_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                     void *udata);
int store_table_exists(store *s, const char *table, int *exists);

/* Per date of table.column within [first, last], one grouped query over
 * the range: fn gets (date TEXT, rows INT, checksum INT), the checksum
 * order-independent over every column of the date's rows (SQLite: the
 * core's bf_checksum aggregate; ClickHouse: groupBitXor(cityHash64(*))).
 * table and column are plain names the caller checked. */
int store_fingerprint_dates(store *s, const char *table, const char *column, const char *first,
                            const char *last, store_row_fn fn, void *udata);
int store_date_begin(store *s, const char *table, const char *column, const char *date,
                     const char **write_table);
int store_date_publish(store *s);
int store_date_defer(store *s);
int store_commit_group(store *s);
int store_date_abort(store *s);
int store_date_staged_rows(store *s, int64_t *rows);
/* Blocks of dates (see store_driver): store_has_blocks is nonzero when the
 * driver offers them; the others are then its calls as documented there. */
int store_has_blocks(const store *s);
int store_block_begin(store *s, const char *table, const char *column, const char *first,
                      const char *last, const char **write_table);
int store_block_end(store *s);
int store_block_rows(store *s, store_row_fn fn, void *udata);
int store_date_begin_block(store *s, const char *date, const char **write_table);
/* Set the guard of the plugin's statements (enum store_guard; table: the
 * output table, for STORE_GUARD_PREPARE). Whoever sets STAGE or PREPARE
 * for a call sets STORE_GUARD_READ again when it returns. */
void store_guard(store *s, int guard, const char *table);

/* The first statement the guard refused since the last store_clear_refused,
 * as "refused ACTION OBJECT: RULE (in: SQL)", or NULL. */
const char *store_refused(const store *s);
void store_clear_refused(store *s);

/* Under STORE_GUARD_STAGE and STORE_GUARD_READ, let statements read only
 * tables (NULL-ended, copied; a view named there may read what it reads)
 * besides the store's own schema and staging tables: a read of any other
 * table is refused, naming it and the fix. NULL: any table. SQLite
 * enforces it with its authorizer; ClickHouse cannot (see README). */
void store_confine_reads(store *s, const char *const *tables);

/* A table a scope shows the plugin: a view named table (unqualified) over
 * the store's table of that name, its rows with column in [from, to]
 * (YYYY-MM-DD), or every row when from is NULL. */
typedef struct store_scope_table {
    const char *table, *column, *from, *to;
} store_scope_table;

/* Whether the driver can scope a plugin's reads (store_scope_begin). */
int store_can_scope(const store *s);
/* Until store_scope_end, the plugin's statements (not the core's) resolve
 * unqualified table names in a scratch schema holding only the views of
 * tables; the staging table, named in full, is written as before. Nothing
 * of the store's own tables changes. BF_OK, or a store error (nothing is
 * left made); BF_PERMANENT if the driver has no scope. */
int store_scope_begin(store *s, const store_scope_table *tables, size_t n);
/* Drop the scratch schema; the plugin's statements see the store again.
 * Harmless without a scope; store_close ends one too. */
void store_scope_end(store *s);

/* Record a failure of class error_class in s->error (printf-style) and
 * return BF_ERROR_STORE. */
int store_fail(store *s, int error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* For drivers: the guard refused sql for why ("refused ACTION OBJECT:
 * RULE"): fail BF_PERMANENT with "why (in: sql)" and record that in
 * s->refused if it is the first since store_clear_refused. Returns
 * BF_ERROR_STORE. */
int store_refuse(store *s, const char *why, const char *sql);

/* Copy sql into buf, cut with "…" if it does not fit: for messages. */
const char *store_abbrev(const char *sql, char *buf, size_t size);

/* Take the store-wide lock of processor on this connection. Returns 0;
 * -2 if another run holds it, with err naming the holder (pid, host,
 * since); -1 with one line in err on any other failure. store_close
 * releases it. */
int store_lock(store *s, const char *processor, char *err, size_t errlen);

extern const store_driver store_sqlite_driver;
extern const store_driver store_clickhouse_driver;

#endif
