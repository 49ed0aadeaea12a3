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
