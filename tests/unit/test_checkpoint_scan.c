/* test_checkpoint_scan.c - the scan of a checkpoint without its JSON tree
 * agrees with the tree on every field it reads; it refuses what it does not
 * recognise (and checkpoint_open, which the readers then use, names the
 * fault); the process's kept upstream records, and a summary's scan kept
 * for the processor's own judge, follow a replaced file. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/upstream_facts.h"
#include "state/checkpoint.h"
#include "state/checkpoint_scan.h"
#include "unit.h"

static char base[] = "/tmp/bf-unit-scan.XXXXXX";

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

static void record(checkpoint *cp, const char *date, int status, int64_t rows, int64_t seq)
{
    date_entry e = {.day = day(date), .status = status, .expected = rows, .actual = rows};
    snprintf(e.date, sizeof e.date, "%s", date);
    e.validation_passed = status == STATE_COMPLETE;
    e.attempts = 1;
    e.published_seq = seq;
    e.read_seq = seq - 1;
    checkpoint_record(cp, &e);
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.json", base, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Saves p's checkpoint: a published date, a failed one, a skipped one. */
UNIT_CASE(agrees)
{
    char err[256];
    checkpoint cp;
    CHECK("temp dir", mkdtemp(base) != NULL);
    CHECK("open", checkpoint_open(&cp, base, "p", err, sizeof err) == 0);
    checkpoint_set_builder(&cp, "version 1", "config 1");
    record(&cp, "2024-01-02", STATE_COMPLETE, 7, 1001);
    record(&cp, "2024-01-03", STATE_FAILED, 0, 0);
    record(&cp, "2024-01-01", STATE_SKIPPED, 0, 0);
    json_object_set_new(json_object_get(cp.root, "run"), "exit_code", json_integer(1));
    json_object_set_new(json_object_get(cp.root, "run"), "finished_at",
                        json_string("2024-02-01T00:00:00Z"));
    CHECK("save", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint_close(&cp);

    scanned_day *days = NULL;
    size_t n = 0;
    file_identity id;
    scanned_run run;
    CHECK("scanned", checkpoint_scan(base, "p", &days, &n, &id, &run) == 0 && n == 3);
    CHECK("open again", checkpoint_open(&cp, base, "p", err, sizeof err) == 0);
    int agree = 1;
    for (size_t i = 0; i < n; i++) {
        char d[DATE_LEN];
        date_format(days[i].day, d);
        json_t *rec = json_object_get(json_object_get(cp.root, "dates"), d);
        json_t *rows = json_object_get(rec, "published_rows");
        json_t *seq = json_object_get(rec, "published_seq");
        agree &=
            days[i].status == date_state_parse(json_string_value(json_object_get(rec, "status")));
        agree &= days[i].published_rows == (rows ? json_integer_value(rows) : -1);
        agree &= days[i].published_seq == (seq ? json_integer_value(seq) : 0);
    }
    CHECK("every date as the tree has it", agree);
    const scanned_day *pub = NULL;
    for (size_t i = 0; i < n; i++)
        pub = days[i].day == day("2024-01-02") ? &days[i] : pub;
    CHECK("the published date", pub && pub->published_rows == 7 && pub->published_seq == 1001);
    CHECK("exit code", run.exit_code == 1);
    CHECK_STR("finished at", "2024-02-01T00:00:00Z", run.finished_at);
    checkpoint_close(&cp);
    free(days);
}

UNIT_CASE(refuses)
{
    static const struct {
        const char *text;
        int jansson_refuses;
    } files[] = {
        {"{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":{\"status\"", 1},
        {"{\"processor\":\"q\",\"version\":1,\"dates\":{}}", 1},
        {"{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":{}}}", 1},
        {"{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{}} x", 1},
        {"{\"processor\":\"q\xff\",\"version\":1,\"run\":{},\"dates\":{}}", 1},
        {"{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
         "{\"status\":\"compl\\u0065te\"}}}",
         0},
        {"{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"someday\":"
         "{\"status\":\"complete\"}}}",
         0},
    };
    int scan_refused = 0, open_agrees = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char err[256];
        scanned_day *days = NULL;
        size_t n = 0;
        file_identity id;
        checkpoint cp;
        write_file("q", files[i].text);
        scan_refused += checkpoint_scan(base, "q", &days, &n, &id, NULL) == -1 && !days;
        int opened = checkpoint_open(&cp, base, "q", err, sizeof err) == 0;
        open_agrees +=
            files[i].jansson_refuses ? !opened && strstr(err, "corrupt checkpoint") : opened;
        checkpoint_close(&cp);
    }
    CHECK("the scan refuses every one", scan_refused == 7);
    CHECK("checkpoint_open names the faults, reads the rest", open_agrees == 7);
    scanned_day *days = NULL;
    size_t n = 5;
    file_identity id;
    CHECK("no file", checkpoint_scan(base, "none", &days, &n, &id, NULL) == 1 && !days && n == 0);
}

/* The per-day raw prints ("raw_days") are written once, outside the date
 * lines: the scan still recognises the file, a reopen reads them back, and
 * a change made through checkpoint_raw_days reaches the next save. */
