/* test_checkpoint_records.c - the scan of a processor's own checkpoint
 * agrees with its JSON tree on every field the judge reads (escaped
 * errors, raw fingerprints, repeated keys, values of another type); it
 * refuses every truncation of a checkpoint and every file it does not
 * recognise, which checkpoint_open then reads or names. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/checkpoint.h"
#include "state/checkpoint_records.h"
#include "unit.h"

static char base[] = "/tmp/bf-unit-records.XXXXXX";

static void write_file(const char *name, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.json", base, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
}

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

/* Every field of every record of r as cp's tree has it; 1 if all agree. */
static int agree(const scanned_records *r, const checkpoint *cp)
{
    const json_t *dates = json_object_get(cp->root, "dates");
    int ok = r->n == json_object_size(dates);
    for (size_t i = 0; ok && i < r->n; i++) {
        const scanned_record *x = &r->recs[i];
        char d[DATE_LEN];
        date_format(x->d.day, d);
        const json_t *rec = json_object_get(dates, d), *raw = json_object_get(rec, "raw");
        ok &= x->d.status == date_state_parse(json_string_value(json_object_get(rec, "status")));
        ok &= x->d.published_rows == int_of(rec, "published_rows", -1);
        ok &= x->d.published_seq == int_of(rec, "published_seq", 0);
        ok &= x->read_stamp == int_of(rec, "read_stamp", 0);
        ok &= x->expected == int_of(rec, "expected", -1);
        ok &= x->read_seq == int_of(rec, "read_seq", 0);
        ok &= same_string(x->error, json_object_get(rec, "error"));
        ok &= same_string(x->code, json_object_get(rec, "code"));
        ok &= same_string(x->config, json_object_get(rec, "config"));
        ok &= x->has_raw == (raw != NULL);
        size_t strings = 0;
        const char *table;
        json_t *v;
        json_object_foreach((json_t *)raw, table, v)
        {
            if (!json_is_string(v))
                continue;
            int found = 0;
            for (size_t k = 0; k < x->nraw; k++)
                found |= strcmp(r->raw[x->raw_at + k].table, table) == 0 &&
                         same_string(r->raw[x->raw_at + k].text, v);
            ok &= found;
            strings++;
        }
        for (size_t k = 0; k < x->nraw; k++)
            strings += r->raw[x->raw_at + k].text == NULL; /* a repeat that became no string */
        ok &= strings == x->nraw;
    }
    return ok;
}

/* A checkpoint as the writer makes it: a published date with raw inputs,
 * a failed one whose error needs escapes, a skipped one. */
UNIT_CASE(agrees_with_the_tree)
{
    char err[256];
    checkpoint cp;
    CHECK("temp dir", mkdtemp(base) != NULL);
    CHECK("open", checkpoint_open(&cp, base, "p", err, sizeof err) == 0);
    checkpoint_set_builder(&cp, "version 1", "config 7");
    date_entry e = {.status = STATE_COMPLETE, .expected = 7, .actual = 7, .attempts = 1};
    snprintf(e.date, sizeof e.date, "2024-01-02");
    e.published_seq = 1001;
    e.read_seq = 1000;
    e.read_stamp = 35929294199226475;
    e.raw = json_pack("{s:s, s:s}", "schedule", "2:64548b6318f8d889", "raw \"x\"", "5:ff");
    checkpoint_record(&cp, &e);
    json_decref(e.raw);
    date_entry f = {.status = STATE_FAILED, .expected = 3, .attempts = 2};
    snprintf(f.date, sizeof f.date, "2024-01-03");
    f.error = "near \"FROM\": syntax error\n\tat line 2 \\ é";
    checkpoint_record(&cp, &f);
    date_entry s = {.status = STATE_SKIPPED};
    snprintf(s.date, sizeof s.date, "2024-01-01");
    checkpoint_record(&cp, &s);
    CHECK("save", checkpoint_save(&cp, err, sizeof err) == 0);
    scanned_records r;
    CHECK("scanned", checkpoint_records(base, "p", &r) == 0 && r.n == 3);
    CHECK("every field as the tree has it", agree(&r, &cp));
    const scanned_record *failed = NULL;
    for (size_t i = 0; i < r.n; i++)
        failed = r.recs[i].d.status == STATE_FAILED ? &r.recs[i] : failed;
    CHECK_STR("the error, unescaped", "near \"FROM\": syntax error\n\tat line 2 \\ é",
              failed ? failed->error : "");
    checkpoint_close(&cp);
    checkpoint_records_free(&r);
    CHECK("no file", checkpoint_records(base, "none", &r) == 1 && r.n == 0 && !r.text);
}

