/* config_fail.c - the one error line of a config key, FILE:LINE: KEY: what,
 * shared by config.c, expect.c and waivers.c (a file of its own, so that
 * none of them calls another back). */
#include <stdarg.h>
#include <stdio.h>

#include "config/config.h"

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
