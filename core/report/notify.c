/* notify.c - the webhook POST behind notify = {...}, through libcurl: a
 * few attempts with doubling backoff, all inside notify.timeout_ms. */
#include "report/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/curl_lib.h"
#include "base/secret.h"
#include "report/report.h"

#define NOTIFY_ATTEMPTS   3
#define NOTIFY_BACKOFF_MS 100 /* before the second attempt; doubled after */

static const char *const event_names[] = {"failure", "preflight_refused", "complete",
                                          "stale",   "waiting",           "watch"};

unsigned notify_events(int exit_code, size_t nstale)
{
    unsigned e = exit_code == 0   ? NOTIFY_COMPLETE
                 : exit_code == 3 ? NOTIFY_PREFLIGHT_REFUSED
                                  : NOTIFY_FAILURE;
    return nstale ? e | NOTIFY_STALE : e;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The webhook named for humans: scheme and host only. A path or a query
 * may hold a secret (many services put the token in the URL). */
static void url_for_humans(const char *url, char *out, size_t len)
{
    const char *sep = strstr(url, "://");
    const char *host = sep ? sep + 3 : url;
    size_t n = strcspn(host, "/?#");
    const char *at = memchr(host, '@', n); /* user:password@ */
    const char *h = at ? at + 1 : host;
    n -= (size_t)(h - host);
    snprintf(out, len, "%.*s%.*s", (int)(host - url), url, (int)n, h);
}

/* h with "@file:PATH" replaced by the first line of PATH, read by
 * secret_read_line before deadline_ms (a FIFO or a directory is refused,
 * never waited on). NULL, with the path (never the content) in why, if it
 * cannot be read. */
static char *expand_header(const char *h, const char *prefix, double deadline_ms, char *why,
                           size_t whylen)
{
    const char *at = strstr(h, "@file:");
    char *out = NULL;
    if (!at) {
        if (asprintf(&out, "%s%s", prefix, h) < 0)
            return NULL;
        return out;
    }
    char *value = secret_read_line(at + 6, deadline_ms, why, whylen);
    if (!value)
        return NULL;
    if (asprintf(&out, "%s%.*s%s", prefix, (int)(at - h), h, value) < 0)
        out = NULL;
    memset(value, 0, strlen(value));
    free(value);
    return out;
}

/* Append h (freed, its bytes cleared: it may hold a token) to *list. */
static int append(const curl_lib *cu, struct curl_slist **list, char *h)
{
    struct curl_slist *grown = h ? cu->slist_append(*list, h) : NULL;
    if (h) {
        memset(h, 0, strlen(h));
        free(h);
    }
    if (!grown)
        return -1;
    *list = grown;
    return 0;
}

static struct curl_slist *build_headers(const curl_lib *cu, const notify_config *n,
                                        double deadline_ms, char *why, size_t whylen)
{
    struct curl_slist *list = NULL;
    char *h = NULL;
    int rc = asprintf(&h, "Content-Type: %s", n->content_type) < 0 ? -1 : append(cu, &list, h);
    for (int i = 0; rc == 0 && i < n->nheaders; i++)
        rc = append(cu, &list, expand_header(n->headers[i], "", deadline_ms, why, whylen));
    if (rc == 0 && n->token_file) {
        char spec[4200];
        snprintf(spec, sizeof spec, "@file:%s", n->token_file);
        rc = append(cu, &list,
                    expand_header(spec, "Authorization: Bearer ", deadline_ms, why, whylen));
    }
    if (rc == 0)
        return list;
    if (!why[0])
        snprintf(why, whylen, "out of memory");
    cu->slist_free_all(list);
    return NULL;
}

static size_t discard(char *data, size_t size, size_t n, void *udata)
{
    (void)data;
    (void)udata;
    return size * n;
}

/* POST body, every attempt ending by deadline (now_ms()); 0 on a 2xx
 * answer, else -1 with why. */
static int post(const curl_lib *cu, const notify_config *n, const char *body,
                struct curl_slist *headers, double deadline, char *why, size_t whylen,
                int *attempts)
{
    CURL *c = cu->easy_init();
    if (!c) {
        snprintf(why, whylen, "libcurl could not start");
        return -1;
    }
    cu->easy_setopt(c, CURLOPT_URL, n->webhook_url);
    cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    cu->easy_setopt(c, CURLOPT_POSTFIELDS, body);
    cu->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    long backoff = NOTIFY_BACKOFF_MS;
    int rc = -1;
    for (*attempts = 0; *attempts < NOTIFY_ATTEMPTS;) {
        long left = (long)(deadline - now_ms());
        if (left <= 0)
            break;
        cu->easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
        cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
        ++*attempts;
        CURLcode res = cu->easy_perform(c);
        long code = 0;
        cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (res == CURLE_OK && code >= 200 && code < 300) {
            rc = 0;
            break;
        }
        if (res != CURLE_OK)
            snprintf(why, whylen, "%s", cu->easy_strerror(res));
        else
            snprintf(why, whylen, "HTTP %ld", code);
        /* A refusal of the request itself will not change on retry. */
        if (res == CURLE_OK && code >= 400 && code < 500 && code != 408 && code != 429)
            break;
        left = (long)(deadline - now_ms());
        long pause = backoff < left ? backoff : left;
        if (*attempts < NOTIFY_ATTEMPTS && pause > 0) {
            struct timespec ts = {pause / 1000, (pause % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        backoff *= 2;
    }
    cu->easy_cleanup(c);
    return rc;
}

int notify_send(const bf_config *cfg, unsigned events, json_t *summary)
{
    const notify_config *n = &cfg->notify;
    if (!summary || !n->webhook_url || !(events & n->events)) {
        json_decref(summary);
        return 0;
    }
    char host[256] = "", why[512] = "", where[256];
    json_t *names = json_array();
    for (unsigned k = 0; k < sizeof event_names / sizeof event_names[0]; k++)
        if (events & (1u << k))
            json_array_append_new(names, json_string(event_names[k]));
    gethostname(host, sizeof host - 1);
    /* The first is what the exit code says; "stale" may come with it. */
    json_object_set(summary, "event", json_array_get(names, 0));
    json_object_set_new(summary, "events", names);
    json_object_set_new(summary, "host", json_string(host));
    char *body = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(summary);
    url_for_humans(n->webhook_url, where, sizeof where);
    const curl_lib *cu = curl_lib_load(why, sizeof why);
    if (cu)
        cu->global_init(CURL_GLOBAL_DEFAULT);
    /* Reading the header files and posting share notify.timeout_ms. */
    double t0 = now_ms(), deadline = t0 + n->timeout_ms;
    struct curl_slist *headers =
        cu && body ? build_headers(cu, n, deadline, why, sizeof why) : NULL;
    int attempts = 0, rc = -1;
    if (!body)
        snprintf(why, sizeof why, "out of memory");
    else if (headers)
        rc = post(cu, n, body, headers, deadline, why, sizeof why, &attempts);
    if (rc != 0)
        fprintf(stderr,
                "backfill: notify: webhook %s not reached (%s; %d attempt%s, %.1f s); the "
                "result stands\n",
                where, why, attempts, attempts == 1 ? "" : "s", (now_ms() - t0) / 1e3);
    free(body);
    if (cu) {
        cu->slist_free_all(headers);
        cu->global_cleanup();
    }
    return rc;
}

/* The command a run prints at its end: the failed dates if they are all
 * listed, else the same command again (it resumes where it stopped). */
static json_t *rerun_command(const invocation *o, const char *processor, const run_result *res)
{
    if (res->exit_code == 0)
        return json_null();
    if (!res->nfailed || res->nfailed > RUN_FAILED_SHOWN || !processor)
        return json_string(o->command_line ? o->command_line : "");
    char cmd[4096 + RUN_FAILED_SHOWN * DATE_LEN];
    int len =
        snprintf(cmd, sizeof cmd, "%s%s%s run %s --dates ", o->program,
                 o->config_path ? " -c " : "", o->config_path ? o->config_path : "", processor);
    for (size_t i = 0; i < res->nfailed && len > 0 && (size_t)len < sizeof cmd; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, "%s%s", i ? "," : "", res->failed[i]);
    return json_string(cmd);
}

static json_t *outcome_json(const run_result *res)
{
    json_t *failed = json_array();
    for (size_t i = 0; i < res->nfailed && i < RUN_FAILED_SHOWN; i++)
        json_array_append_new(failed, json_string(res->failed[i]));
    return json_pack("{s:i, s:s?, s:o, s:I, s:o, s:I}", "exit_code", res->exit_code, "why",
                     res->why[0] ? res->why : NULL, "counts", plan_status_counts_json(res->counts),
                     "stale", (json_int_t)res->stale, "failed_dates", failed, "failed_total",
                     (json_int_t)res->nfailed);
}

int notify_run(const invocation *o, const bf_config *cfg, const char *processor,
               const run_result *res)
{
    json_t *doc = outcome_json(res);
    json_object_set_new(doc, "command", json_string("run"));
    json_object_set_new(doc, "processor", json_string(processor));
    json_object_set_new(doc, "range",
                        json_pack("{s:s, s:s}", "first", res->first, "last", res->last));
    json_object_set_new(doc, "duration_s", json_real(res->wall_s));
    json_object_set_new(doc, "rerun", rerun_command(o, processor, res));
    return notify_send(cfg, notify_events(res->exit_code, res->stale), doc);
}

int notify_pipeline(const invocation *o, const char *targets, const bf_config *cfg,
                    const char *const *names, const run_result *const *res, size_t n, int exit_code,
                    double wall_s)
{
    size_t counts[STATE_COUNT] = {0}, stale = 0, nfailed = 0;
    json_t *procs = json_array(), *failed = json_array();
    const char *first = "", *last = "";
    for (size_t i = 0; i < n; i++) {
        json_t *p = outcome_json(res[i]);
        json_object_set_new(p, "processor", json_string(names[i]));
        json_array_append_new(procs, p);
        for (int s = 0; s < STATE_COUNT; s++)
            counts[s] += res[i]->counts[s];
        stale += res[i]->stale;
        for (size_t k = 0; k < res[i]->nfailed && k < RUN_FAILED_SHOWN; k++)
            if (json_array_size(failed) < RUN_FAILED_SHOWN)
                json_array_append_new(failed, json_pack("{s:s, s:s}", "processor", names[i], "date",
                                                        res[i]->failed[k]));
        nfailed += res[i]->nfailed;
        if (res[i]->first[0] && (!first[0] || strcmp(res[i]->first, first) < 0))
            first = res[i]->first;
        if (strcmp(res[i]->last, last) > 0)
            last = res[i]->last;
    }
    json_t *doc = json_pack(
        "{s:s, s:s?, s:{s:s, s:s}, s:o, s:o, s:I, s:o, s:I, s:f, s:i, s:o}", "command", "pipeline",
        "targets", targets, "range", "first", first, "last", last, "processors", procs, "counts",
        plan_status_counts_json(counts), "stale", (json_int_t)stale, "failed_dates", failed,
        "failed_total", (json_int_t)nfailed, "duration_s", wall_s, "exit_code", exit_code, "rerun",
        exit_code ? json_string(o->command_line ? o->command_line : "") : json_null());
    return notify_send(cfg, notify_events(exit_code, stale), doc);
}
