/* json_scan.h - a small JSON reader over text in memory, for readers that
 * keep a few fields of a large document and skip the rest without building
 * a tree. It checks the syntax jansson checks (strings, escapes, UTF-8,
 * numbers, nesting, nothing after the value) and refuses what it does not
 * handle itself: a \u escape (a NUL, a lone surrogate), a number of 64
 * characters or more, and nesting deeper than JSCAN_MAX_DEPTH. Every
 * function returns 1 when it read what it names and 0 otherwise; on 0 the
 * cursor is left somewhere inside the bad part and the caller gives up on
 * the document. */
#ifndef BF_JSON_SCAN_H
#define BF_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSCAN_MAX_DEPTH 64

typedef struct jscan_cursor {
    const char *p, *end;
} jscan_cursor;

/* A string as it stands in the text, between its quotes. */
typedef struct jscan_text {
    const char *s;
    size_t len;
    int escaped; /* it holds a backslash escape */
} jscan_text;

/* Skip white space. */
void jscan_ws(jscan_cursor *c);

/* After white space, the character ch: consumed (1) or not there (0). */
int jscan_eat(jscan_cursor *c, char ch);

/* A string; t gets its raw text between the quotes. */
int jscan_string(jscan_cursor *c, jscan_text *t);

/* A number; *is_int, and *v when it is an integer jansson would keep. */
int jscan_number(jscan_cursor *c, int *is_int, int64_t *v);

/* Any value, skipped; depth counts the levels it is nested in. */
int jscan_value(jscan_cursor *c, int depth);

/* Whether the key k (unescaped) is name. */
int jscan_key_is(const jscan_text *k, const char *name);

/* An integer field as jansson's json_integer_value would read it: an
 * integer is stored in *out, any other value is skipped and leaves *out. */
int jscan_int_field(jscan_cursor *c, int64_t *out);

/* The string whose opening quote is at q, already read by jscan_string,
 * unescaped in place from q on and ended with a NUL (its text is never
 * longer than its quoted form). Returns q. The text from q to the closing
 * quote is no longer JSON afterwards: call it once the scan is done. */
char *jscan_terminate(char *q);

#endif
