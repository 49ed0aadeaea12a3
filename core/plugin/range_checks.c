/* range_checks.c - see range_checks.h. The config entries with scope =
 * "range" are read here (checks.c leaves them alone); the figures come
 * from check_measure.c's grouped query, summed per group in memory. */
#include "plugin/range_checks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"
#include "plugin/checks.h"

static const char *const by_names[] = {"range", "season", "month"};

const char *range_checks_by_name(int by)
{
    return by >= RANGE_BY_NONE && by <= RANGE_BY_MONTH ? by_names[by] : "?";
}

static int is_range_scoped(const config_setting_t *entry)
{
    const config_setting_t *scope =
        config_setting_is_group(entry) ? config_setting_get_member(entry, "scope") : NULL;
    const char *v = scope ? config_setting_get_string(scope) : NULL;
    return v && strcmp(v, "range") == 0;
}

static int declared_name(const plugin *p, const char *name)
{
    for (const bf_check *c = p->desc->checks; c && c->name; c++)
        if (strcmp(c->name, name) == 0)
            return 1;
    return 0;
}

static int number(const config_setting_t *s, double *v)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT)
        return -1;
    *v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : (double)config_setting_get_int64(s);
    return 0;
}

/* One key of a range check into rc; NULL, or why it is refused. */
static const char *read_key(range_check *rc, const config_setting_t *s)
{
    const char *key = config_setting_name(s);
    const char *v =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (strcmp(key, "max_null_share") == 0 || strcmp(key, "min") == 0 || strcmp(key, "max") == 0) {
        double d;
        if (number(s, &d) != 0)
            return "expected a number";
        if (strcmp(key, "max_null_share") == 0)
            rc->c.max_null_share = d;
        else if (strcmp(key, "min") == 0)
            rc->c.min = d;
        else
            rc->c.max = d;
        return NULL;
    }
    if (strcmp(key, "kind") && strcmp(key, "column") && strcmp(key, "filter") &&
        strcmp(key, "scope") && strcmp(key, "by"))
        return "unknown key for a range check (kind, column, filter, max_null_share, min, max, "
               "scope, by)";
    if (!v)
        return "expected a string";
    if (strcmp(key, "kind") == 0) {
        rc->c.kind = strcmp(v, "not_null") == 0 ? BF_CHECK_NOT_NULL
                     : strcmp(v, "range") == 0  ? BF_CHECK_RANGE
                                                : -1;
        return rc->c.kind < 0 ? "a range check's kind is not_null or range" : NULL;
    }
    if (strcmp(key, "by") == 0) {
        rc->by = strcmp(v, "season") == 0  ? RANGE_BY_SEASON
                 : strcmp(v, "month") == 0 ? RANGE_BY_MONTH
                                           : -1;
        return rc->by < 0 ? "by is \"season\" or \"month\"" : NULL;
    }
    if (strcmp(key, "column") == 0)
        rc->c.column = v;
    else if (strcmp(key, "filter") == 0)
        rc->c.filter = v;
    return NULL;
}

/* Why rc, fully read, is not a valid range check, or NULL. */
static const char *invalid(const range_check *rc)
{
    const bf_check *c = &rc->c;
    if (c->kind == 0)
        return "a range check needs a kind (not_null or range)";
    if (!c->column || !name_is_identifier(c->column) || strchr(c->column, '.'))
        return "column must be a plain column name";
    if (c->kind == BF_CHECK_NOT_NULL && !(c->max_null_share >= 0 && c->max_null_share <= 1))
        return "max_null_share must be within 0-1";
    if (c->kind == BF_CHECK_RANGE && !(c->min <= c->max))
        return "min must not exceed max";
    return NULL;
}

