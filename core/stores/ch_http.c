/* ch_http.c - requests to ClickHouse: limits, retries, errors, rows.
 *
 * Every request of the process passes one counting semaphore (at most
 * max_concurrent in flight, whatever the number of workers and shards)
 * and, when a budget is set, one token bucket. While the server pushes
 * back the bucket's rate is halved (down to a tenth of the budget) and it
 * climbs back by a twentieth of the budget per request that succeeds.
 *
 * A transient failure is retried here with exponential backoff and jitter
 * (100 ms doubling to 5 s, times a random 0.5-1.5), at most max_retries
 * times, and never once the run is interrupted: the waits end at once on
 * an interrupt (signals_wait_ms).
 *
 * With BACKFILL_CH_TRACE set to a file, every request sent (each retry
 * too) is appended to it as one line once answered: the server, a tab,
 * the milliseconds it took, a tab, the statement with its line breaks
 * turned into spaces. For measuring how many
 * requests a run makes; the file holds no credentials. */
#include "stores/ch_http.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/signals.h"

static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t limit_free = PTHREAD_COND_INITIALIZER;
static int in_flight, max_in_flight = 16, retries_max = 5;
static double qps_max, qps_now, tokens, tokens_at;
static atomic_long retried, pushed_back;

void ch_http_limits(int max_concurrent, double max_qps, int max_retries)
{
    pthread_mutex_lock(&limit_lock);
    max_in_flight = max_concurrent > 0 ? max_concurrent : 1;
    qps_max = qps_now = max_qps;
    tokens = max_qps > 0 ? 1 : 0;
    tokens_at = clock_now_s();
    retries_max = max_retries;
    pthread_mutex_unlock(&limit_lock);
}

void ch_http_counters(long *retries, long *pushbacks)
{
    *retries = atomic_load(&retried);
    *pushbacks = atomic_load(&pushed_back);
}

/* One line in the BACKFILL_CH_TRACE file, if it is set (a file that
 * cannot be opened is left alone: the trace is for measuring only). */
static void trace(const ch_endpoint *e, double ms, const char *sql)
{
    static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
    const char *path = getenv("BACKFILL_CH_TRACE");
    if (!path || !*path)
        return;
    pthread_mutex_lock(&trace_lock);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%s\t%.1f\t", e->url, ms);
        for (const char *p = sql; *p; p++)
            fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, f);
        fputc('\n', f);
        fclose(f);
    }
    pthread_mutex_unlock(&trace_lock);
}

/* Wait for a slot and, with a budget, a token. */
static void acquire(void)
{
    pthread_mutex_lock(&limit_lock);
    while (in_flight >= max_in_flight)
        pthread_cond_wait(&limit_free, &limit_lock);
    in_flight++;
    while (qps_max > 0) {
        double now = clock_now_s();
        tokens += (now - tokens_at) * qps_now;
        tokens_at = now;
        if (tokens > (qps_now > 1 ? qps_now : 1))
            tokens = qps_now > 1 ? qps_now : 1;
        if (tokens >= 1) {
            tokens -= 1;
            break;
        }
        long wait_ms = (long)((1 - tokens) / qps_now * 1000) + 1;
        pthread_mutex_unlock(&limit_lock);
        int stop = signals_wait_ms(wait_ms);
        pthread_mutex_lock(&limit_lock);
        if (stop)
            break; /* the request runs; the run is ending anyway */
    }
    pthread_mutex_unlock(&limit_lock);
}

static void release(int pushback)
{
    pthread_mutex_lock(&limit_lock);
    in_flight--;
    if (qps_max > 0) {
        if (pushback)
            qps_now = qps_now / 2 > qps_max / 10 ? qps_now / 2 : qps_max / 10;
        else if (qps_now < qps_max)
            qps_now = qps_now + qps_max / 20 < qps_max ? qps_now + qps_max / 20 : qps_max;
    }
    pthread_cond_signal(&limit_free);
    pthread_mutex_unlock(&limit_lock);
}

static size_t collect(char *data, size_t size, size_t n, void *udata)
{
    ch_buf *b = udata;
    ch_buf_add(b, data, size * n);
    return b->oom ? 0 : size * n;
}

/* ClickHouse error codes that a later attempt may not meet. */
static int transient_code(int code)
{
    static const int codes[] = {
        32,  /* ATTEMPT_TO_READ_AFTER_EOF: connection cut */
        159, /* TIMEOUT_EXCEEDED */
        202, /* TOO_MANY_SIMULTANEOUS_QUERIES */
        203, /* NO_FREE_CONNECTION */
        209, /* SOCKET_TIMEOUT */
        210, /* NETWORK_ERROR: a shard is down */
        236, /* ABORTED */
        241, /* MEMORY_LIMIT_EXCEEDED */
        252, /* TOO_MANY_PARTS */
        279, /* ALL_CONNECTION_TRIES_FAILED */
        285, /* TOO_FEW_LIVE_REPLICAS */
        319, /* UNKNOWN_STATUS_OF_INSERT */
        394, /* QUERY_WAS_CANCELLED */
        425, /* SYSTEM_ERROR */
        473, /* DEADLOCK_AVOIDED */
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i] == code)
            return 1;
    return 0;
}

