/* curl_lib.c - libcurl.so.4 through dlopen, loaded on first use. */
#include "base/curl_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define CURL_LIB_SONAME "libcurl.so.4"

static curl_lib lib;
static const curl_lib *loaded;
static char why[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Store the address of name in h into the function pointer at field
 * (POSIX makes dlsym's object pointer convertible to one), or note that
 * the symbol is missing. */
static void find(void *h, const char *name, void *field, size_t size)
{
    void *p = dlsym(h, name);
    if (!p && !why[0])
        snprintf(why, sizeof why, "%s: no symbol %s", CURL_LIB_SONAME, name);
    memcpy(field, &p, size);
}

#define FIND(field, name) find(h, name, &lib.field, sizeof lib.field)

static void load(void)
{
    /* Kept for the life of the process: libcurl cannot be unloaded safely
     * once its global state (TLS libraries) is set up. */
    void *h = dlopen(CURL_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "cannot load %s (Debian package libcurl4): %s", CURL_LIB_SONAME,
                 e ? e : "unknown error");
        return;
    }
    FIND(global_init, "curl_global_init");
    FIND(global_cleanup, "curl_global_cleanup");
    FIND(easy_init, "curl_easy_init");
    FIND(easy_setopt, "curl_easy_setopt");
    FIND(easy_perform, "curl_easy_perform");
    FIND(easy_getinfo, "curl_easy_getinfo");
    FIND(easy_strerror, "curl_easy_strerror");
    FIND(easy_cleanup, "curl_easy_cleanup");
    FIND(slist_append, "curl_slist_append");
    FIND(slist_free_all, "curl_slist_free_all");
    if (!why[0])
        loaded = &lib;
}

const curl_lib *curl_lib_load(char *err, size_t errlen)
{
    pthread_once(&once, load);
    if (!loaded && err)
        snprintf(err, errlen, "%s", why);
    return loaded;
}
