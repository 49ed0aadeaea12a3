/* checks.c - the effective quality checks of a processor: its declarations
 * and its config section's overrides and additions, each validated with a
 * message naming the plugin file or FILE:LINE. Nothing here touches the
 * store. */
#include "plugin/checks.h"
#include "base/names.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {NULL,        "not_null", "unique",     "range",
                                         "row_count", "sql",      "sql_by_date"};
#define KIND_MAX  BF_CHECK_SQL_BY_DATE
#define KIND_LIST "not_null, unique, range, row_count, sql or sql_by_date"

const char *checks_kind_name(int kind)
{
    return kind >= 1 && kind <= KIND_MAX ? kind_names[kind] : NULL;
}

static int kind_of(const char *name)
{
    for (int k = 1; k <= KIND_MAX; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return 0;
}

static int plain(const char *s)
{
    return name_is_identifier(s) && !strchr(s, '.');
}

static int set(const char *s)
{
    return s && *s;
}

/* The key columns of unique: plain names separated by commas. */
static int plain_list(const char *s)
{
    char name[128];
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, ",");
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n == 0 || n >= sizeof name)
            return 0;
        memcpy(name, s, n);
        name[n] = '\0';
        if (!plain(name))
            return 0;
        s += n;
        while (*s == ' ')
            s++;
        if (*s == ',' && *++s == '\0')
            return 0; /* a trailing comma */
    }
    return 1;
}

/* Why c is not a valid check, or NULL. */
static const char *invalid(const bf_check *c)
{
    int k = c->kind;
    if (!checks_kind_name(k))
        return "unknown kind (" KIND_LIST ")";
    if ((k == BF_CHECK_NOT_NULL || k == BF_CHECK_RANGE) && !(set(c->column) && plain(c->column)))
        return "column must be a plain column name";
    if (k == BF_CHECK_UNIQUE && !(set(c->column) && plain_list(c->column)))
        return "column must list the key columns: plain names separated by commas";
    int sql = k == BF_CHECK_SQL || k == BF_CHECK_SQL_BY_DATE;
    if ((k == BF_CHECK_ROW_COUNT || sql) && set(c->column))
        return "takes no column";
    if ((k == BF_CHECK_ROW_COUNT || sql) && set(c->filter))
        return "takes no filter";
    if (sql && !(set(c->sql) && strstr(c->sql, "%s")))
        return "sql must count the failing rows of the table given as %s";
    if (k == BF_CHECK_SQL_BY_DATE && !(strstr(c->sql, "?1") && strstr(c->sql, "?2")))
        return "sql must take the range's first date as ?1 and its last as ?2";
    if (!sql && set(c->sql))
        return "takes no sql (only kinds sql and sql_by_date do)";
    if (k == BF_CHECK_NOT_NULL && !(c->max_null_share >= 0 && c->max_null_share <= 1))
        return "max_null_share must be within 0-1";
    if ((k == BF_CHECK_RANGE || k == BF_CHECK_ROW_COUNT) && !(c->min <= c->max))
        return "min must not exceed max";
    if (k == BF_CHECK_ROW_COUNT && c->min < 0)
        return "min must not be negative";
    return NULL;
}

static bf_check *find(check_set *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->checks[i].name, name) == 0)
            return &cs->checks[i];
    return NULL;
}

static int declared(const plugin *p, check_set *cs, char *err, size_t errlen)
{
    size_t n = 0;
    for (const bf_check *c = p->desc->checks; c && c->name; c++)
        n++;
    cs->checks = calloc(n ? n : 1, sizeof *cs->checks);
    if (!cs->checks) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const bf_check *c = &p->desc->checks[i];
        const char *bad = !plain(c->name)     ? "name is not a plain name"
                          : find(cs, c->name) ? "is declared twice"
                                              : invalid(c);
        if (bad) {
            snprintf(err, errlen, "%s: check '%s': %s", p->path, c->name, bad);
            return -1;
        }
        cs->checks[cs->n++] = *c;
    }
    return 0;
}

/* The config keys of one check, and which kinds take them as a threshold
 * a declared check may override. */
