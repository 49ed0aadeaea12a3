/* replay.c - run a fuzz target over its committed corpus without libFuzzer:
 * one "ok - TARGET: FILE" line per input, after a plan line. A crash or an
 * abort ends the program, which tests/run.sh reports as a failure.
 *   replay [FILE|DIR ...]   default: CORPUS_DIR, set at build time */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_input(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("not ok - %s: cannot open\n", path);
        return 1;
    }
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf) {
        printf("not ok - %s: out of memory\n", path);
        return 1;
    }
    /* libFuzzer hands the target a buffer of exactly the input's size. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        printf("not ok - %s: out of memory\n", path);
        return 1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    const char *base = strrchr(path, '/');
    printf("ok - %s: %s\n", TARGET, base ? base + 1 : path);
    return 0;
}

int main(int argc, char **argv)
{
    const char *fallback[] = {CORPUS_DIR};
    const char **args = argc > 1 ? (const char **)argv + 1 : fallback;
    int nargs = argc > 1 ? argc - 1 : 1;
    struct dirent **names[nargs];
    int counts[nargs], total = 0, failed = 0;
    for (int i = 0; i < nargs; i++) {
        struct stat st;
        names[i] = NULL;
        counts[i] = 1;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
            counts[i] = scandir(args[i], &names[i], is_input, by_name);
        if (counts[i] < 1) {
            printf("1..1\nnot ok - %s: no inputs\n", args[i]);
            return 1;
        }
        total += counts[i];
    }
    printf("1..%d\n", total);
    fflush(stdout);
    for (int i = 0; i < nargs; i++) {
        if (!names[i]) {
            failed += replay_file(args[i]);
            continue;
        }
        for (int k = 0; k < counts[i]; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", args[i], names[i][k]->d_name);
            free(names[i][k]);
            failed += replay_file(path);
            fflush(stdout);
        }
        free(names[i]);
    }
    return failed ? 1 : 0;
}
