/* verify.c - the `verify` command: pre-flight alone, and with --audit
 * every published date judged as a run would judge it (--adopt records
 * those another tool wrote). Nothing is written to the store. */
#include <stdlib.h>
#include <string.h>

#include "engine/audit.h"
#include "state/checkpoint.h"
#include "plugin/context.h"
#include "engine/job.h"
#include "engine/judge.h"
#include "state/lock.h"
#include "cli/cli.h"
#include "report/preflight_text.h"
#include "report/report.h"
#include "report/refusal.h"

/* verify --audit: judge every expected date as published now. Prints the
 * dates that would not pass and a command re-running them; returns how
 * many, or -1 if the store failed. *json receives the details. With adopt,
 * every unverified date (rows no backfill run recorded) that passes is
 * recorded there as published, so readers count it verified from then on. */
static long audit_dates(job *j, const cli_options *o, FILE *out, checkpoint *adopt, json_t **json)
{
    const char *table = j->p.desc->output_table;
    int exists = 0;
    if (store_table_exists(j->ro, table, &exists) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", store_error(j->ro));
        return -1;
    }
    run_ctx ctx;
    context_init(&ctx, j->ro, &j->p, j->cfg);
    if (context_open(&ctx) != BF_OK) {
        fprintf(stderr, "backfill: %s: worker_init failed%s%s\n", j->p.path,
                ctx.error[0] ? ": " : "", ctx.error);
        return -1;
    }
    const char **bad = calloc(j->plan.n + 1, sizeof *bad);
    json_t *dates = json_array();
    size_t checked = 0, n = 0, adopted = 0;
    for (size_t i = 0; bad && i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (e->status == STATE_SKIPPED)
            continue;
        checked++;
        audit_result r = {.status = STATE_PENDING};
        if (exists)
            audit_published(&ctx, e->date, &r);
        else
            snprintf(r.error, sizeof r.error, "output table %s does not exist", table);
        if (r.status == STATE_COMPLETE) {
            if (adopt && e->verdict == STATE_UNVERIFIED) {
                date_entry a = *e;
                a.status = STATE_COMPLETE;
                a.expected = r.expected;
                a.actual = r.actual;
                a.validation_passed = 1;
                a.error = NULL;
                a.published_seq = audit_publish_seq();
                checkpoint_record(adopt, &a);
                adopted++;
            }
            continue;
        }
        if (n < 20)
            fprintf(out, "  %s %-12s %s\n", e->date, date_state_name(r.status), r.error);
        else if (n == 20)
            fprintf(out, "  ...\n");
        bad[n++] = e->date;
        json_array_append_new(dates, json_pack("{s:s, s:s, s:I, s:I, s:s}", "date", e->date,
                                               "status", date_state_name(r.status), "expected",
                                               (json_int_t)r.expected, "actual",
                                               (json_int_t)r.actual, "error", r.error));
    }
    if (context_close(&ctx) != BF_OK) {
        fprintf(stderr, "backfill: %s: worker_fini failed: %s\n", j->p.path, ctx.error);
        free(bad);
        json_decref(dates);
        return -1;
    }
    fprintf(out, "audit of %s: %zu of %zu expected dates complete as published\n", table,
            checked - n, checked);
    if (adopt)
        fprintf(out, "adopted %zu date%s written by another tool into %s\n", adopted,
                adopted == 1 ? "" : "s", adopt->path);
    /* The checkpoint may call these dates complete: redo them anyway. */
    invocation inv = cli_invocation(o);
    report_rerun(out, &inv, j->cfg, j->p.desc->name, bad, n, " --no-resume");
    free(bad);
    *json = json_pack("{s:I, s:I, s:o}", "checked", (json_int_t)checked, "not_complete",
                      (json_int_t)n, "dates", dates);
    return (long)n;
}

int cmd_verify(const cli_options *o, const bf_config *cfg)
{
    if (o->outputs)
        return cmd_verify_outputs(o, cfg);
    if (o->quality)
        return cmd_verify_quality(o, cfg);
    FILE *out = cli_narration(o);
    checkpoint cp = {0};
    int lock = -1;
    char err[1024] = "";
    job j;
    date_args dates = cli_dates(o);
    int rc = job_open(&j, o->processor, &dates, cfg, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return rc;
    }
    rc = job_preflight(&j, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        goto out;
    }
    report_preflight(out, &j, o->verbose);
    rc = j.pre.refused ? EXIT_REFUSED : EXIT_DONE;
    size_t states[STATE_COUNT] = {0};
    for (size_t i = 0; i < j.plan.n; i++)
        states[j.plan.dates[i].verdict]++;
    fprintf(out, "%s in the store now:", j.p.desc->output_table);
    for (int k = STATE_COMPLETE; k < STATE_COUNT; k++)
        if (states[k])
            fprintf(out, " %s %zu", date_state_name(k), states[k]);
    fprintf(out, "\n%s\n",
            rc == EXIT_DONE ? "ready: every required upstream table is covered"
                            : "refused: a required upstream table is under its coverage threshold");
    if (rc == EXIT_REFUSED) {
        invocation inv = cli_invocation(o);
        refusal_print_fix(out, &inv, &dates, &j);
    }
    json_t *audit = NULL;
    if (o->adopt) {
        /* Adopting writes the checkpoint: under the run's lock. */
        lock = checkpoint_mkdirs(cfg->state_dir) == 0
                   ? lock_acquire(cfg->state_dir, j.p.desc->name, err, sizeof err)
                   : -1;
        if (lock < 0 || checkpoint_open(&cp, cfg->state_dir, j.p.desc->name, err, sizeof err)) {
            fprintf(stderr, "backfill: %s\n", err[0] ? err : "cannot create state_dir");
            rc = lock == -2 ? EXIT_LOCKED : EXIT_USAGE;
            goto out;
        }
        checkpoint_set_builder(&cp, j.p.code, j.pre.judge.config);
    }
    if (o->audit) {
        long bad = audit_dates(&j, o, out, o->adopt ? &cp : NULL, &audit);
        if (bad < 0)
            rc = EXIT_USAGE;
        else if (bad > 0 && rc == EXIT_DONE)
            rc = EXIT_DATES_FAILED;
        if (bad >= 0 && o->adopt && checkpoint_save(&cp, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: saving %s: %s\n", cp.path, err);
            rc = EXIT_USAGE;
        }
    }
    if (o->json)
        report_print_json(json_pack("{s:s, s:b, s:i, s:o, s:o, s:o?}", "processor", j.p.desc->name,
                                    "ready", !j.pre.refused, "exit_code", rc, "dates",
                                    plan_counts_json(&j.plan), "preflight",
                                    report_preflight_json(&j.pre), "audit", audit));
    else
        json_decref(audit);
out:
    checkpoint_close(&cp);
    lock_release(lock);
    job_close(&j);
    return rc;
}
