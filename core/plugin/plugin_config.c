/* plugin_config.c - the reader of a processor's own keys in
 * processors.<name> (its checks = { ... } are checks.c's). The core, not
 * each plugin, rejects a misspelt key (min_minutez = 10.0 would otherwise
 * run on the default), a wrong type or an out-of-range number, with the
 * file and line, before any date runs. */
#include "plugin/plugin_config.h"
#include "base/names.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hash.h"
#include "plugin/plugin_path.h"

#include "plugin/checks.h"
#include "plugin/range_checks.h"

static const char *type_name(int type)
{
    switch (type) {
    case BF_CONFIG_INT: return "an integer";
    case BF_CONFIG_REAL: return "a number";
    case BF_CONFIG_STRING: return "a string";
    default: return "an unknown type";
    }
}

/* A number as a user wrote it: integers without an exponent. */
static const char *number_text(double v, char *buf, size_t size)
{
    if (v == (double)(long long)v && v > -1e18 && v < 1e18)
        snprintf(buf, size, "%lld", (long long)v);
    else
        snprintf(buf, size, "%g", v);
    return buf;
}

static const bf_config_key *declared(const plugin *p, const char *key)
{
    for (const bf_config_key *k = p->desc->config_keys; k && k->name; k++)
        if (strcmp(k->name, key) == 0)
            return k;
    return NULL;
}

static int bounded(const bf_config_key *k)
{
    return k->type != BF_CONFIG_STRING && (k->min != 0 || k->max != 0);
}

/* The declared names, comma-separated, for "unknown key" messages. */
static void declared_names(const plugin *p, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const bf_config_key *k = p->desc->config_keys; k && k->name && n < size; k++)
        n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "", k->name);
}

/* Whether name is listed in p's run_only_keys ("a, b"). */
static int run_only(const plugin *p, const char *name)
{
    size_t len = strlen(name);
    for (const char *s = p->desc->run_only_keys; s && *s;) {
        s += strspn(s, " ,");
        size_t n = strcspn(s, " ,");
        if (n == len && strncmp(s, name, n) == 0)
            return 1;
        s += n;
    }
    return 0;
}

/* Every name in run_only_keys is a declared key. */
static int check_run_only(const plugin *p, char *err, size_t errlen)
{
    for (const char *s = p->desc->run_only_keys; s && *s;) {
        s += strspn(s, " ,");
        size_t n = strcspn(s, " ,");
        const bf_config_key *k = p->desc->config_keys;
        while (k && k->name && (strlen(k->name) != n || strncmp(k->name, s, n) != 0))
            k++;
        if (n && (!k || !k->name)) {
            snprintf(err, errlen,
                     "%s: run_only_keys names '%.*s', which is not a declared config key", p->path,
                     (int)n, s);
            return -1;
        }
        s += n;
    }
    return 0;
}

static int check_declarations(const plugin *p, char *err, size_t errlen)
{
    for (const bf_config_key *k = p->desc->config_keys; k && k->name; k++) {
        const char *bad = NULL;
        if (!name_is_identifier(k->name) || strchr(k->name, '.'))
            bad = "is not a plain name";
        else if (strcmp(k->name, CHECKS_CONFIG_KEY) == 0)
            bad = "is reserved for quality checks";
        else if (k->type < BF_CONFIG_INT || k->type > BF_CONFIG_STRING)
            bad = "has an unknown type";
        else if (declared(p, k->name) != k)
            bad = "is declared twice";
        else if (bounded(k) &&
                 (k->min > k->max ||
                  (k->type == BF_CONFIG_INT ? (double)k->int_default : k->real_default) < k->min ||
                  (k->type == BF_CONFIG_INT ? (double)k->int_default : k->real_default) > k->max))
            bad = "has a default outside its bounds";
        if (bad) {
            snprintf(err, errlen, "%s: config key '%s' %s", p->path, k->name, bad);
            return -1;
        }
    }
    return check_run_only(p, err, errlen);
}

