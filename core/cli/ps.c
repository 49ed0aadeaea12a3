/* ps.c - the `ps` command: the runs in progress on this store, as the
 * runs' own files in state_dir say (their locks and event logs). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "state/runs_active.h"

static json_t *run_json(const active_run *r)
{
    return json_pack(
        "{s:s, s:s, s:s?, s:s?, s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:s?, s:s?}", "processor",
        r->processor, "state", r->state, "first", r->first[0] ? r->first : NULL, "last",
        r->last[0] ? r->last : NULL, "dates", (json_int_t)r->dates, "to_run", (json_int_t)r->to_run,
        "done", (json_int_t)r->done, "failed", (json_int_t)r->failed, "started", r->since, "pid",
        (json_int_t)r->pid, "host", r->host, "waiting_for",
        r->waiting_for[0] ? r->waiting_for : NULL, "event_log", r->log[0] ? r->log : NULL);
}

static void print_text(const active_run *runs, size_t n, const char *state_dir)
{
    if (!n) {
        printf("no runs in progress (state_dir %s)\n", state_dir);
        return;
    }
    printf("%-30s %-8s %-22s %9s %6s  %-20s  %s\n", "processor", "state", "range", "done/todo",
           "failed", "started", "pid@host");
    for (size_t i = 0; i < n; i++) {
        const active_run *r = &runs[i];
        char range[40] = "-", done[32] = "-";
        if (r->first[0])
            snprintf(range, sizeof range, "%s..%s", r->first, r->last);
        if (r->to_run >= 0)
            snprintf(done, sizeof done, "%ld/%ld", r->done, r->to_run);
        printf("%-30s %-8s %-22s %9s %6ld  %-20s  %ld@%s\n", r->processor, r->state, range, done,
               r->failed, r->since, r->pid, r->host);
        if (r->waiting_for[0])
            printf("  waiting for upstream: %s\n", r->waiting_for);
        if (r->log[0])
            printf("  log: %s\n", r->log);
    }
}

int cmd_ps(const cli_options *o, const bf_config *cfg)
{
    active_run *runs = NULL;
    size_t n = 0;
    char err[1024];
    if (runs_active(cfg->state_dir, &runs, &n, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, run_json(&runs[i]));
        json_t *doc = json_pack("{s:s, s:o}", "state_dir", cfg->state_dir, "runs", list);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        print_text(runs, n, cfg->state_dir);
    }
    free(runs);
    return EXIT_DONE;
}
