/* dry_state.h - what a dry run reads of a processor's own checkpoint: its
 * per-date records, scanned without building the JSON tree
 * (state/checkpoint_records.h). A dry run writes nothing, so it needs no
 * tree to change and save; it needs the records to resume from, as a run
 * would, and nothing else (the estimate reads the event logs, or the tree
 * only when none is left: estimate_from_state). */
#ifndef BF_DRY_STATE_H
#define BF_DRY_STATE_H

#include <stddef.h>

#include "engine/plan.h"
#include "state/checkpoint_records.h"

typedef struct dry_state {
    scanned_records recs; /* the checkpoint's records; empty if it has none */
    int scanned;          /* recs holds what the file says (or there is no file) */
} dry_state;

/* Scan state_dir/processor.json into *ds. Returns 1 when it did (no file
 * is a checkpoint with no records), 0 when the scan refused the file or
 * ran out of memory: the caller then opens it with checkpoint_open, which
 * reads it whole or names the fault. On 0, *ds is empty. */
int dry_state_open(dry_state *ds, const char *state_dir, const char *processor);

/* plan_resume from the scanned records: the pending dates the judge found
 * complete (stale with keep_stale, outdated with keep_outdated) and the
 * checkpoint records complete become COMPLETE and resumed, with their
 * expected rows (a dry run shows no other figure of a resumed date).
 * Returns how many. */
size_t dry_state_resume(plan *pl, const dry_state *ds, int keep_stale, int keep_outdated);

/* Free what dry_state_open kept; *ds is left empty. */
void dry_state_close(dry_state *ds);

#endif
