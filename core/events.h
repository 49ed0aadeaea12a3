/* events.h - the run's event log: one JSON object per line in
 * state_dir/runs/<processor>-<UTC time>-<pid>.jsonl. */
#ifndef BF_EVENTS_H
#define BF_EVENTS_H

#include <jansson.h>

typedef struct events events;

/* Open a new log. NULL with one line in err on failure. */
events *events_open(const char *state_dir, const char *processor, char *err, size_t errlen);
void events_close(events *ev);
const char *events_path(const events *ev);

/* Append {"ts": ..., "event": name, ...fields}; takes ownership of fields
 * (may be NULL). Thread-safe; each line is written whole. A NULL ev is a
 * no-op, so callers need not check. */
void events_emit(events *ev, const char *name, json_t *fields);

#endif
