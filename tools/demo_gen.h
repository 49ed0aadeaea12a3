/* demo_gen.h - what demo_gen.c and demo_incidents.c share. */
#ifndef BF_DEMO_GEN_H
#define BF_DEMO_GEN_H

#include <sqlite3.h>

#include "base/dates.h"

/* The operators' bootstrap: the first 14 days of each season. */
#define BOOTSTRAP_DAYS 14

/* demo_gen.c: the seeded PRNG's next integer in [0, n); one prepared
 * statement (0, or -1 after a line on stderr); a step that reports errors
 * (SQLITE_ROW, SQLITE_DONE or -1); a date's day; a season's first days. */
int rng_int(int n);
int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
int step(sqlite3 *db, sqlite3_stmt *st);
bf_day day_of(const char *s);
int is_bootstrap(bf_day d);

/* demo_incidents.c: each returns 0, or -1 after a line on stderr. */
int incident_a(sqlite3 *db);
int incident_b(sqlite3 *db);
int deliver_late(sqlite3 *db);

#endif