/* Entry (scope = "range") into rc; 0, or -1 with err. */
static int read_entry(const bf_config *cfg, const plugin *p, const config_setting_t *entry,
                      range_check *rc, char *err, size_t errlen)
{
    const char *name = config_setting_name(entry), *key = NULL, *why = NULL;
    int line = (int)config_setting_source_line(entry);
    memset(rc, 0, sizeof *rc);
    rc->c.name = name;
    rc->line = line;
    if (!name_is_identifier(name) || strchr(name, '.'))
        why = "a check name must be a plain name";
    else if (declared_name(p, name))
        why = "the processor declares this check per date: a range check needs a name of its own";
    for (int i = 0; !why && i < config_setting_length(entry); i++) {
        const config_setting_t *s = config_setting_get_elem(entry, i);
        key = config_setting_name(s);
        line = (int)config_setting_source_line(s);
        why = read_key(rc, s);
    }
    if (!why) {
        key = NULL;
        line = rc->line;
        why = invalid(rc);
    }
    if (!why)
        return 0;
    snprintf(err, errlen, "%s:%d: processors.%s.%s.%s%s%s: %s", cfg->path, line, p->desc->name,
             CHECKS_CONFIG_KEY, name, key ? "." : "", key ? key : "", why);
    return -1;
}

int range_checks_load(const bf_config *cfg, const plugin *p, range_check_set *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    const config_setting_t *section = config_processor_section(cfg, p->desc->name);
    const config_setting_t *group =
        section ? config_setting_get_member(section, CHECKS_CONFIG_KEY) : NULL;
    if (!group || !config_setting_is_group(group))
        return 0; /* checks_load refuses a checks key that is not a group */
    int n = config_setting_length(group);
    out->checks = calloc(n > 0 ? (size_t)n : 1, sizeof *out->checks);
    if (!out->checks) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *entry = config_setting_get_elem(group, i);
        if (!is_range_scoped(entry))
            continue;
        if (read_entry(cfg, p, entry, &out->checks[out->n], err, errlen) != 0) {
            range_checks_free(out);
            return -1;
        }
        out->n++;
    }
    return 0;
}

void range_checks_free(range_check_set *set)
{
    free(set->checks);
    memset(set, 0, sizeof *set);
}

/* The groups of one check's measurement. */
typedef struct group {
    char name[48];
    bf_day first, last;
    size_t dates;
    check_figures f;
} group;

typedef struct tally {
    const bf_day *days;
    size_t n;
    size_t *group_of; /* per day */
    group *groups;    /* the last one is the total, "all" */
    size_t ngroups;   /* without the total */
} tally;

static void group_name(const bf_config *cfg, int by, bf_day day, char *out, size_t size)
{
    char d[DATE_LEN], e[DATE_LEN];
    date_format(day, d);
    if (by == RANGE_BY_MONTH) {
        snprintf(out, size, "%.7s", d);
        return;
    }
    snprintf(out, size, "no season");
    for (int i = 0; i < cfg->nseasons; i++)
        if (cfg->seasons[i].start <= day && day <= cfg->seasons[i].end) {
            date_format(cfg->seasons[i].start, d);
            date_format(cfg->seasons[i].end, e);
            snprintf(out, size, "season %s..%s", d, e);
        }
}

/* Every day of t into its group (in order of first appearance), the total
 * last. Returns 0 or -1 (out of memory). */
static int assign(tally *t, const bf_config *cfg, int by)
{
    t->group_of = calloc(t->n ? t->n : 1, sizeof *t->group_of);
    t->groups = calloc(t->n + 1, sizeof *t->groups);
    if (!t->group_of || !t->groups)
        return -1;
    for (size_t i = 0; i < t->n && by != RANGE_BY_NONE; i++) {
        char name[48];
        group_name(cfg, by, t->days[i], name, sizeof name);
        size_t g = 0;
        while (g < t->ngroups && strcmp(t->groups[g].name, name) != 0)
            g++;
        if (g == t->ngroups) {
            snprintf(t->groups[g].name, sizeof t->groups[g].name, "%s", name);
            t->groups[g].first = t->days[i];
            t->ngroups++;
        }
        t->groups[g].last = t->days[i];
        t->groups[g].dates++;
        t->group_of[i] = g;
    }
    group *all = &t->groups[t->ngroups];
    snprintf(all->name, sizeof all->name, "all");
    all->first = t->n ? t->days[0] : 0;
    all->last = t->n ? t->days[t->n - 1] : 0;
    all->dates = t->n;
    return 0;
}

