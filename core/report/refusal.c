/* refusal.c - what a pre-flight refusal prints after its figures: the ways
 * to go on, each a command to paste. First the commands that fill each
 * blocking upstream (a pipeline over the processors writing them, over the
 * refused run's own dates) or the raw feeds that are late; then the
 * waiver; then running anyway with the gate off, recorded. */
#include "report/refusal.h"

#include <math.h>
#include <string.h>

/* s as one shell word: as it is when plain, else in single quotes. */
static void put_word(FILE *out, const char *s)
{
    if (*s &&
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./,:=+-@%") ==
            strlen(s)) {
        fprintf(out, " %s", s);
        return;
    }
    fputs(" '", out);
    for (const char *p = s; *p; p++)
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fputc(*p, out);
    fputc('\'', out);
}

/* "PROGRAM [-c CONFIG]" and the refused run's dates, as given (resolved). */
static void put_command(FILE *out, const invocation *o, const char *verb)
{
    fprintf(out, "    ");
    fputs(o->program, out);
    if (o->config_path) {
        fputs(" -c", out);
        put_word(out, o->config_path);
    }
    fprintf(out, " %s", verb);
}

static void put_dates(FILE *out, const date_args *o)
{
    if (o->start_date) {
        fputs(" --start-date", out);
        put_word(out, o->start_date);
        fputs(" --end-date", out);
        put_word(out, o->end_date);
    } else if (o->dates) {
        fputs(" --dates", out);
        put_word(out, o->dates);
    } else if (o->dates_file) {
        fputs(" --dates-file", out);
        put_word(out, o->dates_file);
    }
}

/* The processor of g writing dependency k of j's processor, or NULL. */
static const char *writer_of(const job *j, size_t k)
{
    size_t me = graph_find(&j->g, j->p.desc->name);
    if (me == GRAPH_NONE || k >= j->g.nodes[me].p.ndeps)
        return NULL;
    size_t w = j->g.nodes[me].writer[k];
    return w == GRAPH_NONE ? NULL : j->g.nodes[w].name;
}

void refusal_print_fix(FILE *out, const invocation *o, const date_args *d, const job *j)
{
    size_t nwriters = 0;
    fprintf(out, "to go on, one of:\n");
    for (size_t k = 0; k < j->pre.n; k++) {
        const dep_coverage *dc = &j->pre.deps[k];
        if (dc->passed || dc->dep->requirement != BF_REQUIRED || !writer_of(j, k))
            continue;
        if (nwriters++ == 0) {
            fprintf(out, "  fill the upstream (each processor below and what it needs, over "
                         "these dates):\n");
            put_command(out, o, "pipeline --targets ");
        } else {
            fputc(',', out);
        }
        fputs(writer_of(j, k), out);
    }
    if (nwriters) {
        put_dates(out, d);
        fputc('\n', out);
    }
    for (size_t k = 0; k < j->pre.n; k++) {
        const dep_coverage *dc = &j->pre.deps[k];
        if (dc->passed || dc->dep->requirement != BF_REQUIRED || writer_of(j, k))
            continue;
        size_t need = (size_t)ceil(dc->threshold * (double)dc->expected - 1e-9);
        if (dc->table_missing)
            fprintf(out, "  raw table %s does not exist: no processor writes it; load its feed\n",
                    dc->dep->table);
        else
            fprintf(out,
                    "  raw table %s is late (%zu/%zu dates, needs %zu): no processor writes it; "
                    "wait for its feed:\n",
                    dc->dep->table, dc->covered + dc->unverified, dc->expected, need);
        put_command(out, o, "run");
        put_word(out, j->p.desc->name);
        put_dates(out, d);
        fputs(" --wait-for-upstream 2h\n", out);
    }
    fprintf(out,
            "  waive the missing dates: a waivers entry in %s (table, dates, reason,\n"
            "  approved_by, expires); see backfill.conf(5)\n",
            j->cfg->path);
    fprintf(out, "  or run anyway with the gate off (recorded in the checkpoint and event log):\n");
    put_command(out, o, "run");
    put_word(out, j->p.desc->name);
    put_dates(out, d);
    fputs(" --skip-preflight --reason 'WHY'\n", out);
}
