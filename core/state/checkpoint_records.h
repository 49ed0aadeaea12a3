/* checkpoint_records.h - every field the judge reads of a processor's own
 * checkpoint, per date, read without building its JSON tree: one pass over
 * the file's text (base/json_scan.h) that keeps the status, the publish
 * record (rows, sequence, read stamp and sequence, code and config, the raw
 * inputs' fingerprints), the expected rows and the last error, and skips
 * the rest. The values are those jansson's tree gives (json_integer_value
 * of an integer, else the default; json_string_value of a string, else
 * NULL; the last of a repeated key). What the scan does not recognise (bad
 * JSON, a missing part, a \u escape, a key of "dates" that is not a date,
 * a date without a valid status) it refuses, and the caller opens the file
 * with checkpoint_open, which names the fault. */
#ifndef BF_CHECKPOINT_RECORDS_H
#define BF_CHECKPOINT_RECORDS_H

#include "state/checkpoint_scan.h"

/* One raw input's fingerprint: "table": "ROWS:HEX". */
typedef struct scanned_raw {
    const char *table, *text;
} scanned_raw;

/* One date's record. Strings point into the records' text, or are NULL. */
typedef struct scanned_record {
    scanned_day d;       /* day, status, published_rows (-1), published_seq (0) */
    int64_t read_stamp;  /* 0 if none */
    int64_t expected;    /* -1 if none */
    int64_t read_seq;    /* 0 if none */
    const char *error;   /* NULL if none or not a string */
    const char *code;    /* NULL if none */
    const char *config;  /* NULL if none */
    int has_raw;         /* the record has "raw" */
    size_t raw_at, nraw; /* its string-valued members: raw[raw_at ..] */
} scanned_record;

/* A checkpoint's records; all its memory is its own. */
typedef struct scanned_records {
    char *text; /* the file's bytes, its kept strings ended in place */
    scanned_record *recs;
    size_t n;
    scanned_raw *raw;
    size_t nraw;
    scanned_run run;  /* the last run's end, as checkpoint_scan reads it */
    file_identity id; /* the file read (checkpoint_scan.h) */
} scanned_records;

/* Scan state_dir/processor.json into *out: its records, its last run's
 * end and its identity. Returns 0; 1 if there is no
 * such file (*out empty); -1 if it cannot be read or is not a checkpoint
 * the scan recognises (*out empty, nothing allocated). */
int checkpoint_records(const char *state_dir, const char *processor, scanned_records *out);

/* Free what checkpoint_records allocated; *r is left empty. */
void checkpoint_records_free(scanned_records *r);

#endif
