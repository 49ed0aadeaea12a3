/* model_parse.h - the model reader's parts (model_parse.c, model_keys.c,
 * model_sql.c, model_text.c) and the state they share while one file is
 * read. Not used outside the model reader. */
#ifndef BF_MODEL_PARSE_H
#define BF_MODEL_PARSE_H

#include <stddef.h>

#include "plugin/model.h"

/* The statement kinds, in the order of their sections. */
enum model_kind {
    MODEL_PROCESS = 0,
    MODEL_EXPECTED = 1,
    MODEL_FALLBACK = 2,
    MODEL_PROCESS_BLOCK = 3,
    MODEL_EXPECTED_BLOCK = 4,
    MODEL_KINDS = 5
};

/* The section names, by enum model_kind ("process", ...). */
extern const char *const model_section_names[MODEL_KINDS];

typedef struct model_parser {
    model *m;
    const char *path;
    const char *name;
    int line; /* the line being read; 0 once the whole file is checked */
    char *err;
    size_t errlen;
    model_stmt *section; /* the statement being collected, or NULL */
    int kind;            /* enum model_kind of section */
    char *buf;           /* its text so far */
    size_t len, cap;
    int seen[32];                 /* the line of each single-valued key seen */
    int dep_line[MODEL_DEPS_MAX]; /* the line of each depends */
} model_parser;

/* One line "PATH:LINE: what" (PATH: what once line is 0) into ps->err;
 * returns BF_ERROR. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int model_fail(model_parser *ps, const char *fmt, ...);

/* A copy of s[0..n-1] the model owns, or NULL when out of memory. */
char *model_keep(model_parser *ps, const char *s, size_t n);

/* A number of the whole text v, within [lo, hi]; else BF_ERROR naming
 * what. */
int model_number(model_parser *ps, const char *what, const char *v, double lo, double hi,
                 double *out);

/* The next token of *p: a word, "a quoted text", key=word or
 * key="quoted text". 1 with *key (NULL for none) and *val, 0 at the end,
 * -1 (the error in ps) for an unclosed quote. Cuts *p in place. */
int model_token(model_parser *ps, char **p, char **key, char **val);

/* The config and check lines (model_decl.c). */
int model_key_config(model_parser *ps, int dialect, char *value);
int model_key_check(model_parser *ps, int dialect, char *value);

/* One header line "key: value" (key may carry ".dialect"). */
int model_key(model_parser *ps, const char *key, char *value);

/* 1 if the first n bytes of s name a header key (with or without a
 * dialect). */
int model_is_key(const char *s, size_t n);

/* After the last line: what the whole file must hold (a description, the
 * statements each dialect needs, a consistent fallback). */
int model_finish(model_parser *ps);

/* Check and store one section's statement (text[0..len-1]) of kind: its
 * placeholders ({{table}}, {{date}}, or a block's {{first}} and {{last}},
 * {{config.KEY}}) and what it writes.
 * ps->line is the section's marker line. */
/* After the last line (model_keys.c): each block section has its per-date
 * section for every dialect it serves, and @expected_block its
 * @process_block. */
int model_finish_blocks(model_parser *ps);

int model_sql_compile(model_parser *ps, model_stmt *st, int kind, const char *text, size_t len);

#endif
