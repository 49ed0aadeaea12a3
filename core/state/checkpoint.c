/* checkpoint.c - the JSON checkpoint and its atomic replacement. */
#include "state/checkpoint.h"

#include "base/files.h"
#include "base/jsontext.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int checkpoint_mkdirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0755) == 0)
        return 0;
    struct stat st; /* EEXIST is fine only if it is a directory */
    return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Every part checkpoint_open and the writer always put in ("processor",
 * "version", "run", "dates") must be there with its type, and every date
 * record must say what state the date is in: a checkpoint that does not is
 * refused whole rather than half-read (without "run", every later save
 * would fail on the missing object). */
static const char *check_shape(const json_t *root, char *why, size_t whylen)
{
    static const struct {
        const char *key;
        json_type type;
        const char *kind;
    } parts[] = {{"processor", JSON_STRING, "a string"},
                 {"version", JSON_INTEGER, "an integer"},
                 {"run", JSON_OBJECT, "an object"},
                 {"dates", JSON_OBJECT, "an object"}};
    if (!json_is_object(root))
        return "not a JSON object";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const json_t *v = json_object_get(root, parts[i].key);
        if (!v || json_typeof(v) != parts[i].type) {
            if (v)
                snprintf(why, whylen, "\"%s\" is not %s", parts[i].key, parts[i].kind);
            else
                snprintf(why, whylen, "no \"%s\" %s", parts[i].key,
                         parts[i].type == JSON_OBJECT ? "object" : "field");
            return why;
        }
    }
    const char *date;
    json_t *rec;
    json_object_foreach((json_t *)json_object_get(root, "dates"), date, rec)
    {
        if (date_state_parse(json_string_value(json_object_get(rec, "status"))) < 0) {
            snprintf(why, whylen, "date \"%.40s\" has no valid \"status\"", date);
            return why;
        }
    }
    return NULL;
}

/* json_load_callback's source: the file in large reads. (json_loadfd reads
 * one byte per call: 890,000 system calls for a four-season checkpoint.) */
static size_t read_chunk(void *buffer, size_t buflen, void *data)
{
    ssize_t n;
    do
        n = read(*(int *)data, buffer, buflen);
    while (n < 0 && errno == EINTR);
    return n < 0 ? (size_t)-1 : (size_t)n;
}

