/* rerun.c - see rerun.h. */
#include "engine/rerun.h"

#include <string.h>

const int rerun_order[] = {STATE_PARTIAL,    STATE_MISSING,  STATE_BLOCKED, STATE_ORPHANED,
                           STATE_STALE,      STATE_OUTDATED, STATE_FAILED,  STATE_CHECK_FAILED,
                           STATE_UNVERIFIED, STATE_PENDING};
const size_t rerun_nstates = sizeof rerun_order / sizeof rerun_order[0];

int rerun_needs_work(int state)
{
    for (size_t i = 0; i < rerun_nstates; i++)
        if (rerun_order[i] == state)
            return state != STATE_PENDING;
    return 0;
}

void rerun_add(rerun_list *l, int state, bf_day day, int add_pending)
{
    if (state < 0 || state >= STATE_COUNT ||
        !(rerun_needs_work(state) || (add_pending && state == STATE_PENDING)))
        return;
    if (date_list_push(&l->by_state[state], day) != 0)
        l->oom = 1;
    else
        l->total++;
}

void rerun_free(rerun_list *l)
{
    for (int s = 0; s < STATE_COUNT; s++)
        date_list_free(&l->by_state[s]);
    memset(l, 0, sizeof *l);
}

int rerun_all(const rerun_list *l, date_list *out)
{
    for (int s = 0; s < STATE_COUNT; s++)
        for (size_t i = 0; i < l->by_state[s].n; i++)
            if (date_list_push(out, l->by_state[s].days[i]) != 0) {
                date_list_free(out);
                return -1;
            }
    date_list_sort(out);
    return 0;
}

json_t *rerun_json(const rerun_list *l)
{
    json_t *groups = json_object();
    for (size_t k = 0; groups && k < rerun_nstates; k++) {
        const date_list *d = &l->by_state[rerun_order[k]];
        if (!d->n)
            continue;
        json_t *dates = json_array();
        for (size_t i = 0; i < d->n; i++) {
            char text[DATE_LEN];
            date_format(d->days[i], text);
            json_array_append_new(dates, json_string(text));
        }
        json_object_set_new(groups, date_state_name(rerun_order[k]), dates);
    }
    return groups;
}
