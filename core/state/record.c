/* record.c - see record.h. */
#include "state/record.h"

#include <string.h>

/* The stable names (README "Date states"); tests/e2e/test_readme.sh reads
 * this table. */
static const char *const state_names[STATE_COUNT] = {
    "pending",  "complete", "partial",    "missing",      "blocked",  "skipped", "stale",
    "orphaned", "failed",   "unverified", "check-failed", "outdated", "waived"};

/* Names older checkpoints wrote, and the state each is now. */
static const struct {
    const char *name;
    int state;
} old_names[] = {{"incomplete", STATE_PARTIAL}, {"unjudged", STATE_PENDING}};

const char *date_state_name(int state)
{
    return state >= 0 && state < STATE_COUNT ? state_names[state] : "unknown";
}

int date_state_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < STATE_COUNT; i++)
        if (strcmp(state_names[i], name) == 0)
            return i;
    for (size_t i = 0; i < sizeof old_names / sizeof old_names[0]; i++)
        if (strcmp(old_names[i].name, name) == 0)
            return old_names[i].state;
    return -1;
}

double record_completeness(int64_t expected, int64_t actual)
{
    return expected > 0 ? (double)actual / (double)expected : 1.0;
}
