/* prepare_helper - a library that links_prepare.so links, which happens to
 * export a function named prepare. It must never be taken for the plugin's
 * own optional prepare(): if called, it fails loudly. */
#include <stdio.h>

int prepare(void *ctx);
int prepare(void *ctx)
{
    (void)ctx;
    fprintf(stderr, "prepare_helper: the library's prepare() was called\n");
    return 1;
}

int helper_rows(void);
int helper_rows(void)
{
    return 0;
}
