/* clock.h - monotonic seconds, for durations and rates. */
#ifndef BF_CLOCK_H
#define BF_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Now, as "2026-01-05T12:00:00Z", into out (at least 21 bytes). */
static inline void clock_utc_iso(char *out, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

static inline double clock_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double clock_now_ms(void)
{
    return clock_now_s() * 1e3;
}

#endif
