/* fuzz_checkpoint.c - checkpoint_open on a file holding the input, then
 * checkpoint_resume against a plan of ten days (2024-01-01 ... 01-10, the
 * first two bootstrap days) and checkpoint_record of each entry. The scan
 * without a tree (checkpoint_records) reads the same file: what it accepts
 * checkpoint_open must accept, with the same status, publish record and
 * strings for every date; so must the publish-record scan
 * (checkpoint_scan), with the same status and publish record. */
#include <stdlib.h>
#include <string.h>

#include "engine/plan.h"
#include "state/checkpoint.h"
#include "state/checkpoint_records.h"
#include "state/checkpoint_scan.h"
#include "config/config.h"
#include "fuzz.h"

static int64_t int_of(const json_t *rec, const char *key, int64_t dflt)
{
    const json_t *v = json_object_get(rec, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int same_string(const char *scanned, const json_t *v)
{
    const char *s = json_string_value(v);
    return (!s && !scanned) || (s && scanned && strcmp(s, scanned) == 0);
}

/* The tree's record of d's date, which must hold d's status and publish
 * record: abort otherwise. */
static const json_t *same_day(const scanned_day *d, const checkpoint *cp)
{
    char s[DATE_LEN];
    date_format(d->day, s);
    const json_t *rec = json_object_get(json_object_get(cp->root, "dates"), s);
    if (!rec || d->status != date_state_parse(json_string_value(json_object_get(rec, "status"))) ||
        d->published_rows != int_of(rec, "published_rows", -1) ||
        d->published_seq != int_of(rec, "published_seq", 0))
        abort();
    return rec;
}

/* The scan's records against cp's tree: abort on any difference. (A date
 * repeated in the file is the tree's last; the scan keeps both.) */
static void scan_agrees(const scanned_records *r, const checkpoint *cp)
{
    for (size_t i = 0; i < r->n; i++) {
        const scanned_record *x = &r->recs[i];
        int later = 0; /* a later record of the same date is the tree's */
        for (size_t k = i + 1; k < r->n; k++)
            later |= r->recs[k].d.day == x->d.day;
        if (later)
            continue;
        const json_t *rec = same_day(&x->d, cp);
        if (x->read_stamp != int_of(rec, "read_stamp", 0) ||
            x->expected != int_of(rec, "expected", -1) ||
            x->read_seq != int_of(rec, "read_seq", 0) ||
            !same_string(x->error, json_object_get(rec, "error")) ||
            !same_string(x->code, json_object_get(rec, "code")) ||
            !same_string(x->config, json_object_get(rec, "config")) ||
            x->has_raw != (json_object_get(rec, "raw") != NULL))
            abort();
    }
}

/* checkpoint_scan's days against cp's tree, as scan_agrees. */
static void days_agree(const scanned_day *d, size_t n, const checkpoint *cp)
{
    for (size_t i = 0; i < n; i++) {
        int later = 0;
        for (size_t k = i + 1; k < n; k++)
            later |= d[k].day == d[i].day;
        if (!later)
            same_day(&d[i], cp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_write("fuzz.json", data, size))
        return 0;
    checkpoint cp;
    char err[1024];
    scanned_records r;
    int scanned = checkpoint_records(fuzz_dir(), "fuzz", &r) == 0;
    scanned_day *days;
    size_t ndays;
    file_identity id;
    scanned_run run;
    int days_read = checkpoint_scan(fuzz_dir(), "fuzz", &days, &ndays, &id, &run) == 0;
    if (checkpoint_open(&cp, fuzz_dir(), "fuzz", err, sizeof err) != 0) {
        if (scanned || days_read)
            abort(); /* a scan accepted what checkpoint_open refuses */
        return 0;
    }
    if (scanned)
        scan_agrees(&r, &cp);
    if (days_read)
        days_agree(days, ndays, &cp);
    free(days);
    checkpoint_records_free(&r);
    bf_day first = date_from_ymd(2024, 1, 1);
    date_list calendar = {0};
    for (int i = 0; i < 10; i++)
        if (date_list_push(&calendar, first + i) != 0)
            abort();
    date_selection sel = {.is_range = 1, .first = first, .last = first + 9};
    season s = {.start = first, .end = first + 300};
    plan pl;
    if (plan_build(&pl, &calendar, &sel, &s, 1, 2) != 0)
        abort();
    /* As if the judge found every date complete in the store: the file
     * alone decides what is resumed. */
    for (size_t i = 0; i < pl.n; i++)
        pl.dates[i].verdict = STATE_COMPLETE;
    size_t resumed = plan_resume(&pl, &cp, 1, 1);
    if (resumed > pl.expected)
        abort();
    for (size_t i = 0; i < pl.n; i++)
        checkpoint_record(&cp, &pl.dates[i]);
    plan_free(&pl);
    date_list_free(&calendar);
    checkpoint_close(&cp);
    return 0;
}
