/* fuzz_history.c - run_history_read over one event log holding the input.
 * Its scan reads a line without jansson where it can; what it reads must
 * be what jansson reads: one duration per date_committed line whose
 * duration_ms is a number, in the file's order, each the very value. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "state/run_history.h"
#include "fuzz.h"

/* The durations jansson reads from the log at path, line by line, as
 * run_history documents them. */
static size_t by_jansson(const char *path, double *ms, size_t max)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t len = 0, n = 0;
    while (f && getline(&line, &len, f) > 0) {
        if (!strstr(line, "\"date_committed\""))
            continue; /* what run_history passes over unread */
        json_t *ev = json_loads(line, 0, NULL);
        json_t *v = json_object_get(ev, "duration_ms");
        const char *name = json_string_value(json_object_get(ev, "event"));
        if (name && strcmp(name, "date_committed") == 0 && json_is_number(v) && n < max)
            ms[n++] = json_number_value(v);
        json_decref(ev);
    }
    free(line);
    if (f)
        fclose(f);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs", fuzz_dir());
    mkdir(dir, 0700);
    const char *path = fuzz_write("runs/fuzz-20240101T000000Z-1.jsonl", data, size);
    if (!path)
        return 0;
    run_history h;
    if (run_history_read(fuzz_dir(), "fuzz", &h) != 0)
        return 0; /* out of memory */
    double *want = malloc((size / 2 + 1) * sizeof *want);
    if (!want)
        abort();
    size_t n = by_jansson(path, want, size / 2 + 1);
    if (h.n != n || h.runs != (n > 0))
        abort();
    for (size_t i = 0; i < n; i++)
        if (memcmp(&h.ms[i], &want[i], sizeof want[i]) != 0)
            abort();
    free(want);
    run_history_free(&h);
    return 0;
}
