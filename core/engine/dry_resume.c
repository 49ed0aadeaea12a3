/* dry_resume.c - see dry_resume.h. */
#include "engine/dry_resume.h"

#include "engine/judge_cache.h"
#include "state/record.h"

size_t dry_resume(plan *pl, const judgement *jg, int keep_stale, int keep_outdated)
{
    size_t n = 0;
    for (size_t i = 0; i < pl->n; i++) {
        date_entry *e = &pl->dates[i];
        if (e->status != STATE_PENDING ||
            (e->verdict != STATE_COMPLETE && !(keep_stale && e->verdict == STATE_STALE) &&
             !(keep_outdated && e->verdict == STATE_OUTDATED)))
            continue;
        const day_facts *f = judge_day_at(&jg->own, e->day);
        if (!f || f->status != STATE_COMPLETE)
            continue;
        e->status = STATE_COMPLETE;
        e->resumed = 1;
        e->expected = f->expected < 0 ? 0 : f->expected; /* as the tree's default */
        e->validation_passed = 1;
        n++;
    }
    return n;
}
