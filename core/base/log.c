/* log.c - one line per message on stderr, written with a single call so
 * lines from concurrent workers never interleave, the message made safe
 * for a terminal by safetext. */
#include "base/log.h"

#include <stdio.h>
#include <string.h>

#include "base/safetext.h"

static int max_level = BF_LOG_INFO;
static _Thread_local const char *scope_processor;
static _Thread_local const char *scope_date;
static _Thread_local FILE *sink;

void log_set_level(int level)
{
    max_level = level;
}
int log_level(void)
{
    return max_level;
}

void log_set_scope(const char *processor, const char *date)
{
    scope_processor = processor;
    scope_date = date;
}

void log_capture(FILE *to)
{
    sink = to;
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level > max_level)
        return;
    char line[2048];
    int n = snprintf(line, sizeof line, "backfill: %s: ", names[level]);
    if (scope_processor && n < (int)sizeof line)
        n += snprintf(line + n, sizeof line - n, "%s%s%s: ", scope_processor, scope_date ? " " : "",
                      scope_date ? scope_date : "");
    /* The message may carry a plugin's or a store's text: it reaches the
     * terminal only through safetext (no escape sequence, no raw byte). */
    char raw[2048];
    vsnprintf(raw, sizeof raw, fmt, ap);
    if (n < (int)sizeof line - 1)
        n += (int)strlen(safetext(line + n, sizeof line - 1 - n, raw));
    if (n >= (int)sizeof line - 1)
        n = sizeof line - 2;
    line[n] = '\n';
    fwrite(line, 1, n + 1, sink ? sink : stderr);
}

void log_msg(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
