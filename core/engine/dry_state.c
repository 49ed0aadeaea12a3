/* dry_state.c - see dry_state.h. */
#include "engine/dry_state.h"

#include <stdlib.h>
#include <string.h>

#include "state/record.h"

static int by_day(const void *a, const void *b)
{
    bf_day x = ((const scanned_record *)a)->d.day, y = ((const scanned_record *)b)->d.day;
    return (x > y) - (x < y);
}

int dry_state_open(dry_state *ds, const char *state_dir, const char *processor)
{
    memset(ds, 0, sizeof *ds);
    int rc = checkpoint_records(state_dir, processor, &ds->recs);
    if (rc < 0)
        return 0;
    ds->scanned = 1;
    if (ds->recs.n > 1) /* a record's own fields move with it */
        qsort(ds->recs.recs, ds->recs.n, sizeof *ds->recs.recs, by_day);
    return 1;
}

/* The record of day among ds's records (sorted by day), or NULL. */
static const scanned_record *record_of(const dry_state *ds, bf_day day)
{
    scanned_record key = {.d = {.day = day}};
    return ds->recs.n ? bsearch(&key, ds->recs.recs, ds->recs.n, sizeof key, by_day) : NULL;
}

size_t dry_state_resume(plan *pl, const dry_state *ds, int keep_stale, int keep_outdated)
{
    size_t n = 0;
    for (size_t i = 0; i < pl->n; i++) {
        date_entry *e = &pl->dates[i];
        if (e->status != STATE_PENDING ||
            (e->verdict != STATE_COMPLETE && !(keep_stale && e->verdict == STATE_STALE) &&
             !(keep_outdated && e->verdict == STATE_OUTDATED)))
            continue;
        const scanned_record *rec = record_of(ds, e->day);
        if (!rec || rec->d.status != STATE_COMPLETE)
            continue;
        e->status = STATE_COMPLETE;
        e->resumed = 1;
        e->expected = rec->expected < 0 ? 0 : rec->expected;
        e->validation_passed = 1;
        n++;
    }
    return n;
}

void dry_state_close(dry_state *ds)
{
    if (ds->scanned)
        checkpoint_records_free(&ds->recs);
    memset(ds, 0, sizeof *ds);
}
