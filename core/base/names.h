/* names.h - what a table or column name may be, and where a relative path
 * in a file points. Pure functions over strings. */
#ifndef BF_NAMES_H
#define BF_NAMES_H

#include <stddef.h>

/* 1 if s is a plain SQL identifier, optionally database-qualified:
 * [A-Za-z_][A-Za-z0-9_]* with at most one '.' followed by the same. */
int name_is_identifier(const char *s);

/* p made absolute against dir (p unchanged when already absolute);
 * malloc'd (the caller frees), NULL when out of memory. */
char *name_resolve_path(const char *dir, const char *p);

/* Of the n candidates, the one nearest word (edit distance at most a third
 * of word's length, and at least 1), or NULL: for "did you mean". */
const char *name_nearest(const char *word, const char *const *candidates, size_t n);

#endif
