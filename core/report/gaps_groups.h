/* gaps_groups.h - the sets of tables the HTML view of a large matrix sums
 * up by: the configured groups (groups.<name>) that hold some of the
 * matrix's tables but not all of them, then "other" for the tables in none
 * of those ("other_" if a group is named "other"); with no such group, the
 * graph's layers ("layer0", "layer1", ...). A table in two groups counts
 * in both. */
#ifndef BF_GAPS_GROUPS_H
#define BF_GAPS_GROUPS_H

#include <stddef.h>

#include "report/gaps.h"

typedef struct gaps_group {
    char name[72]; /* the config's name (letters, digits, '-', '_', '*'),
                      "other" or "layerN" */
    size_t *cols;  /* owned: the matrix's column indices, in graph order */
    size_t ncols;
} gaps_group;

typedef struct gaps_groups {
    gaps_group *g; /* owned */
    size_t n;
} gaps_groups;

/* The groups of m's tables into out (every table in at least one).
 * Returns 0, or -1 if memory ran out with out left empty. Free with
 * gaps_groups_free either way. */
int gaps_groups_make(const gaps_matrix *m, gaps_groups *out);
void gaps_groups_free(gaps_groups *gs);

/* 1 if a cell in this state counts against coverage: neither complete,
 * unverified, waived nor skipped (the "cells not complete" of --html). */
int gaps_state_open(int state);

#endif