static const struct {
    const char *key;
    int number;
    unsigned threshold_of; /* bit (1 << kind) */
} keys[] = {
    {"kind", 0, 0},
    {"column", 0, 0},
    {"filter", 0, 0},
    {"sql", 0, 0},
    {"max_null_share", 1, 1u << BF_CHECK_NOT_NULL},
    {"min", 1, 1u << BF_CHECK_RANGE | 1u << BF_CHECK_ROW_COUNT},
    {"max", 1, 1u << BF_CHECK_RANGE | 1u << BF_CHECK_ROW_COUNT},
};

/* Set c's field key from s; -1 with the reason in why. */
static int read_key(bf_check *c, const config_setting_t *s, size_t k, char *why, size_t whylen)
{
    int t = config_setting_type(s);
    if (keys[k].number) {
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT) {
            snprintf(why, whylen, "expected a number");
            return -1;
        }
        double v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                          : (double)config_setting_get_int64(s);
        if (strcmp(keys[k].key, "max_null_share") == 0)
            c->max_null_share = v;
        else if (strcmp(keys[k].key, "min") == 0)
            c->min = v;
        else
            c->max = v;
        return 0;
    }
    if (t != CONFIG_TYPE_STRING) {
        snprintf(why, whylen, "expected a string");
        return -1;
    }
    const char *v = config_setting_get_string(s);
    if (strcmp(keys[k].key, "kind") == 0) {
        c->kind = kind_of(v);
        if (!c->kind) {
            snprintf(why, whylen, "unknown kind '%s' (" KIND_LIST ")", v);
            return -1;
        }
    } else if (strcmp(keys[k].key, "column") == 0) {
        c->column = v;
    } else if (strcmp(keys[k].key, "filter") == 0) {
        c->filter = v;
    } else {
        c->sql = v;
    }
    return 0;
}

/* An entry's scope: 0 per date (no scope, or "date"), 1 "range", -1 neither
 * (*line then names the scope key's line). */
static int scope_of(const config_setting_t *entry, int *line)
{
    const config_setting_t *scope = config_setting_get_member(entry, "scope");
    const char *v = scope ? config_setting_get_string(scope) : NULL;
    if (!scope || (v && strcmp(v, "date") == 0))
        return 0;
    if (v && strcmp(v, "range") == 0)
        return 1;
    *line = (int)config_setting_source_line(scope);
    return -1;
}

/* One entry of processors.<name>.checks: an override, a new check, or a
 * range check (scope = "range"), left to range_checks.c. */
static int configured(const bf_config *cfg, const plugin *p, check_set *cs,
                      const config_setting_t *entry, char *err, size_t errlen)
{
    const char *name = config_setting_name(entry);
    char why[256] = "";
    int line = (int)config_setting_source_line(entry);
    const char *key = NULL;
    bf_check *c = find(cs, name);
    int added = !c;
    if (!config_setting_is_group(entry)) {
        snprintf(why, sizeof why, "expected a group { kind = ...; } or { threshold = ...; }");
        goto fail;
    }
    switch (scope_of(entry, &line)) {
    case 1: return 0; /* scope = "range": range_checks.c reads it */
    case -1:
        key = "scope";
        snprintf(why, sizeof why,
                 "expected \"date\" (each date, the default) or \"range\" (the whole range)");
        goto fail;
    }
    if (added) {
        if (!plain(name)) {
            snprintf(why, sizeof why, "a check name must be a plain name");
            goto fail;
        }
        c = &cs->checks[cs->n++];
        memset(c, 0, sizeof *c);
        c->name = name;
    }
    for (int i = 0; i < config_setting_length(entry); i++) {
        const config_setting_t *s = config_setting_get_elem(entry, i);
        size_t k = 0;
        key = config_setting_name(s);
        line = (int)config_setting_source_line(s);
        if (strcmp(key, "scope") == 0)
            continue; /* "date", read by scope_of */
        if (strcmp(key, "by") == 0) {
            snprintf(why, sizeof why, "by groups a check with scope = \"range\" only");
            goto fail;
        }
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].key, key) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0]) {
            snprintf(why, sizeof why,
                     "unknown key (kind, column, filter, sql, max_null_share, min, max, scope)");
            goto fail;
        }
        if (!added && !(keys[k].threshold_of & 1u << c->kind)) {
            snprintf(why, sizeof why,
                     "%s is declared by the processor: only its threshold%s may be set here (%s)",
                     name, c->kind == BF_CHECK_NOT_NULL ? "" : "s",
                     c->kind == BF_CHECK_NOT_NULL                                 ? "max_null_share"
                     : c->kind == BF_CHECK_RANGE || c->kind == BF_CHECK_ROW_COUNT ? "min, max"
                                                                                  : "none");
            goto fail;
        }
        if (read_key(c, s, k, why, sizeof why) != 0)
            goto fail;
    }
    key = NULL;
    line = (int)config_setting_source_line(entry);
    const char *bad = added && !c->kind ? "a new check needs a kind" : invalid(c);
    if (!bad)
        return 0;
    snprintf(why, sizeof why, "%s", bad);
