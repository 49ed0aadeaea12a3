/* window.h - the dates a dependency's window covers for one date: the one
 * rule pre-flight, blocking, staleness, raw fingerprints and verify
 * --inputs share. lookback_days N covers [date - N, date];
 * BF_LOOKBACK_SEASON covers [first day of the date's season, date] (the
 * date alone outside every configured season). */
#ifndef BF_WINDOW_H
#define BF_WINDOW_H

#include "base/dates.h"
#include "config/config.h"

/* The first date of the window of lookback_days (a dependency's declared
 * value) for day. Windows never start later for a later day. */
bf_day window_start(int lookback_days, const bf_config *cfg, bf_day day);

/* The widest window lookback_days can cover, in days before the date: N,
 * or for BF_LOOKBACK_SEASON the longest configured season's length. */
int window_widest(int lookback_days, const bf_config *cfg);

/* "N days" or "since the season start", into buf. */
const char *window_name(int lookback_days, char *buf, size_t size);

#endif
