/* jsontext.c - json_dump_callback into a buffer whose first failure is
 * final, so jansson stops at its next write. */
#include "base/jsontext.h"

#include <stdlib.h>
#include <string.h>

typedef struct text {
    char *buf;
    size_t len, cap;
    int failed;
} text;

static int append(const char *bytes, size_t n, void *udata)
{
    text *t = udata;
    if (!t->failed && t->len + n + 2 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 2)
            cap *= 2;
        char *buf = realloc(t->buf, cap);
        if (buf) {
            t->buf = buf;
            t->cap = cap;
        } else {
            t->failed = 1;
        }
    }
    if (t->failed)
        return -1;
    memcpy(t->buf + t->len, bytes, n);
    t->len += n;
    return 0;
}

char *json_text(const json_t *json, size_t flags, size_t *len)
{
    text t = {0};
    if (json_dump_callback(json, append, &t, flags) != 0 || append("\n", 1, &t) != 0) {
        free(t.buf);
        return NULL;
    }
    t.buf[t.len] = '\0'; /* append keeps room for it */
    if (len)
        *len = t.len;
    return t.buf;
}

const char *json_string_or(const json_t *o, const char *key, const char *otherwise)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : otherwise;
}
