/* model.h - a processor written in SQL alone: a model file NAME.sql on the
 * plugin search path, beside the .so files. model_parse.c reads its header
 * block and statements strictly (FILE:LINE errors); model_exec.c runs them
 * as the processor's entry points through the same context API a C plugin
 * calls; loader.c turns a model into a processor like any other. The
 * format is documented in man/backfill-model.5. */
#ifndef BF_MODEL_H
#define BF_MODEL_H

#include <stddef.h>

#include "backfill/plugin.h"

/* The SQL a statement is written for: any store, or one dialect. */
enum model_dialect { MODEL_ANY = 0, MODEL_SQLITE = 1, MODEL_CLICKHOUSE = 2, MODEL_DIALECTS = 3 };

#define MODEL_INDEXES_MAX 3
#define MODEL_KEYS_MAX    32
#define MODEL_CHECKS_MAX  32
#define MODEL_DEPS_MAX    64
/* In a statement's text, where the table to write goes, and where a
 * block's list of dates goes. */
#define MODEL_TABLE_MARK '\001'
#define MODEL_DATES_MARK '\002'

/* One statement: its text with {{date}} as ?1 (a block's: {{first}} as
 * ?1 and {{last}} as ?2), each {{config.KEY}} as the next ?N, {{table}}
 * as MODEL_TABLE_MARK and a block's {{dates}} as MODEL_DATES_MARK (run,
 * a list of parameters bound after the config values). */
typedef struct model_stmt {
    char *text;               /* NULL: the section is absent */
    int line;                 /* the line of its section marker */
    int ndates;               /* dates bound first: 1, or 2 for a block */
    int nkeys;                /* config values bound after the dates */
    int keys[MODEL_KEYS_MAX]; /* their index in model.keys, for ?2.. */
    int dates_list;           /* 1 if it names {{dates}} (a block's) */
} model_stmt;

typedef struct model {
    char *path;         /* the file, as read */
    uint64_t file_hash; /* hash_bytes of its text, as read */
    bf_descriptor desc;
    bf_dependency deps[MODEL_DEPS_MAX];
    size_t ndeps;
    bf_config_key keys[MODEL_KEYS_MAX + 1]; /* name NULL ends it */
    size_t nkeys;
    bf_check checks[MODEL_CHECKS_MAX + 1]; /* name NULL ends it */
    size_t nchecks;
    char *columns[MODEL_DIALECTS];
    char *table_options[MODEL_DIALECTS];
    char *indexes[MODEL_INDEXES_MAX];
    size_t nindexes;
    model_stmt process[MODEL_DIALECTS];
    model_stmt expected[MODEL_DIALECTS];
    model_stmt fallback[MODEL_DIALECTS];
    model_stmt process_block[MODEL_DIALECTS];  /* optional: a block of dates */
    model_stmt expected_block[MODEL_DIALECTS]; /* optional: (date, rows) rows */
    /* Every string above, owned here: freed by model_free. */
    char **owned;
    size_t nowned, capowned;
} model;

/* Parse the model text (len bytes, need not end with NUL) of processor
 * NAME read from path. BF_OK and *out (free with model_free), or BF_ERROR
 * with one line in err: "PATH:LINE: what is wrong; the fix". Nothing is
 * kept on failure. */
int model_parse(const char *path, const char *name, const char *text, size_t len, model **out,
                char *err, size_t errlen);

/* model_parse of the file at path. */
int model_read(const char *path, const char *name, model **out, char *err, size_t errlen);

void model_free(model *m);

/* The statement of kind (m->process, m->expected, m->fallback, ...) for the
 * dialect named ("sqlite", "clickhouse"): its own, else the portable one,
 * else NULL. */
const model_stmt *model_stmt_for(const model_stmt *kind, const char *dialect);

/* The dialect index of a name, or -1. */
int model_dialect_of(const char *dialect);

/* Entry points of a model processor (model_exec.c): the plugin struct
 * points at these, and they find their model through the context. */
int model_prepare(bf_ctx *ctx);
int model_worker_init(bf_ctx *ctx, void **user);
int model_process_date(bf_ctx *ctx, const char *date);
int model_validate_date(bf_ctx *ctx, const char *date, bf_validation *out);

/* What model_exec.c shares with model_block.c: st ready to run over the
 * nlist dates of list (a block's; a date's: itself). *sql gets st's text
 * with table where {{table}} was and (?K, ...) where {{dates}} was
 * (malloc'd: the caller frees it), params st's model_nparams parameters:
 * dates[0..st->ndates-1], each config value, then with {{dates}} the
 * dates of list. BF_OK, or the error set on ctx (*sql then NULL). */
int model_ready(bf_ctx *ctx, const model_stmt *st, const char *table, const char *const *dates,
                const char *const *list, size_t nlist, bf_value *params, char **sql);
int model_nparams(const model_stmt *st, size_t nlist);

/* Blocks of dates (model_block.c). model_offers_blocks: 1 if the model has
 * a @process_block for the dialect named, so a store of that dialect may
 * hand it blocks; else it runs per date. model_process_dates runs
 * @process_block over the block (first..last, and its dates) once (while
 * an optional input is missing: @fallback once per date of the block, into
 * the same staging area); model_expected_dates runs @expected_block once (without one for
 * the dialect: @expected once per date). model_block_worker_init is
 * model_worker_init, then the block statements the store will run probed
 * as the per-date ones are: a model with a block form has it as its
 * worker_init. */
int model_offers_blocks(const model *m, const char *dialect);
int model_process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                        size_t n);
int model_expected_dates(bf_ctx *ctx, const char *const *dates, size_t n, int64_t *expected);
int model_block_worker_init(bf_ctx *ctx, void **user);

/* Whether every optional input exists (model_exec.c): else the fallback
 * runs. */
int model_inputs_present(bf_ctx *ctx, const model *m, int *present);

/* st (what: "@process", "@expected_block", ...) prepared and run once for
 * a date no table holds (a write: what it reads, as a query returning no
 * row), so SQL that does not prepare is refused before any date, naming
 * the file and the line (model_exec.c). */
int model_probe(bf_ctx *ctx, const model *m, const model_stmt *st, const char *what);

#endif
