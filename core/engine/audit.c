/* audit.c - the only place a date is ever published: one date at a time
 * (audit_date), a group of validated dates (audit_commit_group) or an
 * orphaned date emptied (audit_purge). */
#include "engine/audit.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "plugin/check_block.h"
#include "plugin/check_measure.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/safetext.h"
#include "base/signals.h"

int64_t audit_publish_seq(void)
{
    static atomic_llong last;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    long long now = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
    long long prev = atomic_load(&last);
    while (!atomic_compare_exchange_weak(&last, &prev, now > prev ? now : prev + 1))
        ;
    return now > prev ? now : prev + 1;
}

int audit_accepts(const bf_validation *v, double min_completeness, char *why, size_t whylen)
{
    if (v->expected < 0 || v->actual < 0) {
        snprintf(why, whylen, "validation reported negative counts (expected %lld, actual %lld)",
                 (long long)v->expected, (long long)v->actual);
        return 0;
    }
    if (v->failed_checks > 0) {
        /* The plugin's text, perhaps unterminated, made safe to show. */
        char raw[sizeof v->detail + 1], detail[sizeof v->detail * 4];
        memcpy(raw, v->detail, sizeof v->detail);
        raw[sizeof v->detail] = '\0';
        safetext(detail, sizeof detail, raw);
        snprintf(why, whylen, "%lld failed quality check%s%s%s", (long long)v->failed_checks,
                 v->failed_checks == 1 ? "" : "s", detail[0] ? ": " : "", detail);
        return 0;
    }
    /* More rows than upstream allows means duplicates or a join fan-out:
     * as wrong as too few. */
    if (v->actual > v->expected) {
        snprintf(why, whylen, "%lld rows, expected %lld: more than upstream allows",
                 (long long)v->actual, (long long)v->expected);
        return 0;
    }
    double need = ceil((double)v->expected * min_completeness - 1e-9);
    if ((double)v->actual < need) {
        snprintf(why, whylen, "incomplete: %lld of %lld expected rows", (long long)v->actual,
                 (long long)v->expected);
        return 0;
    }
    return 1;
}

/* A plugin call returned rc: say so by name, with the error it recorded,
 * and carry its class. */
static void plugin_failed(run_ctx *ctx, const char *call, int rc, audit_result *out)
{
    char buf[32];
    snprintf(out->error, sizeof out->error, "%s returned %s%s%.440s", call,
             context_status_name(rc, buf, sizeof buf), ctx->error[0] ? ": " : "", ctx->error);
    out->permanent = ctx->error_class == BF_PERMANENT;
    out->config_error = ctx->config_error;
}

/* A statement of the plugin's the store refused fails the date, even when
 * the plugin went on as if it had run: permanent, with the refusal as the
 * error. */
static int refused(run_ctx *ctx, int rc, audit_result *out)
{
    if (!context_refused(ctx, rc))
        return 0;
    snprintf(out->error, sizeof out->error, "%s", ctx->error);
    out->permanent = 1;
    return 1;
}

/* validate_date on what bf_output_table(ctx) holds now (or, a date of a
 * block with its expected rows known, f's figures), then the publish rule:
 * STATE_COMPLETE, STATE_PARTIAL (too few rows) or STATE_FAILED, with the
 * figures and the reason in out. */
static int judge(run_ctx *ctx, const char *date, const block_facts *f, audit_result *out)
{
    bf_validation v;
    memset(&v, 0, sizeof v);
    int known = f && f->expected >= 0;
    if (known) {
        v.expected = f->expected;
        v.actual = f->rows;
    }
    int rc = known ? BF_OK : context_validate_date(ctx, date, &v);
    if (refused(ctx, rc, out))
        return STATE_FAILED;
    if (rc != BF_OK) {
        plugin_failed(ctx, "validate_date", rc, out);
        return STATE_FAILED;
    }
    v.detail[sizeof v.detail - 1] = '\0';
    out->expected = v.expected;
    out->actual = v.actual;
    out->validation_passed =
        audit_accepts(&v, loader_min_completeness(ctx->plugin), out->error, sizeof out->error);
    if (out->validation_passed)
        return STATE_COMPLETE;
    return v.failed_checks == 0 && v.actual < v.expected ? STATE_PARTIAL : STATE_FAILED;
}

/* The plugin's count is checked, not trusted: a plugin that counts another
 * table than the one it wrote must not publish. The core counts the
 * staging area itself, or takes block_rows (>= 0), the date's count by its
 * block's grouped query. 0, with the reason in out, if they differ. */
