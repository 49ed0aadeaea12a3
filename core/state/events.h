/* events.h - the run's event log: one JSON object per line in
 * state_dir/runs/<processor>-<UTC time>-<pid>.jsonl. */
#ifndef BF_EVENTS_H
#define BF_EVENTS_H

#include <jansson.h>

typedef struct events events;

/* Create a new log (never through a symbolic link). NULL with one line in
 * err on failure. */
events *events_open(const char *state_dir, const char *processor, char *err, size_t errlen);
void events_close(events *ev);
const char *events_path(const events *ev);

/* Append {"ts": ..., "event": name, ...fields}; takes ownership of fields.
 * name is one of the core's identifiers, written as it is. A NULL fields
 * (json_pack out of memory) is a lost event. Thread-safe. Lines are kept
 * whole in a block that is written when full, by events_flush and by
 * events_sync; a block that could not be written is remembered for
 * events_sync. A NULL ev is a no-op, so callers need not check. */
void events_emit(events *ev, const char *name, json_t *fields);

/* Write the events held so far; the run calls it as it saves its
 * checkpoint, so the log lags the checkpoint by at most one block. */
void events_flush(events *ev);

/* Flush and fsync the log. Returns -1 with one line in err naming the log and the
 * first event that was not written (a full disk, say), or if fsync
 * failed; 0 when every event so far is on disk. */
int events_sync(events *ev, char *err, size_t errlen);

#endif
