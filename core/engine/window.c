/* window.c - a dependency's window for a date (window.h). */
#include "engine/window.h"

#include <stdio.h>

#include "backfill/plugin.h"

bf_day window_start(int lookback_days, const bf_config *cfg, bf_day day)
{
    if (lookback_days != BF_LOOKBACK_SEASON)
        return day - (lookback_days > 0 ? lookback_days : 0);
    for (int i = 0; cfg && i < cfg->nseasons; i++)
        if (cfg->seasons[i].start <= day && day <= cfg->seasons[i].end)
            return cfg->seasons[i].start;
    return day;
}

int window_widest(int lookback_days, const bf_config *cfg)
{
    if (lookback_days != BF_LOOKBACK_SEASON)
        return lookback_days > 0 ? lookback_days : 0;
    int widest = 0;
    for (int i = 0; cfg && i < cfg->nseasons; i++)
        if (cfg->seasons[i].end - cfg->seasons[i].start > widest)
            widest = cfg->seasons[i].end - cfg->seasons[i].start;
    return widest;
}

const char *window_name(int lookback_days, char *buf, size_t size)
{
    if (lookback_days == BF_LOOKBACK_SEASON)
        snprintf(buf, size, "since the season start");
    else
        snprintf(buf, size, "%d days", lookback_days);
    return buf;
}