/* The server refused before running the statement, or is overloaded. */
static int pushback_code(int code, long status)
{
    return code == 202 || code == 203 || code == 252 || code == 241 || status == 503 ||
           status == 429;
}

/* "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist., e.what() = ..."
 * as "Code: 60: Table x doesn't exist." on one line; *code set. */
static void exception_text(const char *body, char *out, size_t size, int *code)
{
    *code = 0;
    const char *c = strstr(body, "Code: ");
    const char *text = strstr(body, "DB::Exception: ");
    if (c)
        *code = atoi(c + 6);
    const char *from = text ? text + strlen("DB::Exception: ") : body;
    const char *end = strstr(from, ", e.what() = ");
    size_t n = end ? (size_t)(end - from) : strlen(from);
    size_t k = 0;
    if (*code)
        k = (size_t)snprintf(out, size, "Code: %d: ", *code);
    for (size_t i = 0; i < n && k + 1 < size; i++)
        out[k++] = from[i] == '\n' || from[i] == '\r' ? ' ' : from[i];
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k < size ? k : size - 1] = '\0';
}

/* One attempt. Returns BF_OK, or BF_ERROR_STORE with err, *error_class,
 * *code, *before (the server surely did not run it) and *pushback set. */
static int attempt(ch_endpoint *e, const char *params, const char *sql, int retry_safe,
                   ch_buf *body, char *err, size_t errlen, int *error_class, int *code, int *before,
                   int *pushback)
{
    char url[1024];
    char curl_err[CURL_ERROR_SIZE] = "";
    snprintf(url, sizeof url, "%s/?%s", e->url, params);
    CURL *h = e->curl;
    const curl_lib *cu = curl_lib_load(NULL, 0); /* loaded: e->curl came from it */
    memset(body, 0, sizeof *body);
    cu->easy_setopt(h, CURLOPT_URL, url);
    cu->easy_setopt(h, CURLOPT_POST, 1L);
    cu->easy_setopt(h, CURLOPT_POSTFIELDS, sql);
    cu->easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(sql));
    cu->easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    cu->easy_setopt(h, CURLOPT_WRITEDATA, body);
    cu->easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    cu->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* On a kept-alive connection that ends without an answer, libcurl sends
     * the request again by itself on a new one: right when the server
     * closed the connection before reading it, wrong when the server ran
     * it and the connection broke before the answer. A statement that must
     * not run twice (ATTACH, INSERT) goes on a fresh connection, where
     * libcurl never does that. */
    cu->easy_setopt(h, CURLOPT_FRESH_CONNECT, retry_safe ? 0L : 1L);
    cu->easy_setopt(h, CURLOPT_TIMEOUT, (long)e->timeout_s);
    cu->easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)(e->timeout_s < 10 ? e->timeout_s : 10));
    cu->easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    cu->easy_setopt(h, CURLOPT_USERNAME, e->user);
    cu->easy_setopt(h, CURLOPT_PASSWORD, e->password ? e->password : "");
    *code = *before = *pushback = 0;
    acquire();
    double t0 = clock_now_ms();
    CURLcode rc = cu->easy_perform(h);
    trace(e, clock_now_ms() - t0, sql);
    long status = 0;
    cu->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        release(0);
        *before = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST;
        *error_class = rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ? BF_PERMANENT
                                                                                     : BF_TRANSIENT;
        snprintf(err, errlen, "clickhouse %s: %s", e->url,
                 curl_err[0] ? curl_err : cu->easy_strerror(rc));
        free(body->p);
        memset(body, 0, sizeof *body);
        return BF_ERROR_STORE;
    }
    if (status == 200 && !body->oom) {
        release(0);
        return BF_OK;
    }
    char text[768];
    if (body->oom)
        snprintf(text, sizeof text, "out of memory reading the answer");
    else
        exception_text(body->p ? body->p : "", text, sizeof text, code);
    *pushback = pushback_code(*code, status);
    release(*pushback);
    *before = *code == 202 || *code == 203;
    *error_class =
        transient_code(*code) || (!*code && (status >= 500 || status == 429)) || body->oom
            ? BF_TRANSIENT
            : BF_PERMANENT;
    snprintf(err, errlen, "clickhouse %s: HTTP %ld: %s", e->url, status,
             text[0] ? text : "(no answer)");
    free(body->p);
    memset(body, 0, sizeof *body);
    return BF_ERROR_STORE;
}

