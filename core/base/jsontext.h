/* jsontext.h - JSON documents as text, all or nothing. */
#ifndef BF_JSONTEXT_H
#define BF_JSONTEXT_H

#include <jansson.h>

/* json dumped with flags, plus a final newline, in a new NUL-terminated
 * buffer the caller frees; *len (if not NULL) gets its length. NULL if
 * memory ran out at any point. json_dumps itself may not say so: jansson
 * 2.14 ignores a failed write of an object key and goes on, leaving a
 * document with the key missing. */
char *json_text(const json_t *json, size_t flags, size_t *len);

/* The string o holds at key, or otherwise where o, the key or a string
 * there is missing. */
const char *json_string_or(const json_t *o, const char *key, const char *otherwise);

#endif
