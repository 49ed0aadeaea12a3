/* names.c - see names.h. */
#include "base/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int name_is_identifier(const char *s)
{
    int dots = 0;
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (++dots > 1 || !(isalpha((unsigned char)p[1]) || p[1] == '_'))
                return 0;
        } else if (!(isalnum((unsigned char)*p) || *p == '_')) {
            return 0;
        }
    }
    return 1;
}

char *name_resolve_path(const char *dir, const char *p)
{
    char *out = NULL;
    if (p[0] == '/')
        return strdup(p);
    if (asprintf(&out, "%s/%s", dir, p) < 0)
        return NULL;
    return out;
}

/* Edit distance of a and b, a swap of two neighbours counting one (optimal
 * string alignment); words over 64 letters count as far. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[65][65];
    if (la > 64 || lb > 64)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *name_nearest(const char *word, const char *const *candidates, size_t n)
{
    size_t limit = strlen(word) / 3 > 1 ? strlen(word) / 3 : 1, best = limit + 1;
    const char *near = NULL;
    for (size_t i = 0; i < n; i++) {
        /* A prefix of three letters or more is as good as one typo. */
        int prefix = strlen(word) >= 3 && strncmp(candidates[i], word, strlen(word)) == 0;
        size_t d = prefix ? 1 : distance(word, candidates[i]);
        if (d < best) {
            best = d;
            near = candidates[i];
        }
    }
    return near;
}
