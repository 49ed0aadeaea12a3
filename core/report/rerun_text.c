/* rerun_text.c - see rerun_text.h. */
#include "report/rerun_text.h"

void rerun_print_counts(FILE *out, const rerun_list *l)
{
    if (!l->total)
        return;
    fprintf(out, "%zu date%s need%s work", l->total, l->total == 1 ? "" : "s",
            l->total == 1 ? "s" : "");
    const char *sep = ": ";
    for (size_t k = 0; k < rerun_nstates; k++) {
        size_t n = l->by_state[rerun_order[k]].n;
        if (!n)
            continue;
        fprintf(out, "%s%zu %s", sep, n, date_state_name(rerun_order[k]));
        sep = ", ";
    }
}

void rerun_print_groups(FILE *out, const rerun_list *l, const char *indent)
{
    for (size_t k = 0; k < rerun_nstates; k++) {
        const date_list *d = &l->by_state[rerun_order[k]];
        if (!d->n)
            continue;
        fprintf(out, "%s%-12s ", indent, date_state_name(rerun_order[k]));
        for (size_t i = 0; i < d->n; i++) {
            char text[DATE_LEN];
            date_format(d->days[i], text);
            fprintf(out, "%s%s", i ? "," : "", text);
        }
        fputc('\n', out);
    }
}