static int count_agrees(run_ctx *ctx, int64_t block_rows, audit_result *out)
{
    int64_t staged = block_rows;
    if (staged < 0 && store_date_staged_rows(ctx->store, &staged) != BF_OK)
        staged = -1;
    if (staged == out->actual)
        return 1;
    if (staged < 0)
        snprintf(out->error, sizeof out->error, "%s", store_error(ctx->store));
    else
        snprintf(out->error, sizeof out->error,
                 "validate_date reported %lld rows but the staging area holds %lld: "
                 "count bf_output_table(ctx)",
                 (long long)out->actual, (long long)staged);
    out->validation_passed = 0;
    out->permanent = staged >= 0 || ctx->store->error_class == BF_PERMANENT;
    return 0;
}

/* One attempt. Returns the status it ended in; on STATE_COMPLETE the date
 * is published, otherwise rolled back. block_rows >= 0: the date's rows
 * are the ones its block staged (store_date_begin_block), block_rows of
 * them by the block's grouped count, process_date is not called, and
 * out->read_seq is the block's; -1: a date alone. */
static int attempt(run_ctx *ctx, const char *date, const audit_policy *policy, const block_facts *f,
                   audit_result *out)
{
    int from_block = f != NULL;
    int64_t block_rows = f ? f->rows : -1;
    const check_set *checks = policy->checks;
    const plugin *p = ctx->plugin;
    const char *table = NULL;
    context_clear_error(ctx);
    out->permanent = 0;
    json_decref(out->checks);
    out->checks = NULL;
    /* Before the snapshot (store_date_begin fixes it): an upstream publish
     * numbered below this had committed before it, so the date reads it.
     * A date of a block keeps the block's, taken before its snapshot. */
    if (!from_block)
        out->read_seq = audit_publish_seq();
    if ((from_block ? store_date_begin_block(ctx->store, date, &table)
                    : store_date_begin(ctx->store, p->desc->output_table, p->desc->date_column,
                                       date, &table)) != BF_OK) {
        snprintf(out->error, sizeof out->error, "opening the date: %s", store_error(ctx->store));
        out->permanent = ctx->store->error_class == BF_PERMANENT;
        return STATE_FAILED;
    }
    ctx->write_table = table;
    int status = STATE_FAILED;
    int rc = from_block ? BF_OK : context_process_date(ctx, date);
    if (refused(ctx, rc, out))
        goto abort;
    if (rc != BF_OK) {
        plugin_failed(ctx, "process_date", rc, out);
        goto abort;
    }
    status = judge(ctx, date, f, out);
    if (status != STATE_COMPLETE)
        goto abort;
    if (!count_agrees(ctx, block_rows, out)) {
        status = STATE_FAILED;
        goto abort;
    }
    int checked =
        checks && checks->n
            ? checks_block_date(checks, f ? f->checks : NULL, f ? f->index : 0, ctx->store, table,
                                p->desc->date_column, date, out->expected, out->actual,
                                &out->checks, out->error, sizeof out->error, &out->permanent)
            : CHECKS_PASSED;
    if (checked != CHECKS_PASSED) {
        out->validation_passed = 0;
        /* Recorded as such (the judge reads the state, never the text); a
         * check that could not be measured is an error. */
        status = checked == CHECKS_FAILED ? STATE_CHECK_FAILED : STATE_FAILED;
        goto abort;
    }
    if (refused(ctx, BF_OK, out)) {
        out->validation_passed = 0;
        status = STATE_FAILED;
        goto abort;
    }
    if ((policy->group ? store_date_defer(ctx->store) : store_date_publish(ctx->store)) != BF_OK) {
        snprintf(out->error, sizeof out->error, "publishing: %s", store_error(ctx->store));
        out->validation_passed = 0;
        out->permanent = ctx->store->error_class == BF_PERMANENT;
        ctx->write_table = NULL;
        return STATE_FAILED;
    }
    ctx->write_table = NULL;
    out->error[0] = '\0';
    out->published_seq = policy->group ? 0 : audit_publish_seq();
    return STATE_COMPLETE;
abort:
    if (store_date_abort(ctx->store) != BF_OK)
        log_error("rolling back: %s", store_error(ctx->store));
    ctx->write_table = NULL;
    return status;
}

int audit_purge(store *s, const plugin *p, const char *date, char *err, size_t errlen)
{
    const char *table = NULL;
    int rc = store_date_begin(s, p->desc->output_table, p->desc->date_column, date, &table);
    if (rc == BF_OK)
        rc = store_date_publish(s); /* the empty staging set replaces the date */
    if (rc != BF_OK)
        snprintf(err, errlen, "purging %s: %s", date, store_error(s));
    return rc;
}