UNIT_CASE(raw_days_kept)
{
    char err[256];
    checkpoint cp;
    CHECK("open", checkpoint_open(&cp, base, "r", err, sizeof err) == 0);
    json_t *all = checkpoint_raw_days(&cp);
    json_t *map = json_object();
    json_object_set_new(map, "2024-01-02", json_string("4:0000000000000001"));
    CHECK("made", all && json_object_set_new(all, "games", map) == 0);
    record(&cp, "2024-01-02", STATE_COMPLETE, 4, 3003);
    CHECK("saved", checkpoint_save(&cp, err, sizeof err) == 0);
    json_object_set_new(json_object_get(checkpoint_raw_days(&cp), "games"), "2024-01-02",
                        json_string("4:0000000000000002 4:0000000000000001"));
    CHECK("saved after a change", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint_close(&cp);
    scanned_day *days = NULL;
    size_t n = 0;
    file_identity id;
    CHECK("the scan recognises it", checkpoint_scan(base, "r", &days, &n, &id, NULL) == 0 &&
                                        n == 1 && days[0].published_seq == 3003);
    free(days);
    CHECK("reopened", checkpoint_open(&cp, base, "r", err, sizeof err) == 0);
    CHECK_STR("the change is what was saved", "4:0000000000000002 4:0000000000000001",
              json_string_value(json_object_get(
                  json_object_get(json_object_get(cp.root, "raw_days"), "games"), "2024-01-02")));
    checkpoint_close(&cp);
}

/* A summary's scan is kept for the processor's own judge only while the
 * file is the one scanned: a file saved since is read anew. */
UNIT_CASE(own_records_follow_the_file)
{
    char err[256];
    checkpoint cp;
    CHECK("open", checkpoint_open(&cp, base, "s", err, sizeof err) == 0);
    record(&cp, "2024-01-02", STATE_COMPLETE, 3, 77);
    checkpoint_set_run(&cp, "exit_code", json_integer(0));
    checkpoint_set_run(&cp, "finished_at", json_string("2024-02-01T00:00:00Z"));
    CHECK("saved", checkpoint_save(&cp, err, sizeof err) == 0);
    scanned_run run;
    bf_day first, last;
    size_t n;
    CHECK("summary: the dates and the last run",
          upstream_facts_summary(base, "s", &run, &first, &last, &n) == 0 && n == 1 &&
              first == day("2024-01-02") && last == first && run.exit_code == 0 &&
              strcmp(run.finished_at, "2024-02-01T00:00:00Z") == 0);
    scanned_records r;
    CHECK("own records, with the last run", upstream_facts_own(base, "s", &r) == 0 && r.n == 1 &&
                                                r.recs[0].d.published_seq == 77 &&
                                                r.run.exit_code == 0);
    checkpoint_records_free(&r);
    CHECK("asked again: read again", upstream_facts_own(base, "s", &r) == 0 && r.n == 1);
    checkpoint_records_free(&r);
    upstream_facts_summary(base, "s", &run, &first, &last, &n);
    record(&cp, "2024-01-03", STATE_COMPLETE, 5, 88);
    CHECK("saved again", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint_close(&cp);
    CHECK("own records after a save: the new file",
          upstream_facts_own(base, "s", &r) == 0 && r.n == 2);
    checkpoint_records_free(&r);
    day_facts days[2];
    table_facts t = {.first = day("2024-01-02"), .ndays = 2, .days = days};
    for (size_t i = 0; i < 2; i++)
        days[i] = (day_facts){.status = -1, .published_rows = -1};
    CHECK("its readers see the new file", upstream_facts_fill(base, "s", &t) == 0 &&
                                              days[1].published_seq == 88 &&
                                              days[1].published_rows == 5);
    CHECK("no file", upstream_facts_own(base, "none", &r) == 1 && r.n == 0);
}

/* Uses the checkpoint "agrees" saved. */
UNIT_CASE(follows_replaced_file)
{
    char err[256];
    day_facts days[3];
    table_facts t = {.first = day("2024-01-01"), .ndays = 3, .days = days};
    for (size_t i = 0; i < 3; i++)
        days[i] = (day_facts){.status = -1, .published_rows = -1};
    CHECK("filled", upstream_facts_fill(base, "p", &t) == 0 && days[1].published_seq == 1001 &&
                        days[2].status == STATE_FAILED && days[0].status == STATE_SKIPPED);
    checkpoint cp;
    CHECK("reopen", checkpoint_open(&cp, base, "p", err, sizeof err) == 0);
    record(&cp, "2024-01-03", STATE_COMPLETE, 4, 2002);
    CHECK("saved again", checkpoint_save(&cp, err, sizeof err) == 0);
    checkpoint_close(&cp);
    CHECK("the new record is read",
          upstream_facts_fill(base, "p", &t) == 0 && days[2].status == STATE_COMPLETE &&
              days[2].published_seq == 2002 && days[2].published_rows == 4);
    write_file("p", "not json");
    CHECK("a corrupt file is left to checkpoint_open", upstream_facts_fill(base, "p", &t) == -1);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    CHECK("cleaned up", system(cmd) == 0);
}

UNIT_MAIN(34, UNIT(agrees), UNIT(refuses), UNIT(raw_days_kept), UNIT(own_records_follow_the_file),
          UNIT(follows_replaced_file))
