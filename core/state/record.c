/* record.c - see record.h. */
#include "state/record.h"

#include <string.h>

static const char *const status_names[DATE_STATUS_COUNT] = {"pending", "complete", "incomplete",
                                                            "failed",  "blocked",  "skipped"};

const char *date_status_name(int status)
{
    return status >= 0 && status < DATE_STATUS_COUNT ? status_names[status] : "unknown";
}

int date_status_parse(const char *name)
{
    for (int i = 0; name && i < DATE_STATUS_COUNT; i++)
        if (strcmp(status_names[i], name) == 0)
            return i;
    return -1;
}

double record_completeness(int64_t expected, int64_t actual)
{
    return expected > 0 ? (double)actual / (double)expected : 1.0;
}