/* Hand-made records: jansson's answer for repeated keys and values of
 * another type is the scan's. */
UNIT_CASE(odd_values_as_jansson_reads_them)
{
    static const char text[] =
        "{\"processor\":\"q\",\"version\":1,\"run\":{\"x\":[1,{}]},\"dates\":{\n"
        "\"2024-01-01\":{\"status\":\"complete\",\"published_rows\":2.5,\"published_seq\":7,"
        "\"expected\":\"3\",\"error\":5,\"code\":null,\"config\":\"c\",\"config\":\"d\\/e\","
        "\"raw\":{\"a\":\"1:2\",\"b\":3,\"a\":\"4:5\",\"c\":\"6:7\",\"c\":false}},\n"
        "\"2024-01-02\":{\"status\":\"failed\",\"status\":\"complete\",\"raw\":[\"a\"],"
        "\"read_seq\":-12,\"read_seq\":1e3,\"extra\":{\"deep\":[[[]]]}}}}";
    char err[256];
    checkpoint cp;
    scanned_records r;
    write_file("q", text, sizeof text - 1);
    CHECK("scanned", checkpoint_records(base, "q", &r) == 0 && r.n == 2);
    CHECK("the tree reads it", checkpoint_open(&cp, base, "q", err, sizeof err) == 0);
    CHECK("every field as the tree has it", agree(&r, &cp));
    CHECK("a repeated raw table keeps its last value",
          r.n == 2 && r.recs[0].nraw == 2 && strcmp(r.raw[r.recs[0].raw_at].text, "4:5") == 0);
    checkpoint_close(&cp);
    checkpoint_records_free(&r);
}

/* Every prefix of a valid checkpoint is refused by the scan (and by
 * checkpoint_open), with nothing left allocated. */
UNIT_CASE(refuses_every_truncation)
{
    char path[256];
    snprintf(path, sizeof path, "%s/p.json", base);
    FILE *f = fopen(path, "r");
    char whole[8192];
    size_t len = f ? fread(whole, 1, sizeof whole, f) : 0;
    if (f)
        fclose(f);
    CHECK("read the saved file", len > 100 && len < sizeof whole);
    size_t refused = 0, open_refused = 0;
    for (size_t cut = 0; cut < len - 1; cut++) { /* the last byte is a newline */
        char err[256];
        checkpoint cp;
        scanned_records r;
        write_file("t", whole, cut);
        refused += checkpoint_records(base, "t", &r) == -1 && !r.text && !r.recs && !r.raw;
        open_refused += checkpoint_open(&cp, base, "t", err, sizeof err) != 0;
        checkpoint_close(&cp);
    }
    CHECK("the scan refuses every truncation", refused == len - 1);
    CHECK("so does checkpoint_open", open_refused == len - 1);
}

UNIT_CASE(refuses_the_unrecognised)
{
    static const char *const files[] = {
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":{}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"error\":\"a\\u0000b\"}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"raw\":{\"t\\ud800\":\"1:2\"}}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-13-01\":"
        "{\"status\":\"complete\"}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":[],\"dates\":{}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"published_rows\":99999999999999999999}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"expected\":1e999}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"error\":\"\x01\"}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"code\":\"\xc3\x28\"}}}",
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{}}{}",
        "",
    };
    size_t n = sizeof files / sizeof files[0], refused = 0;
    for (size_t i = 0; i < n; i++) {
        scanned_records r;
        write_file("u", files[i], strlen(files[i]));
        refused += checkpoint_records(base, "u", &r) == -1 && !r.text;
    }
    CHECK("the scan refuses every one", refused == n);
    /* A backslash before a NUL byte is no escape, though strchr finds a NUL. */
    static const char nul[] =
        "{\"processor\":\"q\",\"version\":1,\"run\":{},\"dates\":{\"2024-01-01\":"
        "{\"status\":\"complete\",\"error\":\"a\\\0b\"}}}";
    scanned_records rn;
    write_file("u", nul, sizeof nul - 1);
    CHECK("a backslash before a NUL byte: refused",
          checkpoint_records(base, "u", &rn) == -1 && !rn.text);
    char path[256];
    snprintf(path, sizeof path, "%s/fifo.json", base);
    scanned_records r;
    CHECK("a FIFO is not read",
          mkfifo(path, 0600) == 0 && checkpoint_records(base, "fifo", &r) == -1);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    CHECK("cleaned up", system(cmd) == 0);
}

UNIT_MAIN(18, UNIT(agrees_with_the_tree), UNIT(odd_values_as_jansson_reads_them),
          UNIT(refuses_every_truncation), UNIT(refuses_the_unrecognised))
