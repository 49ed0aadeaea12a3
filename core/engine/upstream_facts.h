/* upstream_facts.h - what a processor's checkpoint says it published, per
 * date, for the judges of the processors that read its table. Scanned
 * once (state/checkpoint_scan.h) and kept for the life of the process, so
 * a command judging many processors (status, gaps, pipeline, verify
 * --outputs) reads each upstream checkpoint once, not once per reader; the
 * scan of a processor's own records for its judge (upstream_facts_own)
 * serves as that view too, so each file is read once per command. A
 * kept copy is used only while the file is the one scanned (same inode,
 * size and times): a run that saved the checkpoint since is read again.
 * Every function here is safe to call from several threads. */
#ifndef BF_UPSTREAM_FACTS_H
#define BF_UPSTREAM_FACTS_H

#include "engine/judge.h"
#include "state/checkpoint_records.h"
#include "state/checkpoint_scan.h"

/* Fill status, published_rows and published_seq of t->days (t->first,
 * t->ndays set; the other fields untouched) from processor's checkpoint in
 * state_dir; a date it does not record is left as it was. Returns 0 (no
 * checkpoint yet is no fault), or -1 if the file could not be scanned:
 * the caller reads it with checkpoint_open, which names the fault. */
int upstream_facts_fill(const char *state_dir, const char *processor, table_facts *t);

/* The same kept scan's summary of processor's checkpoint: the last run's
 * end in *run, the first and last date it records in *first and *last
 * (*n dates; 0: none). Returns 0; 1 if there is no checkpoint; -1 if it
 * could not be scanned (read it with checkpoint_open for the fault).
 * A reader of many processors (status, gaps) asks this before judging
 * them, so the judges of their readers find each file scanned already. */
int upstream_facts_summary(const char *state_dir, const char *processor, scanned_run *run,
                           bf_day *first, bf_day *last, size_t *n);

/* processor's own records, as checkpoint_records reads them (returning
 * as it does), for its judge: taken from the scan a summary made if the
 * file is still the one scanned (that scan's records are kept only until
 * then), else scanned now; the publish view of a scan is kept for its
 * readers. Free *out with checkpoint_records_free. */
int upstream_facts_own(const char *state_dir, const char *processor, scanned_records *out);

#endif
