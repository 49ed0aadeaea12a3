/* rerun_text.h - a re-run list (engine/rerun.h) as the terminal shows it:
 * how many dates need work and of which states, then each state's dates,
 * one line per state, ready for --dates. */
#ifndef BF_RERUN_TEXT_H
#define BF_RERUN_TEXT_H

#include <stdio.h>

#include "engine/rerun.h"

/* "N dates need work: 2 partial, 3 missing" (nothing when none). */
void rerun_print_counts(FILE *out, const rerun_list *l);

/* One line per state holding dates, in rerun_order:
 * "<indent>partial      2024-01-05,2024-01-07". */
void rerun_print_groups(FILE *out, const rerun_list *l, const char *indent);

#endif
