/* record.h - one date of a run as the checkpoint records it, and the one
 * enum naming a date's state. The engine fills it in
 * (plan.h), the checkpoint writes and reads it; this file decides nothing. */
#ifndef BF_RECORD_H
#define BF_RECORD_H

#include <stdint.h>

#include "base/dates.h"

/* A date's state: one vocabulary for the judge's verdict on a date
 * (engine/judge.h decides it from the store and the checkpoints) and for
 * what a run did with it (the checkpoint's "status", the event log's
 * "status"). The names below are what the checkpoint, the event log and
 * every report print; they are stable (README "Date states", backfill(1)). */
enum date_state {
    STATE_PENDING = 0, /* "pending": not judged or not run (yet): stopped before dispatch,
                        * a dry run, or a table with no verdict that day */
    STATE_COMPLETE,    /* "complete": published, and (judged) still holds what was published */
    STATE_PARTIAL,     /* "partial": holds other rows than published; a run: every attempt
                        * wrote too few rows and was rolled back */
    STATE_MISSING,     /* "missing": no rows, whatever the checkpoint says */
    STATE_BLOCKED,     /* "blocked": a required upstream date in its window is missing or partial */
    STATE_SKIPPED,     /* "skipped": a bootstrap day (or, in a run, a waived date): not run */
    STATE_STALE,       /* "stale": an input it read changed since it was published */
    STATE_ORPHANED,    /* "orphaned": blocked, yet holding rows */
    STATE_FAILED,      /* "failed": the last attempt errored; nothing published */
    STATE_UNVERIFIED,  /* "unverified": holds rows backfill never published */
    STATE_CHECK_FAILED, /* "check-failed": the last attempt failed a declared quality
                         * check; nothing published */
    STATE_OUTDATED,     /* "outdated": published by another code version or config than now */
    STATE_WAIVED,       /* "waived": not complete, but a waiver in the config covers it */
    STATE_COUNT
};

/* The state's name, "unknown" out of range. */
const char *date_state_name(int state);
/* The state with that name, or -1 (also for NULL). Names written by older
 * checkpoints are read too: "incomplete" is partial, "unjudged" pending. */
int date_state_parse(const char *name);

typedef struct date_entry {
    bf_day day;
    char date[DATE_LEN];
    int status;  /* enum date_state: this run's outcome (STATE_PENDING: not run) */
    int resumed; /* complete in the checkpoint, so not run again */
    int64_t expected, actual;
    int validation_passed;
    int attempts;
    double duration_ms;
    char *error; /* owned: the last error, or NULL */
    /* From the judge, before the run: */
    int verdict;        /* enum date_state */
    int changed;        /* recorded complete, but its rows changed since */
    int64_t held_rows;  /* rows the date holds */
    int64_t read_stamp; /* what a publish now records as read */
    struct json_t *raw; /* owned: the raw inputs' fingerprints a publish now records, or NULL */
    /* Set when the date is published: */
    int64_t published_seq;
    int64_t read_seq;      /* a publish sequence taken just before its reads */
    struct json_t *checks; /* owned: quality check name -> measured value, or NULL */
} date_entry;

/* Completeness as the checkpoint reports it: actual / expected, 1.0 for an
 * empty date. */
double record_completeness(int64_t expected, int64_t actual);

#endif
