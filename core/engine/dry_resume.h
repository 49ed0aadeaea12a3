/* dry_resume.h - a dry run's resume, from what its judge read of the
 * processor's own checkpoint. A dry run writes nothing, so it opens no
 * checkpoint tree to change and save: the judge scans the records without
 * building the tree (state/checkpoint_records.h; a file the scan refuses
 * it reads whole, or names its fault), and the resume takes the status and
 * expected rows of each date from the judge's facts instead of the tree. */
#ifndef BF_DRY_RESUME_H
#define BF_DRY_RESUME_H

#include <stddef.h>

#include "engine/judge.h"
#include "engine/plan.h"

/* plan_resume from jg's facts of the processor's own table: the pending
 * dates the judge found complete (stale with keep_stale, outdated with
 * keep_outdated) and the checkpoint records complete become COMPLETE and
 * resumed, with their expected rows (a dry run shows no other figure of a
 * resumed date). Returns how many. jg is left unchanged. */
size_t dry_resume(plan *pl, const judgement *jg, int keep_stale, int keep_outdated);

#endif
