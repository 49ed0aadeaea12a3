/* checkpoint.h - per-processor run state in state_dir/<processor>.json:
 * every date's outcome plus the last run's metadata. Dates outside the
 * current run keep what earlier runs recorded. */
#ifndef BF_CHECKPOINT_H
#define BF_CHECKPOINT_H

#include <jansson.h>

#include "state/record.h"

typedef struct checkpoint {
    char *path;
    json_t *root;   /* {"processor", "run": {...}, "dates": {date: {...}}} */
    json_t *lines;  /* date: its record as saved last, one line of JSON */
    char lost[256]; /* the first record that could not be kept in memory */
    /* What builds the dates published now (checkpoint_set_builder). */
    char code[96], config[48];
    int failed_saves; /* saves that failed since the last one that did not */
    char *raw_text;   /* "raw_days" as written last; NULL: made at the next save */
} checkpoint;

/* Open (or start) the checkpoint of processor in state_dir, first removing
 * temp files that killed runs left. A corrupt file (not JSON, or a date
 * without a valid status) or one that is not a regular file (a FIFO, a
 * symbolic link) is an error (-1, one line in err), never silently
 * replaced. */
int checkpoint_open(checkpoint *cp, const char *state_dir, const char *processor, char *err,
                    size_t errlen);
void checkpoint_close(checkpoint *cp);

/* The code and config fingerprints (loader.h's plugin.code,
 * plugin_config_fingerprint) recorded with every date published from now
 * on, as "code" and "config". Unset, a publish records neither. */
void checkpoint_set_builder(checkpoint *cp, const char *code, const char *config);

/* Copy one entry into the checkpoint (not yet written). A date published
 * now records its rows, publish sequence, read stamp, the raw inputs'
 * fingerprints (e->raw) and the builder's code and config; any other outcome
 * keeps what the record said was published before. If memory runs out, the
 * loss is remembered and the next save reports it. */
void checkpoint_record(checkpoint *cp, const date_entry *e);

/* The raw tables' per-day fingerprints the processor's published dates
 * read ("raw_days": {TABLE: {DATE: "ROWS:HEX ..."}}, engine/raw_days.h),
 * created empty if absent. Borrowed: the caller may change it, and the
 * next save writes it. NULL: out of memory (nothing changed). */
json_t *checkpoint_raw_days(checkpoint *cp);

/* Set a run metadata field (the object takes ownership of value). */
void checkpoint_set_run(checkpoint *cp, const char *key, json_t *value);

/* Write atomically, one line per date in date order (each date's line is
 * made once per change, so a save costs a copy, not a dump of every
 * record) (file_replace: temp file, every write checked, fsync,
 * close, rename, fsync of the directory). Returns -1 with one line naming
 * the file in err if it could not be written (the previous file is then
 * intact) or if an earlier record was lost. A save that succeeds after
 * failed ones says so on stderr (info: "saved on retry"): nothing the
 * failed ones held is lost, the file holds it all now. */
int checkpoint_save(checkpoint *cp, char *err, size_t errlen);

/* Create dir and its parents (mode 0755). */
int checkpoint_mkdirs(const char *dir);

#endif
