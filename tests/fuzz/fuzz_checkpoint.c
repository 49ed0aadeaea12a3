/* fuzz_checkpoint.c - checkpoint_open on a file holding the input, then
 * checkpoint_resume against a plan of ten days (2024-01-01 ... 01-10, the
 * first two bootstrap days) and checkpoint_record of each entry. */
#include <stdlib.h>

#include "engine/plan.h"
#include "state/checkpoint.h"
#include "config/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_write("fuzz.json", data, size))
        return 0;
    checkpoint cp;
    char err[1024];
    if (checkpoint_open(&cp, fuzz_dir(), "fuzz", err, sizeof err) != 0)
        return 0;
    bf_day first = date_from_ymd(2024, 1, 1);
    date_list calendar = {0};
    for (int i = 0; i < 10; i++)
        if (date_list_push(&calendar, first + i) != 0)
            abort();
    date_selection sel = {.is_range = 1, .first = first, .last = first + 9};
    season s = {.start = first, .end = first + 300};
    plan pl;
    if (plan_build(&pl, &calendar, &sel, &s, 1, 2) != 0)
        abort();
    /* As if the judge found every date complete in the store: the file
     * alone decides what is resumed. */
    for (size_t i = 0; i < pl.n; i++)
        pl.dates[i].verdict = STATE_COMPLETE;
    size_t resumed = plan_resume(&pl, &cp, 1, 1);
    if (resumed > pl.expected)
        abort();
    for (size_t i = 0; i < pl.n; i++)
        checkpoint_record(&cp, &pl.dates[i]);
    plan_free(&pl);
    date_list_free(&calendar);
    checkpoint_close(&cp);
    return 0;
}
