/* checkpoint.c - the JSON checkpoint and its atomic replacement. */
#include "checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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

int checkpoint_open(checkpoint *cp, const char *state_dir, const char *processor, char *err,
                    size_t errlen)
{
    memset(cp, 0, sizeof *cp);
    if (asprintf(&cp->path, "%s/%s.json", state_dir, processor) < 0) {
        cp->path = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (access(cp->path, F_OK) == 0) {
        json_error_t je;
        cp->root = json_load_file(cp->path, 0, &je);
        if (!cp->root || !json_is_object(cp->root) ||
            !json_is_object(json_object_get(cp->root, "dates"))) {
            snprintf(err, errlen, "%s:%d: corrupt checkpoint: %s (move it away to start over)",
                     cp->path, cp->root ? 1 : je.line, cp->root ? "no \"dates\" object" : je.text);
            checkpoint_close(cp);
            return -1;
        }
        return 0;
    }
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
    json_decref(cp->root);
    free(cp->path);
    memset(cp, 0, sizeof *cp);
}

static int64_t get_int(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

size_t checkpoint_resume(const checkpoint *cp, plan *pl, int keep_stale)
{
    json_t *dates = json_object_get(cp->root, "dates");
    size_t n = 0;
    for (size_t i = 0; i < pl->n; i++) {
        date_entry *e = &pl->dates[i];
        json_t *rec = json_object_get(dates, e->date);
        const char *status = json_string_value(json_object_get(rec, "status"));
        if (e->status != DATE_PENDING || !status || date_status_parse(status) != DATE_COMPLETE ||
            (e->verdict != STATE_COMPLETE && !(keep_stale && e->verdict == STATE_STALE)))
            continue;
        e->status = DATE_COMPLETE;
        e->resumed = 1;
        e->expected = get_int(rec, "expected");
        e->actual = get_int(rec, "actual");
        e->attempts = (int)get_int(rec, "attempts");
        e->duration_ms = json_number_value(json_object_get(rec, "duration_ms"));
        e->validation_passed = 1;
        n++;
    }
    return n;
}

void checkpoint_record(checkpoint *cp, const date_entry *e)
{
    json_t *dates = json_object_get(cp->root, "dates");
    json_t *old = json_object_get(dates, e->date);
    json_t *rec = json_pack(
        "{s:s, s:I, s:I, s:f, s:b, s:i, s:f, s:s?}", "status", date_status_name(e->status),
        "expected", (json_int_t)e->expected, "actual", (json_int_t)e->actual, "completeness",
        plan_completeness(e->expected, e->actual), "validation_passed", e->validation_passed,
        "attempts", e->attempts, "duration_ms", e->duration_ms, "error", e->error);
    if (!rec)
        return;
    if (e->checks)
        json_object_set(rec, "checks", e->checks);
    /* What is published: this run's publish, or the one before it, which a
     * failed attempt left in place. */
    static const char *const published[] = {"published_rows", "published_seq", "read_stamp"};
    if (e->status == DATE_COMPLETE && e->published_seq) {
        json_object_set_new(rec, published[0], json_integer(e->actual));
        json_object_set_new(rec, published[1], json_integer(e->published_seq));
        json_object_set_new(rec, published[2], json_integer(e->read_stamp));
    } else {
        for (size_t i = 0; i < 3; i++) {
            json_t *v = json_object_get(old, published[i]);
            if (v)
                json_object_set(rec, published[i], v);
        }
    }
    json_object_set_new(dates, e->date, rec);
}

void checkpoint_set_run(checkpoint *cp, const char *key, json_t *value)
{
    json_object_set_new(json_object_get(cp->root, "run"), key, value);
}

int checkpoint_save(checkpoint *cp, char *err, size_t errlen)
{
    char *tmp = NULL, *dircopy = NULL;
    int fd = -1, rc = -1;
    if (asprintf(&tmp, "%s.tmp.%ld", cp->path, (long)getpid()) < 0) {
        tmp = NULL;
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    if (json_dumpfd(cp->root, fd, JSON_INDENT(1) | JSON_SORT_KEYS) != 0 ||
        write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, cp->path) != 0) {
        snprintf(err, errlen, "%s: %s", cp->path, strerror(errno));
        goto out;
    }
    /* The rename is durable only once the directory entry is. */
    dircopy = strdup(cp->path);
    int dfd = dircopy ? open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (rc != 0 && tmp)
        unlink(tmp);
    free(tmp);
    free(dircopy);
    return rc;
}
