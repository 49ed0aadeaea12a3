/* config_fail.c - see config_fail.h. */
#include "config/config_fail.h"

#include <stdarg.h>
#include <stdio.h>

int config_fail(char *err, size_t errlen, const char *path, const config_setting_t *s,
                const char *key, const char *fmt, ...)
{
    int line = s ? (int)config_setting_source_line(s) : 0;
    int n = line ? snprintf(err, errlen, "%s:%d: %s: ", path, line, key)
                 : snprintf(err, errlen, "%s: %s: ", path, key);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
    return -1;
}
