/* scaffold.h - the files `backfill new` writes: scaffold.c writes them;
 * scaffold_sql.c holds the set for `new --sql` (a model file). */
#ifndef BF_SCAFFOLD_H
#define BF_SCAFFOLD_H

#include <stddef.h>
#include <sys/types.h>

typedef struct scaffold_file {
    const char *file; /* "@" stands for the name */
    const char *text; /* every "@NAME@" is the name */
    mode_t mode;
} scaffold_file;

/* The files of a model processor: NAME.sql, backfill.conf, test.sh. */
const scaffold_file *scaffold_sql_files(size_t *n);

#endif
