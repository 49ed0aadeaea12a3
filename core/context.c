/* context.c - the service table behind bf_ctx. Everything a plugin can do
 * to the store passes through here, so store errors are recorded for the
 * checkpoint and every log line names the processor and the date. */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static run_ctx *core_of(bf_ctx *ctx)
{
    return (run_ctx *)ctx;
}

static int remember(run_ctx *c, int rc)
{
    if (rc != BF_OK)
        snprintf(c->error, sizeof c->error, "%s", store_error(c->store));
    return rc;
}

static int api_exec(bf_ctx *ctx, const char *sql, const bf_value *params, int n)
{
    run_ctx *c = core_of(ctx);
    return remember(c, store_exec(c->store, sql, params, n));
}

typedef struct first_int {
    int seen;
    int64_t value;
} first_int;

static int take_first(void *udata, int ncols, const char *const *values)
{
    first_int *f = udata;
    f->seen = 1;
    f->value = ncols > 0 && values[0] ? strtoll(values[0], NULL, 10) : 0;
    return 1;
}

static int api_query_int(bf_ctx *ctx, const char *sql, const bf_value *params, int n, int64_t *out)
{
    run_ctx *c = core_of(ctx);
    first_int f = {0, 0};
    int rc = remember(c, store_query(c->store, sql, params, n, take_first, &f));
    if (rc != BF_OK)
        return rc;
    if (!f.seen)
        return BF_ERROR_NOTFOUND;
    *out = f.value;
    return BF_OK;
}

static void api_vlog(bf_ctx *ctx, int level, const char *fmt, va_list ap)
{
    (void)ctx;
    if (level < BF_LOG_ERROR || level > BF_LOG_DEBUG)
        level = BF_LOG_INFO;
    log_vmsg(level, fmt, ap);
}

/* Returned for a setting of the wrong type (already reported). */
#define BAD_SETTING ((const config_setting_t *)-1)

/* The plugin's own setting, or NULL; complains about a wrong type. */
static const config_setting_t *setting(run_ctx *c, const char *key, int want_number,
                                       const char *want)
{
    const config_setting_t *section = config_processor_section(c->cfg, c->plugin->desc->name);
    const config_setting_t *s = section ? config_setting_get_member(section, key) : NULL;
    if (!s)
        return NULL;
    int t = config_setting_type(s);
    int ok = want_number ? (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ||
                            (want_number == 2 && t == CONFIG_TYPE_FLOAT))
                         : t == CONFIG_TYPE_STRING;
    if (!ok) {
        log_error("%s:%d: processors.%s.%s: expected %s", c->cfg->path,
                  config_setting_source_line(s), c->plugin->desc->name, key, want);
        return BAD_SETTING;
    }
    return s;
}

static int api_config_int(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out)
{
    const config_setting_t *s = setting(core_of(ctx), key, 1, "an integer");
    if (s == BAD_SETTING)
        return BF_ERROR_CONFIG;
    *out = s ? config_setting_get_int64(s) : dflt;
    return BF_OK;
}

static int api_config_real(bf_ctx *ctx, const char *key, double dflt, double *out)
{
    const config_setting_t *s = setting(core_of(ctx), key, 2, "a number");
    if (s == BAD_SETTING)
        return BF_ERROR_CONFIG;
    if (!s)
        *out = dflt;
    else
        *out = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                           : (double)config_setting_get_int64(s);
    return BF_OK;
}

static int api_config_string(bf_ctx *ctx, const char *key, const char *dflt, const char **out)
{
    const config_setting_t *s = setting(core_of(ctx), key, 0, "a string");
    if (s == BAD_SETTING)
        return BF_ERROR_CONFIG;
    *out = s ? config_setting_get_string(s) : dflt;
    return BF_OK;
}

static const char *api_dialect(bf_ctx *ctx)
{
    return store_dialect(core_of(ctx)->store);
}

static const char *api_output_table(bf_ctx *ctx)
{
    run_ctx *c = core_of(ctx);
    return c->write_table ? c->write_table : c->plugin->desc->output_table;
}

static const bf_api api = {
    .size = sizeof(bf_api),
    .abi_version = BF_ABI_VERSION,
    .exec = api_exec,
    .query_int = api_query_int,
    .vlog = api_vlog,
    .config_int = api_config_int,
    .config_real = api_config_real,
    .config_string = api_config_string,
    .dialect = api_dialect,
    .output_table = api_output_table,
};

void context_init(run_ctx *ctx, store *s, const plugin *p, const bf_config *cfg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->pub.api = &api;
    ctx->store = s;
    ctx->plugin = p;
    ctx->cfg = cfg;
}