int checkpoint_open(checkpoint *cp, const char *state_dir, const char *processor, char *err,
                    size_t errlen)
{
    memset(cp, 0, sizeof *cp);
    if (asprintf(&cp->path, "%s/%s.json", state_dir, processor) < 0) {
        cp->path = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    file_remove_stale_temps(cp->path);
    int fd = file_open_regular(cp->path, O_RDONLY | O_NOFOLLOW, 0, err, errlen);
    if (fd >= 0) {
        json_error_t je;
        char why[128];
        cp->root = json_load_callback(read_chunk, &fd, 0, &je);
        close(fd);
        const char *bad = cp->root ? check_shape(cp->root, why, sizeof why) : je.text;
        if (bad) {
            snprintf(err, errlen,
                     "%s:%d: corrupt checkpoint: %s (move it aside and run with --no-resume)",
                     cp->path, cp->root ? 1 : je.line, bad);
            checkpoint_close(cp);
            return -1;
        }
        return 0;
    }
    if (errno != ENOENT) {
        checkpoint_close(cp);
        return -1;
    }
    if (errlen)
        err[0] = '\0'; /* no file yet is no error: a fresh checkpoint */
    cp->root =
        json_pack("{s:s, s:i, s:{}, s:{}}", "processor", processor, "version", 1, "run", "dates");
    if (!cp->root) {
        snprintf(err, errlen, "out of memory");
        checkpoint_close(cp);
        return -1;
    }
    return 0;
}

void checkpoint_close(checkpoint *cp)
{
    json_decref(cp->lines);
    json_decref(cp->root);
    free(cp->path);
    free(cp->raw_text);
    memset(cp, 0, sizeof *cp);
}

void checkpoint_set_builder(checkpoint *cp, const char *code, const char *config)
{
    snprintf(cp->code, sizeof cp->code, "%s", code ? code : "");
    snprintf(cp->config, sizeof cp->config, "%s", config ? config : "");
}

/* Remember the first change that could not be made: the next save writes
 * what it has and reports it. */
static void lost(checkpoint *cp, const char *what)
{
    if (!cp->lost[0])
        snprintf(cp->lost, sizeof cp->lost, "%s: out of memory recording %s", cp->path, what);
}

void checkpoint_record(checkpoint *cp, const date_entry *e)
{
    json_t *dates = json_object_get(cp->root, "dates");
    json_t *old = json_object_get(dates, e->date);
    json_t *rec = json_pack(
        "{s:s, s:I, s:I, s:f, s:b, s:i, s:f, s:s?}", "status", date_state_name(e->status),
        "expected", (json_int_t)e->expected, "actual", (json_int_t)e->actual, "completeness",
        record_completeness(e->expected, e->actual), "validation_passed", e->validation_passed,
        "attempts", e->attempts, "duration_ms", e->duration_ms, "error", e->error);
    if (!rec) {
        lost(cp, e->date);
        return;
    }
    int failed = e->checks && json_object_set(rec, "checks", e->checks) != 0;
    /* What is published: this run's publish, or the one before it, which a
     * failed attempt left in place. */
    static const char *const published[] = {"published_rows", "published_seq", "read_stamp", "code",
                                            "config",         "raw",           "read_seq"};
    if (e->status == STATE_COMPLETE && e->published_seq) {
        failed |= json_object_set_new(rec, published[0], json_integer(e->actual)) != 0;
        failed |= json_object_set_new(rec, published[1], json_integer(e->published_seq)) != 0;
        failed |= json_object_set_new(rec, published[2], json_integer(e->read_stamp)) != 0;
        if (cp->code[0])
            failed |= json_object_set_new(rec, published[3], json_string(cp->code)) != 0;
        if (cp->config[0])
            failed |= json_object_set_new(rec, published[4], json_string(cp->config)) != 0;
        if (e->raw)
            failed |= json_object_set(rec, published[5], e->raw) != 0;
        if (e->read_seq)
            failed |= json_object_set_new(rec, published[6], json_integer(e->read_seq)) != 0;
    } else {
        for (size_t i = 0; i < 7; i++) {
            json_t *v = json_object_get(old, published[i]);
            if (v)
                failed |= json_object_set(rec, published[i], v) != 0;
        }
    }
    if (cp->lines)
        json_object_del(cp->lines, e->date); /* made again at the next save */
    if (json_object_set_new(dates, e->date, rec) != 0 || failed)
        lost(cp, e->date);
}

json_t *checkpoint_raw_days(checkpoint *cp)
{
    json_t *days = json_object_get(cp->root, "raw_days");
    if (!json_is_object(days)) {
        days = json_object();
        if (!days || json_object_set_new(cp->root, "raw_days", days) != 0)
            return NULL;
    }
    free(cp->raw_text); /* the caller changes it */
    cp->raw_text = NULL;
    return days;
}

void checkpoint_set_run(checkpoint *cp, const char *key, json_t *value)
{
    if (json_object_set_new(json_object_get(cp->root, "run"), key, value) != 0)
        lost(cp, key);
}

typedef struct date_line {
    const char *date, *text; /* text: "date":{...}, one line of JSON */
    size_t len;
} date_line;

static int by_date(const void *a, const void *b)
{
    return strcmp(((const date_line *)a)->date, ((const date_line *)b)->date);
}

/* The line of date's record: the one made for an earlier save if the
 * record has not changed since, else made now and kept. Its keys keep
 * their order (status first, as checkpoint_record puts them; a loaded
 * record's as in the file). -1: out of memory. */
static int line_of(checkpoint *cp, const char *date, json_t *rec, date_line *out)
{
    json_t *line = json_object_get(cp->lines, date);
    if (!line) {
        json_t *one = json_object();
        size_t n = 0;
        char *text =
            one && json_object_set(one, date, rec) == 0 ? json_text(one, JSON_COMPACT, &n) : NULL;
        json_decref(one);
        /* {"date":{...}}\n without its outer braces and the newline */
        line = text ? json_stringn_nocheck(text + 1, n - 3) : NULL;
        free(text);
        if (!line || json_object_set_new(cp->lines, date, line) != 0)
            return -1;
    }
    out->date = date;
    out->text = json_string_value(line);
    out->len = json_string_length(line);
    return 0;
}

/* The document: everything but the dates as jansson writes it, then
 * "dates" with one line per date in date order. NULL: out of memory. */
static char *document(checkpoint *cp, size_t *len)
{
    json_t *dates = json_object_get(cp->root, "dates");
    size_t n = json_object_size(dates), k = 0, toplen = 0, total = 0;
    date_line *lines = malloc((n ? n : 1) * sizeof *lines);
    /* Every key of root but "dates" and "raw_days", each set checked:
     * json_copy ignores a set that fails for want of memory, and would drop
     * "run". "raw_days" is large and changes once a run: made once. */
    json_t *head = json_object(), *value, *raw = json_object_get(cp->root, "raw_days");
    int ok = head != NULL;
    const char *key;
    json_object_foreach(cp->root, key, value)
    {
        if (ok && strcmp(key, "dates") != 0 && strcmp(key, "raw_days") != 0)
            ok = json_object_set(head, key, value) == 0;
    }
    size_t rawlen = 0;
    if (raw && !cp->raw_text)
        cp->raw_text = json_text(raw, JSON_COMPACT | JSON_SORT_KEYS, &rawlen);
    if (raw && !cp->raw_text)
        ok = 0;
    rawlen = cp->raw_text && raw ? strlen(cp->raw_text) : 0;
    char *top = ok ? json_text(head, JSON_COMPACT | JSON_SORT_KEYS, &toplen) : NULL;
    char *doc = NULL;
    if (!cp->lines)
        cp->lines = json_object();
    if (!lines || !top || !cp->lines)
        goto out;
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        if (line_of(cp, date, rec, &lines[k]) != 0)
            goto out;
        total += lines[k++].len + 2;
    }
    qsort(lines, n, sizeof *lines, by_date);
    /* top is "{...}\n": its closing brace gives way to the dates. */
    doc = malloc(toplen + rawlen + total + 48);
    if (!doc)
        goto out;
    char *p = doc;
    memcpy(p, top, toplen - 2);
    p += toplen - 2;
    if (rawlen) {
        p += sprintf(p, "%s\"raw_days\":", json_object_size(head) ? "," : "");
        memcpy(p, cp->raw_text, rawlen - 1); /* without its newline */
        p += rawlen - 1;
    }
    p += sprintf(p, "%s\"dates\":{\n", json_object_size(head) || rawlen ? "," : "");
    for (k = 0; k < n; k++) {
        memcpy(p, lines[k].text, lines[k].len);
        p += lines[k].len;
        p += sprintf(p, "%s\n", k + 1 < n ? "," : "");
    }
    p += sprintf(p, "}}\n");
    *len = (size_t)(p - doc);
out:
    json_decref(head);
    free(top);
    free(lines);
    return doc;
}

int checkpoint_save(checkpoint *cp, char *err, size_t errlen)
{
    size_t len;
    char *doc = document(cp, &len);
    if (!doc) {
        snprintf(err, errlen, "%s: could not be saved (out of memory); the previous file is kept",
                 cp->path);
        cp->failed_saves++;
        return -1;
    }
    int rc = file_replace(cp->path, doc, len, err, errlen);
    free(doc);
    if (rc == 0 && cp->lost[0]) {
        snprintf(err, errlen, "%s", cp->lost);
        rc = -1;
    }
    if (rc != 0) {
        cp->failed_saves++;
    } else if (cp->failed_saves) {
        log_info("%s: saved on retry (%d earlier save%s failed; nothing was lost)", cp->path,
                 cp->failed_saves, cp->failed_saves == 1 ? "" : "s");
        cp->failed_saves = 0;
    }
    return rc;
}
