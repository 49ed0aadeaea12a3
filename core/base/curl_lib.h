/* curl_lib.h - libcurl, opened with dlopen when a command first needs
 * HTTP (the ClickHouse store, a webhook). Linked in, its thirty libraries
 * cost every start of backfill about 5 ms, most runs never use it, and a
 * cheap processor's whole run is about a hundred times that. */
#ifndef BF_CURL_LIB_H
#define BF_CURL_LIB_H

#include <curl/curl.h>

/* The libcurl functions backfill calls, with libcurl's own signatures. */
typedef struct curl_lib {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    void (*easy_cleanup)(CURL *h);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} curl_lib;

/* libcurl.so.4, loaded once per process and kept (thread-safe). NULL with
 * one line in err (if not NULL) naming the library or the missing symbol. */
const curl_lib *curl_lib_load(char *err, size_t errlen);

#endif
