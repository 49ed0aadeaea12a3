/* checkpoint_scan.h - what a checkpoint says backfill published, per date,
 * read without building its JSON tree: one pass over the file's text that
 * keeps three fields of each date record and skips the rest. A reader of an
 * upstream processor's checkpoint needs no more, and a checkpoint of ten
 * thousand dates scans in a few milliseconds where the whole tree takes
 * tens. The scan accepts only what checkpoint_open accepts; anything it
 * does not recognise (bad JSON, a missing part, an escaped string where
 * it reads one, a key of "dates" that is not a date, a date without a
 * valid status) it refuses, and the caller opens the file with
 * checkpoint_open, which names the fault. */
#ifndef BF_CHECKPOINT_SCAN_H
#define BF_CHECKPOINT_SCAN_H

#include <stdint.h>
#include <sys/types.h>

#include "base/dates.h"
#include "base/json_scan.h"

/* One date's publish record. */
typedef struct scanned_day {
    bf_day day;
    int status;             /* enum date_state */
    int64_t published_rows; /* -1: never published */
    int64_t published_seq;  /* 0: never published */
} scanned_day;

/* The last run's end, from "run": finished_at ("" if none) and exit_code
 * (-1 if none). */
typedef struct scanned_run {
    char finished_at[32];
    long long exit_code;
} scanned_run;

/* The file the scan read: equal identities mean the same bytes (the
 * checkpoint is replaced by rename, never rewritten in place). */
typedef struct file_identity {
    dev_t dev;
    ino_t ino;
    off_t size;
    int64_t mtime_ns, ctime_ns;
} file_identity;

/* Scan state_dir/processor.json. Returns 0 with *days (malloc'd, in the
 * file's order) and *n, the file's identity in *id and, if run is not NULL, the
 * last run's end in *run; 1 if there is no such file
 * (*days NULL, *n 0); -1 if the file cannot be read or is not a
 * checkpoint the scan recognises (nothing allocated): open it with
 * checkpoint_open for the error. */
int checkpoint_scan(const char *state_dir, const char *processor, scanned_day **days, size_t *n,
                    file_identity *id, scanned_run *run);

/* The top object of a checkpoint's text at c: "processor" a string,
 * "version" an integer, "run" an object, "dates" an object, each once, and
 * nothing after it. run_value reads the run's object (NULL: it is skipped)
 * and dates_value the dates', each given ctx. 1, or 0 if the text is no
 * such object or a reader refused its value. */
int checkpoint_scan_top(jscan_cursor *c, int (*run_value)(jscan_cursor *, void *),
                        int (*dates_value)(jscan_cursor *, void *), void *ctx);

/* The run object at c ({...}): its exit_code and finished_at into *run
 * (left as they were if absent). 1, or 0 if c holds no such object. */
int checkpoint_scan_run(jscan_cursor *c, scanned_run *run);

struct stat;
/* The identity of the file st describes. */
void checkpoint_identity_of(const struct stat *st, file_identity *id);

/* The identity of state_dir/processor.json now; 1 if there is none, -1 if
 * it cannot be read. */
int checkpoint_identity(const char *state_dir, const char *processor, file_identity *id);

#endif
