/* versioned - a processor whose code the provenance test rebuilds: it
 * writes upstream's v times FACTOR (a compile-time formula) times its
 * config key factor, under the name TEST_NAME, declaring TEST_VERSION (if
 * defined) as its version. Its key label is run-only: it never changes a
 * row. Built by tests/e2e/test_provenance.sh and test_code_identity.sh,
 * not by make.
 *
 * With SWAP_ON_LOAD, loading it replaces its own file by PATH.next, and
 * moves PATH.later, if any, to PATH.next: a deploy landing while the core
 * loads it. */
#ifdef SWAP_ON_LOAD
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

__attribute__((constructor)) static void swap_on_load(void)
{
    Dl_info info;
    char next[4096], later[4096];
    if (!dladdr((void *)swap_on_load, &info) || !info.dli_fname)
        return;
    snprintf(next, sizeof next, "%s.next", info.dli_fname);
    snprintf(later, sizeof later, "%s.later", info.dli_fname);
    if (rename(next, info.dli_fname) == 0)
        (void)rename(later, next);
}
#endif
#ifndef TEST_NAME
#define TEST_NAME "versioned"
#endif
#ifndef FACTOR
#define FACTOR 1
#endif
#ifndef RUN_ONLY
#define RUN_ONLY "label"
#endif
#define TEST_RUN_ONLY_KEYS RUN_ONLY
#include "../testlib.h"

static const bf_config_key keys[] = {
    {.name = "factor", .type = BF_CONFIG_INT, .description = "multiplies v", .int_default = 1},
    {.name = "label", .type = BF_CONFIG_STRING, .description = "logged, nothing more"},
    {0},
};

TEST_PROCESSOR(TEST_NAME, "v times a factor (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM, keys)

int process_date(bf_ctx *ctx, const char *date)
{
    int64_t factor = 1;
    const char *label = NULL;
    if (bf_config_int(ctx, "factor", 1, &factor) != BF_OK ||
        bf_config_string(ctx, "label", "", &label) != BF_OK)
        return BF_ERROR;
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT game_date, v * ? FROM upstream WHERE game_date = ?",
             bf_output_table(ctx));
    bf_value p[2] = {BF_V_INT(factor * FACTOR), BF_V_TEXT(date)};
    return bf_exec(ctx, sql, p, 2);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