int ch_http_post(ch_endpoint *e, const char *params, const char *sql, int retry_safe, ch_buf *body,
                 char *err, size_t errlen, int *error_class, int *code)
{
    static _Thread_local unsigned seed;
    if (!seed)
        seed = (unsigned)time(NULL) ^ (unsigned)(size_t)&seed;
    for (int n = 0;; n++) {
        int before, pushback;
        int rc = attempt(e, params, sql, retry_safe, body, err, errlen, error_class, code, &before,
                         &pushback);
        if (rc == BF_OK || *error_class != BF_TRANSIENT || !(retry_safe || before) ||
            n >= retries_max || atomic_load(&signals_stop))
            return rc;
        atomic_fetch_add(&retried, 1);
        if (pushback)
            atomic_fetch_add(&pushed_back, 1);
        long base = 100L << (n < 6 ? n : 6);
        if (base > 5000)
            base = 5000;
        long wait_ms = (long)(base * (0.5 + rand_r(&seed) / (RAND_MAX + 1.0)));
        log_warn("%s; retry %d of %d in %ld ms", err, n + 1, retries_max, wait_ms);
        if (signals_wait_ms(wait_ms))
            return rc;
    }
}

/* "Nullable(Int64)" -> "Int64": the type that decides the value's kind. */
static const char *base_type(const char *t)
{
    for (;;) {
        if (strncmp(t, "Nullable(", 9) == 0)
            t += 9;
        else if (strncmp(t, "LowCardinality(", 15) == 0)
            t += 15;
        else
            return t;
    }
}

enum kind { KIND_TEXT, KIND_INT, KIND_REAL };

static int kind_of(const char *type)
{
    const char *t = base_type(type);
    if (strncmp(t, "Int", 3) == 0 || strncmp(t, "UInt", 4) == 0)
        return KIND_INT;
    if (strncmp(t, "Float", 5) == 0 || strncmp(t, "Decimal", 7) == 0)
        return KIND_REAL;
    return KIND_TEXT;
}

#define CH_MAX_COLUMNS 64

/* One JSON cell as a typed value; *owned receives text to free. */
static int cell(json_t *j, int kind, bf_value *v, char **owned)
{
    *owned = NULL;
    if (json_is_null(j)) {
        *v = (bf_value){.type = BF_NULL};
        return 0;
    }
    const char *s = json_is_string(j) ? json_string_value(j) : NULL;
    if (kind == KIND_INT) {
        if (json_is_integer(j)) {
            *v = BF_V_INT(json_integer_value(j));
            return 0;
        }
        char *end;
        long long x = s ? strtoll(s, &end, 10) : 0;
        if (!s || *end || !*s)
            return -1;
        *v = BF_V_INT(x); /* UInt64 above 2^63 saturates: strtoll's ERANGE */
        return 0;
    }
    if (kind == KIND_REAL) {
        if (json_is_number(j)) {
            *v = BF_V_REAL(json_number_value(j));
            return 0;
        }
        char *end;
        double x = s ? strtod(s, &end) : 0;
        if (!s || *end)
            return -1;
        *v = BF_V_REAL(x);
        return 0;
    }
    if (s) {
        *v = BF_V_TEXT(s);
        return 0;
    }
    *owned = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!*owned)
        return -1;
    *v = BF_V_TEXT(*owned);
    return 0;
}

int ch_http_rows(const ch_buf *body, store_row_fn fn, void *udata, char *err, size_t errlen)
{
    if (!fn)
        return BF_OK;
    /* A query always answers a whole JSONCompact document, even without
     * rows: an empty answer is a cut one (the connection closed after the
     * headers), never "no rows". */
    if (!body->p || !body->len) {
        snprintf(err, errlen, "clickhouse: an empty answer where rows were expected");
        return BF_ERROR_STORE;
    }
    json_error_t jerr;
    json_t *root = json_loadb(body->p, body->len, 0, &jerr);
    json_t *meta = json_object_get(root, "meta"), *data = json_object_get(root, "data");
    if (!json_is_array(meta) || !json_is_array(data)) {
        snprintf(err, errlen, "clickhouse: the answer is not FORMAT JSONCompact: %s",
                 root ? "no meta or data" : jerr.text);
        json_decref(root);
        return BF_ERROR_STORE;
    }
    int ncols = (int)json_array_size(meta);
    if (ncols > CH_MAX_COLUMNS)
        ncols = CH_MAX_COLUMNS;
    int kinds[CH_MAX_COLUMNS];
    for (int c = 0; c < ncols; c++) {
        const char *t = json_string_value(json_object_get(json_array_get(meta, c), "type"));
        kinds[c] = kind_of(t ? t : "String");
    }
    int rc = BF_OK;
    for (size_t r = 0; r < json_array_size(data) && rc == BF_OK; r++) {
        json_t *row = json_array_get(data, r);
        bf_value values[CH_MAX_COLUMNS];
        char *owned[CH_MAX_COLUMNS] = {NULL};
        for (int c = 0; c < ncols && rc == BF_OK; c++)
            if (cell(json_array_get(row, c), kinds[c], &values[c], &owned[c]) != 0) {
                snprintf(err, errlen, "clickhouse: row %zu column %d: not a %s", r + 1, c + 1,
                         kinds[c] == KIND_INT ? "integer" : "number");
                rc = BF_ERROR_STORE;
            }
        int stop = rc == BF_OK && fn(udata, ncols, values);
        for (int c = 0; c < ncols; c++)
            free(owned[c]);
        if (stop)
            break;
    }
    json_decref(root);
    return rc;
}