static void take(void *udata, const char *date, const check_figures *f)
{
    tally *t = udata;
    char why[64];
    bf_day day;
    if (date_parse(date, &day, why, sizeof why) != 0)
        return;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == t->n || t->days[lo] != day)
        return; /* not a date asked for */
    group *g[2] = {&t->groups[t->group_of[lo]], &t->groups[t->ngroups]};
    for (int k = t->ngroups ? 0 : 1; k < 2; k++) {
        g[k]->f.rows += f->rows;
        g[k]->f.failing += f->failing;
    }
}

static json_t *group_json(const bf_check *c, const group *g)
{
    char first[DATE_LEN] = "", last[DATE_LEN] = "";
    if (g->dates) {
        date_format(g->first, first);
        date_format(g->last, last);
    }
    double v = check_value(c, &g->f);
    char measured[256];
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:f, s:b, s:s}", "group", g->name, "first",
                     first, "last", last, "dates", (json_int_t)g->dates, "rows",
                     (json_int_t)g->f.rows, "failing", (json_int_t)g->f.failing, "value",
                     isfinite(v) ? v : -1, "passed", check_passes(c, &g->f), "measured",
                     check_describe(c, &g->f, 1, measured, sizeof measured));
}

/* One check measured: its object, or NULL with err. */
static json_t *judge_one(const range_check *rc, store *s, const bf_config *cfg,
                         const char *processor, const char *table, const char *date_column,
                         const bf_day *days, size_t n, char *err, size_t errlen)
{
    tally t = {days, n, NULL, NULL, 0};
    json_t *doc = NULL;
    char first[DATE_LEN], last[DATE_LEN], label[512], limit[96];
    if (assign(&t, cfg, rc->by) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (n) {
        date_format(days[0], first);
        date_format(days[n - 1], last);
        if (check_measure_range(s, &rc->c, table, date_column, first, last, take, &t) != BF_OK) {
            snprintf(err, errlen, "%s: range check %s: %s", processor, rc->c.name, store_error(s));
            goto out;
        }
    }
    json_t *groups = json_array();
    int passed = 1;
    for (size_t g = 0; g <= t.ngroups; g++) {
        passed &= check_passes(&rc->c, &t.groups[g].f);
        json_array_append_new(groups, group_json(&rc->c, &t.groups[g]));
    }
    doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "name", rc->c.name, "kind",
                    checks_kind_name(rc->c.kind), "scope", "range", "by",
                    range_checks_by_name(rc->by), "label",
                    checks_label(&rc->c, label, sizeof label), "limit",
                    checks_limit(&rc->c, limit, sizeof limit), "passed", passed, "groups", groups);
out:
    free(t.group_of);
    free(t.groups);
    return doc;
}

int range_checks_judge(const range_check_set *set, store *s, const bf_config *cfg,
                       const char *processor, const char *table, const char *date_column,
                       const bf_day *days, size_t n, json_t **out, char *err, size_t errlen)
{
    json_t *all = json_array();
    int failing = 0;
    for (size_t i = 0; i < set->n; i++) {
        json_t *one =
            judge_one(&set->checks[i], s, cfg, processor, table, date_column, days, n, err, errlen);
        if (!one) {
            json_decref(all);
            *out = NULL;
            return -1;
        }
        failing += !json_is_true(json_object_get(one, "passed"));
        json_array_append_new(all, one);
    }
    *out = all;
    return failing;
}

void range_checks_print(const range_check_set *set, FILE *out)
{
    for (size_t i = 0; i < set->n; i++) {
        char label[512], limit[96];
        const range_check *rc = &set->checks[i];
        fprintf(out, "      %-20s %s over the range%s%s, limit %s\n", rc->c.name,
                checks_label(&rc->c, label, sizeof label), rc->by != RANGE_BY_NONE ? " by " : "",
                rc->by != RANGE_BY_NONE ? range_checks_by_name(rc->by) : "",
                checks_limit(&rc->c, limit, sizeof limit));
    }
}
