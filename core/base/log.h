/* log.h - stderr logging attributed to the processor and date the calling
 * thread is working on. */
#ifndef BF_LOG_H
#define BF_LOG_H

#include <stdarg.h>
#include <stdio.h>

#include "backfill/plugin.h" /* BF_LOG_* levels */

/* Lines above this level are dropped: BF_LOG_WARN with -q, BF_LOG_DEBUG
 * with -v, BF_LOG_INFO otherwise. Set once before threads start. */
void log_set_level(int level);
int log_level(void);

/* The calling thread's current processor and date (either may be NULL).
 * The strings are borrowed and must outlive the scope. */
void log_set_scope(const char *processor, const char *date);

/* The calling thread's lines go to sink instead of stderr (NULL: stderr
 * again): a command judging on several threads keeps each job's lines
 * and writes them out in its own order. The sink is borrowed. */
void log_capture(FILE *sink);

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void log_msg(int level, const char *fmt, ...);
void log_vmsg(int level, const char *fmt, va_list ap);

#define log_error(...) log_msg(BF_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(BF_LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(BF_LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(BF_LOG_DEBUG, __VA_ARGS__)

#endif
