/* signoff.h - the handoff document `backfill signoff` writes: per table
 * what the judge measured over the range, the waivers and skipped
 * pre-flights the tables rely on, the last runs and their commands, and
 * every judged fact (date, state, rows) with a fingerprint, embedded as
 * one line of JSON that `signoff --check` reads back. Nothing here judges:
 * it formats the facts it is handed. */
#ifndef BF_SIGNOFF_H
#define BF_SIGNOFF_H

#include <jansson.h>
#include <stdio.h>

/* The version signoff writes (facts' "backfill_signoff"). */
#define SIGNOFF_VERSION 2

/* facts' version: 1 for documents whose fingerprint covers the dates and
 * range checks only. */
int signoff_version(const json_t *facts);

/* The fingerprint of facts, as 16 hex digits into out (17 bytes): FNV-1a
 * 64 over every fact but the fingerprint, keys sorted (version 1: every
 * table, date, state and rows, in order, and the range checks' figures).
 * 0, or -1 if memory ran out. */
int signoff_fingerprint(const json_t *facts, char out[17]);

/* Write facts as a Markdown (html = 0) or HTML document on f. Returns 0,
 * or -1 with errno set if writing failed. */
int signoff_write(FILE *f, const json_t *facts, int html);

/* The facts embedded in a document written by signoff_write, read from
 * path: a new reference, or NULL with one line in err. */
json_t *signoff_read(const char *path, char *err, size_t errlen);

#endif