void audit_published(run_ctx *ctx, const char *date, audit_result *out)
{
    memset(out, 0, sizeof *out);
    ctx->write_table = NULL; /* count the published table, not a staging area */
    context_clear_error(ctx);
    out->status = judge(ctx, date, NULL, out);
}

static void date_failed(const audit_policy *policy, const char *date, const audit_result *out)
{
    log_error("%s after %d attempt%s: %s", date_state_name(out->status), out->attempts,
              out->attempts == 1 ? "" : "s", out->error);
    events_emit(policy->events, "date_failed",
                json_pack("{s:s, s:s, s:I, s:I, s:i, s:s}", "date", date, "status",
                          date_state_name(out->status), "expected", (json_int_t)out->expected,
                          "actual", (json_int_t)out->actual, "attempts", out->attempts, "error",
                          out->error));
}

/* attempt(), timed, and its outcome in the event log (a deferred date's
 * date_committed waits in out->committed for audit_settle). */
static int attempt_logged(run_ctx *ctx, const char *date, const audit_policy *policy, int number,
                          const block_facts *f, audit_result *out)
{
    double t = clock_now_ms();
    out->status = attempt(ctx, date, policy, f, out);
    json_t *figures =
        json_pack("{s:s, s:I, s:I, s:i, s:f, s:O?}", "date", date, "expected",
                  (json_int_t)out->expected, "actual", (json_int_t)out->actual, "attempt", number,
                  "duration_ms", clock_now_ms() - t, "checks", out->checks);
    if (f)
        json_object_set_new(figures, "block", json_true());
    if (out->status == STATE_COMPLETE) {
        if (policy->group)
            out->committed = figures; /* logged when it is: audit_settle */
        else
            events_emit(policy->events, "date_committed", figures);
        return STATE_COMPLETE;
    }
    json_object_set_new(figures, "error", json_string(out->error));
    events_emit(policy->events, "date_rolled_back", figures);
    return out->status;
}

int audit_block_date(run_ctx *ctx, const char *date, const audit_policy *policy, int64_t read_seq,
                     const block_facts *f, audit_result *out)
{
    memset(out, 0, sizeof *out);
    double start = clock_now_ms();
    log_set_scope(ctx->plugin->desc->name, date);
    out->read_seq = read_seq;
    out->attempts = 1;
    int status = attempt_logged(ctx, date, policy, 1, f, out);
    log_set_scope(ctx->plugin->desc->name, NULL);
    out->duration_ms = clock_now_ms() - start;
    return status;
}

void audit_date(run_ctx *ctx, const char *date, const audit_policy *policy, audit_result *out)
{
    memset(out, 0, sizeof *out);
    double start = clock_now_ms();
    log_set_scope(ctx->plugin->desc->name, date);
    for (int k = 0; k <= policy->retries; k++) {
        if (k > 0) {
            /* Running it again cannot help: fail the date now. */
            if (out->permanent || out->config_error)
                break;
            if (policy->abandon && atomic_load(policy->abandon))
                break;
            long backoff =
                policy->backoff_ms > 0 ? (long)policy->backoff_ms << (k - 1 < 10 ? k - 1 : 10) : 0;
            log_warn("attempt %d failed: %s; retrying", k, out->error);
            events_emit(policy->events, "date_retried",
                        json_pack("{s:s, s:i, s:i}", "date", date, "attempt", k + 1, "backoff_ms",
                                  (int)backoff));
            /* An interrupt during the wait ends it, and no attempt follows. */
            if (backoff && signals_wait_ms(backoff))
                break;
            if (policy->abandon && atomic_load(policy->abandon))
                break;
        }
        out->attempts = k + 1;
        events_emit(policy->events, "date_started",
                    json_pack("{s:s, s:i}", "date", date, "attempt", k + 1));
        if (attempt_logged(ctx, date, policy, k + 1, NULL, out) == STATE_COMPLETE)
            break;
    }
    if (out->status != STATE_COMPLETE)
        date_failed(policy, date, out);
    log_set_scope(ctx->plugin->desc->name, NULL);
    out->duration_ms = clock_now_ms() - start;
}

void audit_settle(const audit_policy *policy, const char *date, audit_result *r,
                  const char *commit_error)
{
    if (!commit_error) {
        r->published_seq = audit_publish_seq();
        events_emit(policy->events, "date_committed", r->committed);
    } else {
        json_decref(r->committed);
        r->status = STATE_FAILED;
        r->validation_passed = 0;
        snprintf(r->error, sizeof r->error, "publishing: %.490s", commit_error);
        date_failed(policy, date, r);
    }
    r->committed = NULL;
}

const char *audit_commit_group(store *s)
{
    return store_commit_group(s) == BF_OK ? NULL : store_error(s);
}
