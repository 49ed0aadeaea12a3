/* clock.h - monotonic seconds, for durations and rates. */
#ifndef BF_CLOCK_H
#define BF_CLOCK_H

#include <time.h>

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
