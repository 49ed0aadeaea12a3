/* ch_sql.h - what the ClickHouse driver reads in a statement's text: its
 * leading words (to check a statement against the guard) and its
 * placeholders (ClickHouse's HTTP interface binds nothing, so the driver
 * writes each bound value into the text as a literal, escaped). */
#ifndef BF_CH_SQL_H
#define BF_CH_SQL_H

#include <stddef.h>

#include "backfill/plugin.h"

/* A growable string; free s->p when done. */
typedef struct ch_buf {
    char *p;
    size_t len, cap;
    int oom;
} ch_buf;

void ch_buf_add(ch_buf *b, const char *s, size_t n);
void ch_buf_printf(ch_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write sql into out with every placeholder replaced by its value: '?' is
 * the value after the highest one used so far, '?N' is value N (1-based),
 * as SQLite numbers them. Placeholders inside string literals, quoted
 * identifiers and comments are text. The statement must use exactly
 * params[0..n-1] (its highest placeholder is n) and hold one statement (a
 * trailing ';' is dropped). Values: integers in decimal, reals with 17
 * significant digits (inf, -inf, nan as ClickHouse spells them), text as
 * a quoted literal with \\ \' and control characters escaped, NULL as
 * NULL. On error returns -1 with why filled; out is then to be freed. */
int ch_sql_bind(const char *sql, const bf_value *params, int n, ch_buf *out, char *why,
                size_t whylen);

/* The statement's first max words (keywords and names, unquoted, with
 * "a.b" kept as one word; punctuation as itself, e.g. "("), skipping
 * comments. Returns how many were read; *rest points after the last. */
int ch_sql_words(const char *sql, char words[][192], int max, const char **rest);

/* Append s as a ClickHouse string literal. */
void ch_sql_quote_string(ch_buf *b, const char *s);

/* 1 if s is exactly a date YYYY-MM-DD that exists. */
int ch_sql_is_date(const char *s);

#endif
