/* ch_http.h - one ClickHouse request over HTTP (libcurl), with the limits
 * every request of the process shares, retry of transient failures, and
 * results read into typed rows (jansson). */
#ifndef BF_CH_HTTP_H
#define BF_CH_HTTP_H

#include "base/curl_lib.h"
#include "stores/ch_sql.h"
#include "stores/store.h"

/* One server: a keep-alive libcurl handle and where it points. The user
 * and password are borrowed from the driver's config; they go to the
 * server as HTTP basic authentication and are never written anywhere
 * else (no message holds them: the URL has no credentials in it). */
typedef struct ch_endpoint {
    CURL *curl;
    const char *url; /* http://host:port, no path, no credentials */
    const char *user, *password;
    int timeout_s;
} ch_endpoint;

/* Process-wide limits, set once by the driver's init before any request
 * (max_concurrent: requests in flight at once; max_qps: 0 = no budget). */
void ch_http_limits(int max_concurrent, double max_qps, int max_retries);

/* Counters since start: requests retried, and of those how many were the
 * server pushing back (too many queries, too many parts, 503/429). */
void ch_http_counters(long *retries, long *pushbacks);

/* POST sql to e with the URL query string params (settings, already
 * escaped). On 200 the body is in *body (caller frees body->p). Otherwise
 * returns BF_ERROR_STORE with one line in err, ClickHouse's exception text
 * and the HTTP status, *error_class set, and *code set to ClickHouse's
 * exception code (0: none, e.g. no connection). retry_safe: running the
 * statement twice is harmless (reads, idempotent DDL); other statements
 * are retried only when the server certainly did not run them (no
 * connection, or refused for too many queries). */
int ch_http_post(ch_endpoint *e, const char *params, const char *sql, int retry_safe, ch_buf *body,
                 char *err, size_t errlen, int *error_class, int *code);

/* Call fn for each row of a FORMAT JSONCompact body, typed by the meta
 * column types (fn NULL: the body is not read). Returns BF_OK, or
 * BF_ERROR_STORE with err filled when the body is not what was asked for,
 * an empty body included (a query always answers a document). */
int ch_http_rows(const ch_buf *body, store_row_fn fn, void *udata, char *err, size_t errlen);

#endif
