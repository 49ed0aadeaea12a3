/* record.h - one date of a run as the checkpoint records it, and the names
 * of the outcomes and of the judge's states. The engine fills it in
 * (plan.h), the checkpoint writes and reads it; this file decides nothing. */
#ifndef BF_RECORD_H
#define BF_RECORD_H

#include <stdint.h>

#include "base/dates.h"

enum date_status {
    DATE_PENDING = 0, /* not run (yet): stopped before dispatch, or dry run */
    DATE_COMPLETE,    /* published: actual met expected */
    DATE_INCOMPLETE,  /* every attempt wrote too few rows; rolled back */
    DATE_FAILED,      /* every attempt errored or failed a check; rolled back */
    DATE_BLOCKED,     /* a required upstream table holds no row that date */
    DATE_SKIPPED,     /* bootstrap day: not expected to hold data */
    DATE_STATUS_COUNT
};

/* A date's state as the judge (judge.h) decides it, before a run. */
enum date_state {
    STATE_UNJUDGED = 0, /* not asked yet: nothing is resumed on it */
    STATE_COMPLETE,
    STATE_PARTIAL,
    STATE_MISSING,
    STATE_BLOCKED,
    STATE_SKIPPED,
    STATE_STALE,
    STATE_ORPHANED,
    STATE_FAILED,
    STATE_UNVERIFIED,
    STATE_CHECK_FAILED, /* the last attempt failed a quality check: nothing published */
    STATE_OUTDATED,     /* published by another code version or config than now */
    STATE_WAIVED,       /* not complete, but a waiver in the config covers it */
    STATE_COUNT
};

const char *date_status_name(int status);
/* The status with that name, or -1 (also for NULL). */
int date_status_parse(const char *name);

typedef struct date_entry {
    bf_day day;
    char date[DATE_LEN];
    int status;
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