fail:
    snprintf(err, errlen, "%s:%d: processors.%s.%s.%s%s%s: %s", cfg->path, line, p->desc->name,
             CHECKS_CONFIG_KEY, name, key ? "." : "", key ? key : "", why);
    return -1;
}

int checks_declared(const plugin *p, char *err, size_t errlen)
{
    check_set cs = {0};
    int rc = declared(p, &cs, err, errlen);
    checks_free(&cs);
    return rc;
}

int checks_load(const bf_config *cfg, const plugin *p, check_set *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (declared(p, out, err, errlen) != 0)
        goto fail;
    const config_setting_t *section = config_processor_section(cfg, p->desc->name);
    const config_setting_t *group =
        section ? config_setting_get_member(section, CHECKS_CONFIG_KEY) : NULL;
    if (!group)
        return 0;
    if (!config_setting_is_group(group)) {
        snprintf(
            err, errlen, "%s:%d: processors.%s.%s: expected a group of checks { name = { ... }; }",
            cfg->path, (int)config_setting_source_line(group), p->desc->name, CHECKS_CONFIG_KEY);
        goto fail;
    }
    int more = config_setting_length(group);
    bf_check *grown = realloc(out->checks, (out->n + (size_t)more + 1) * sizeof *grown);
    if (!grown) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    out->checks = grown;
    for (int i = 0; i < more; i++)
        if (configured(cfg, p, out, config_setting_get_elem(group, i), err, errlen) != 0)
            goto fail;
    return 0;
fail:
    checks_free(out);
    return -1;
}

void checks_free(check_set *cs)
{
    free(cs->checks);
    memset(cs, 0, sizeof *cs);
}

const char *checks_label(const bf_check *c, char *buf, size_t size)
{
    const char *kind = checks_kind_name(c->kind);
    if (c->kind == BF_CHECK_SQL || c->kind == BF_CHECK_SQL_BY_DATE)
        snprintf(buf, size, "%s(%s)", kind, c->name);
    else if (c->kind == BF_CHECK_ROW_COUNT)
        snprintf(buf, size, "row_count");
    else
        snprintf(buf, size, "%s(%s%s%s)", kind ? kind : "?", c->column ? c->column : "",
                 set(c->filter) ? " | " : "", set(c->filter) ? c->filter : "");
    return buf;
}

const char *checks_limit(const bf_check *c, char *buf, size_t size)
{
    switch (c->kind) {
    case BF_CHECK_NOT_NULL: snprintf(buf, size, "%g %%", 100 * c->max_null_share); break;
    case BF_CHECK_RANGE: snprintf(buf, size, "[%g, %g]", c->min, c->max); break;
    case BF_CHECK_ROW_COUNT: snprintf(buf, size, "%g-%g of expected", c->min, c->max); break;
    default: snprintf(buf, size, "0"); break;
    }
    return buf;
}

void checks_print(const check_set *cs, FILE *out)
{
    if (cs->n == 0) {
        fprintf(out, "    checks: (none)\n");
        return;
    }
    fprintf(out, "    checks: (thresholds: processors.<name>.%s.<check> = { ... })\n",
            CHECKS_CONFIG_KEY);
    for (size_t i = 0; i < cs->n; i++) {
        char label[512], limit[96];
        fprintf(out, "      %-20s %s, limit %s\n", cs->checks[i].name,
                checks_label(&cs->checks[i], label, sizeof label),
                checks_limit(&cs->checks[i], limit, sizeof limit));
    }
}