/* The setting's value as k->type; -1 with the reason in err. */
static int read_setting(const bf_config *cfg, const plugin *p, const config_setting_t *s,
                        const bf_config_key *k, plugin_value *v, char *err, size_t errlen)
{
    int t = config_setting_type(s);
    int ok = k->type == BF_CONFIG_STRING ? t == CONFIG_TYPE_STRING
             : k->type == BF_CONFIG_INT
                 ? t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64
                 : t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
    const char *where = cfg->path;
    int line = (int)config_setting_source_line(s);
    if (!ok) {
        snprintf(err, errlen, "%s:%d: processors.%s.%s: expected %s", where, line, p->desc->name,
                 k->name, type_name(k->type));
        return -1;
    }
    double number = 0;
    if (k->type == BF_CONFIG_STRING) {
        v->s = config_setting_get_string(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        v->d = number = config_setting_get_float(s);
    } else {
        long long i = config_setting_get_int64(s);
        if (k->type == BF_CONFIG_INT)
            v->i = i;
        else
            v->d = (double)i;
        number = (double)i;
    }
    if (bounded(k) && (number < k->min || number > k->max)) {
        char a[32], b[32], c[32];
        snprintf(err, errlen, "%s:%d: processors.%s.%s: %s is out of range %s-%s", where, line,
                 p->desc->name, k->name, number_text(number, a, sizeof a),
                 number_text(k->min, b, sizeof b), number_text(k->max, c, sizeof c));
        return -1;
    }
    return 0;
}

double plugin_config_threshold(const bf_config *cfg, const plugin *p, size_t k)
{
    const config_setting_t *mine =
        cfg->thresholds ? config_setting_get_member(cfg->thresholds, p->desc->name) : NULL;
    const config_setting_t *v = mine ? config_setting_get_member(mine, p->deps[k].table) : NULL;
    if (v)
        return config_setting_type(v) == CONFIG_TYPE_FLOAT ? config_setting_get_float(v)
                                                           : (double)config_setting_get_int(v);
    return p->deps[k].min_coverage > 0 ? p->deps[k].min_coverage : cfg->min_coverage;
}

/* Every preflight.thresholds.<p>.<table> names a dependency of p. */
static int check_thresholds(const bf_config *cfg, const plugin *p, char *err, size_t errlen)
{
    const config_setting_t *mine =
        cfg->thresholds ? config_setting_get_member(cfg->thresholds, p->desc->name) : NULL;
    for (int i = 0; mine && i < config_setting_length(mine); i++) {
        const config_setting_t *v = config_setting_get_elem(mine, i);
        size_t k = 0;
        while (k < p->ndeps && strcasecmp(p->deps[k].table, config_setting_name(v)) != 0)
            k++;
        if (k == p->ndeps) {
            snprintf(err, errlen, "%s:%d: preflight.thresholds.%s.%s: %s has no such dependency",
                     cfg->path, (int)config_setting_source_line(v), p->desc->name,
                     config_setting_name(v), p->desc->name);
            return -1;
        }
    }
    return 0;
}

int plugin_config_check(const bf_config *cfg, const plugin *p, char *err, size_t errlen)
{
    check_set checks;
    if (check_declarations(p, err, errlen) != 0 || check_thresholds(cfg, p, err, errlen) != 0 ||
        checks_load(cfg, p, &checks, err, errlen) != 0)
        return -1;
    checks_free(&checks);
    range_check_set ranged;
    if (range_checks_load(cfg, p, &ranged, err, errlen) != 0)
        return -1;
    range_checks_free(&ranged);
    const config_setting_t *section = config_processor_section(cfg, p->desc->name);
    for (int i = 0; section && i < config_setting_length(section); i++) {
        const config_setting_t *s = config_setting_get_elem(section, i);
        if (strcmp(config_setting_name(s), CHECKS_CONFIG_KEY) == 0)
            continue; /* checks_load read it */
        const bf_config_key *k = declared(p, config_setting_name(s));
        if (!k) {
            char names[256];
            declared_names(p, names, sizeof names);
            snprintf(err, errlen, "%s:%d: processors.%s.%s: unknown key (%s%s)", cfg->path,
                     (int)config_setting_source_line(s), p->desc->name, config_setting_name(s),
                     names[0] ? "declared: " : "the processor declares no keys", names);
            return -1;
        }
        plugin_value v;
        if (read_setting(cfg, p, s, k, &v, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int plugin_config_sections(const bf_config *cfg, char *err, size_t errlen)
{
    config_setting_t *procs = config_lookup(&cfg->lc, "processors");
    for (int i = 0; procs && i < config_setting_length(procs); i++) {
        const config_setting_t *s = config_setting_get_elem(procs, i);
        int found = plugin_path_find(cfg, config_setting_name(s)) != NULL;
        if (!found) {
            snprintf(err, errlen, "%s:%d: processors.%s: no processor '%s' in %s", cfg->path,
                     (int)config_setting_source_line(s), config_setting_name(s),
                     config_setting_name(s), cfg->plugin_path);
            return -1;
        }
    }
    return 0;
}

int plugin_config_get(const bf_config *cfg, const plugin *p, const char *key, int type,
                      plugin_value *v, char *why, size_t whylen)
{
    const bf_config_key *k = declared(p, key);
    if (!k && !p->desc->config_keys)
        return 0; /* nothing declared: the section is empty, the default holds */
    if (!k || k->type != type) {
        snprintf(why, whylen, "%s: reads config key '%s' as %s, but %s", p->path, key,
                 type_name(type), k ? "declares it otherwise" : "does not declare it");
        return -1;
    }
    const config_setting_t *section = config_processor_section(cfg, p->desc->name);
    const config_setting_t *s = section ? config_setting_get_member(section, key) : NULL;
    if (s)
        return read_setting(cfg, p, s, k, v, why, whylen);
    if (type == BF_CONFIG_INT)
        v->i = k->int_default;
    else if (type == BF_CONFIG_REAL)
        v->d = k->real_default;
    else
        v->s = k->string_default ? k->string_default : "";
    return 0;
}

void plugin_config_print(const plugin *p, FILE *out)
{
    if (!p->desc->config_keys || !p->desc->config_keys->name) {
        fprintf(out, "    config: (no keys)\n");
        return;
    }
    fprintf(out, "    config: processors.%s = { ... }\n", p->desc->name);
    for (const bf_config_key *k = p->desc->config_keys; k->name; k++) {
        char dflt[128];
        if (k->type == BF_CONFIG_INT)
            snprintf(dflt, sizeof dflt, "%lld", (long long)k->int_default);
        else if (k->type == BF_CONFIG_REAL)
            snprintf(dflt, sizeof dflt, "%g", k->real_default);
        else
            snprintf(dflt, sizeof dflt, "\"%s\"", k->string_default ? k->string_default : "");
        fprintf(out, "      %-20s %-7s default %-10s %s\n", k->name,
                k->type == BF_CONFIG_INT    ? "int"
                : k->type == BF_CONFIG_REAL ? "real"
                                            : "string",
                dflt, k->description ? k->description : "");
        if (bounded(k)) {
            char a[32], b[32];
            fprintf(out, "      %-20s %-7s range %s-%s\n", "", "", number_text(k->min, a, sizeof a),
                    number_text(k->max, b, sizeof b));
        }
    }
}

void plugin_config_fingerprint(const bf_config *cfg, const plugin *p, char *out, size_t outlen)
{
    uint64_t h = HASH_SEED;
    for (const bf_config_key *k = p->desc->config_keys; k && k->name; k++) {
        plugin_value v = {0};
        char text[64], why[256];
        if (run_only(p, k->name) ||
            plugin_config_get(cfg, p, k->name, k->type, &v, why, sizeof why))
            continue;
        h = hash_bytes(h, k->name, strlen(k->name) + 1);
        if (k->type == BF_CONFIG_STRING) {
            h = hash_bytes(h, v.s, strlen(v.s) + 1);
            continue;
        }
        if (k->type == BF_CONFIG_INT)
            snprintf(text, sizeof text, "%lld", (long long)v.i);
        else
            snprintf(text, sizeof text, "%.17g", v.d);
        h = hash_bytes(h, text, strlen(text) + 1);
    }
    snprintf(out, outlen, "config %016llx", (unsigned long long)h);
}
