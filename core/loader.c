/* loader.c - dlopen a processor, compare its ABI block field by field, then
 * resolve and sanity-check every export. Each fault has its own message. */
#include "loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"

#define PLUGIN_NAME_MAX 64

int loader_valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > PLUGIN_NAME_MAX)
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return 0;
    return 1;
}

static int is_elf(const char *path)
{
    unsigned char head[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == 4 && memcmp(head, "\177ELF", 4) == 0;
}

/* The ABI block is compared before any other plugin code is called, so a
 * plugin built against another layout is refused instead of misread. */
static int check_magic(const plugin *p, const bf_magic *m, char *err, size_t errlen)
{
    static const struct {
        const char *what;
        size_t offset;
        uint32_t want;
    } fields[] = {
        {"ABI block size", offsetof(bf_magic, size), sizeof(bf_magic)},
        {"ABI version", offsetof(bf_magic, abi_version), BF_ABI_VERSION},
        {"bf_descriptor size", offsetof(bf_magic, descriptor_size), sizeof(bf_descriptor)},
        {"bf_dependency size", offsetof(bf_magic, dependency_size), sizeof(bf_dependency)},
        {"bf_validation size", offsetof(bf_magic, validation_size), sizeof(bf_validation)},
    };
    if (m->size < sizeof(uint32_t) * 2) {
        snprintf(err, errlen, "%s: corrupt ABI block (size %u)", p->path, m->size);
        return BF_ERROR;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        uint32_t got;
        if (fields[i].offset + sizeof got > m->size)
            break;
        memcpy(&got, (const char *)m + fields[i].offset, sizeof got);
        if (got != fields[i].want) {
            snprintf(err, errlen,
                     "%s: %s mismatch: backfill has %u, plugin has %u; rebuild the plugin "
                     "against this backfill's include/backfill/plugin.h",
                     p->path, fields[i].what, fields[i].want, got);
            return BF_ERROR;
        }
    }
    return BF_OK;
}

static void *need(plugin *p, const char *symbol, char *err, size_t errlen)
{
    void *sym = dlsym(p->handle, symbol);
    if (!sym)
        snprintf(err, errlen,
                 "%s: missing export '%s' (every processor exports backfill_magic, "
                 "backfill_descriptor, dependencies, process_date, validate_date)",
                 p->path, symbol);
    return sym;
}

static int check_fraction(const plugin *p, const char *what, double v, char *err, size_t errlen)
{
    if (v >= 0 && v <= 1)
        return BF_OK;
    snprintf(err, errlen, "%s: %s %g is out of range 0-1", p->path, what, v);
    return BF_ERROR;
}

static int check_descriptor(const plugin *p, const char *name, char *err, size_t errlen)
{
    const bf_descriptor *d = p->desc;
    if (!d || !d->name) {
        snprintf(err, errlen, "%s: backfill_descriptor() returned no descriptor or no name",
                 p->path);
        return BF_ERROR;
    }
    if (strcmp(d->name, name) != 0) {
        snprintf(err, errlen, "%s: descriptor name '%s' does not match file name '%s'", p->path,
                 d->name, name);
        return BF_ERROR;
    }
    if (!config_is_identifier(d->output_table) || !config_is_identifier(d->date_column)) {
        snprintf(err, errlen, "%s: descriptor output_table and date_column must be plain names",
                 p->path);
        return BF_ERROR;
    }
    if (d->bootstrap_days < BF_NO_BOOTSTRAP || d->bootstrap_days > 366) {
        snprintf(err, errlen, "%s: descriptor bootstrap_days %d is out of range", p->path,
                 d->bootstrap_days);
        return BF_ERROR;
    }
    if (check_fraction(p, "descriptor min_completeness", d->min_completeness, err, errlen))
        return BF_ERROR;
    for (size_t i = 0; i < p->ndeps; i++) {
        const bf_dependency *dep = &p->deps[i];
        if (!config_is_identifier(dep->table) || !config_is_identifier(dep->date_column)) {
            snprintf(err, errlen, "%s: dependency %zu: table and date_column must be plain names",
                     p->path, i + 1);
            return BF_ERROR;
        }
        if (dep->requirement != BF_REQUIRED && dep->requirement != BF_OPTIONAL) {
            snprintf(err, errlen,
                     "%s: dependency %s: requirement must be BF_REQUIRED or "
                     "BF_OPTIONAL",
                     p->path, dep->table);
            return BF_ERROR;
        }
        if (check_fraction(p, "dependency min_coverage", dep->min_coverage, err, errlen))
            return BF_ERROR;
    }
    return BF_OK;
}

int loader_load(const char *dir, const char *name, plugin *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!loader_valid_name(name)) {
        snprintf(err, errlen, "'%s' is not a processor name (lowercase letters, digits, '_')",
                 name);
        return BF_ERROR;
    }
    if (asprintf(&p->path, "%s/%s.so", dir, name) < 0) {
        p->path = NULL;
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    struct stat st;
    if (stat(p->path, &st) != 0) {
        snprintf(err, errlen, "%s: no processor '%s': %s (see `backfill list`)", p->path, name,
                 strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", p->path);
        goto fail;
    }
    if (!is_elf(p->path)) {
        snprintf(err, errlen, "%s: not a shared object (no ELF header)", p->path);
        goto fail;
    }
    p->handle = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle) {
        snprintf(err, errlen, "%s: cannot load: %s (try: ldd %s)", p->path, dlerror(), p->path);
        goto fail;
    }
    const bf_magic *(*magic)(void) =
        (const bf_magic *(*)(void))need(p, "backfill_magic", err, errlen);
    if (!magic || check_magic(p, magic(), err, errlen) != BF_OK)
        goto fail;
    const bf_descriptor *(*descriptor)(void) =
        (const bf_descriptor *(*)(void))need(p, "backfill_descriptor", err, errlen);
    const bf_dependency *(*deps)(size_t *) =
        descriptor ? (const bf_dependency *(*)(size_t *))need(p, "dependencies", err, errlen)
                   : NULL;
    if (!deps)
        goto fail;
    p->process_date = (int (*)(bf_ctx *, const char *))need(p, "process_date", err, errlen);
    if (!p->process_date)
        goto fail;
    p->validate_date =
        (int (*)(bf_ctx *, const char *, bf_validation *))need(p, "validate_date", err, errlen);
    if (!p->validate_date)
        goto fail;
    p->prepare = (int (*)(bf_ctx *))dlsym(p->handle, "prepare");
    p->worker_init = (int (*)(bf_ctx *, void **))dlsym(p->handle, "worker_init");
    p->worker_fini = (void (*)(bf_ctx *, void *))dlsym(p->handle, "worker_fini");
    p->desc = descriptor();
    p->deps = deps(&p->ndeps);
    if (!p->deps)
        p->ndeps = 0;
    if (check_descriptor(p, name, err, errlen) != BF_OK)
        goto fail;
    return BF_OK;
fail:
    loader_unload(p);
    return BF_ERROR;
}

void loader_unload(plugin *p)
{
    if (p->handle)
        dlclose(p->handle);
    free(p->path);
    memset(p, 0, sizeof *p);
}

int loader_bootstrap_days(const plugin *p, int default_days)
{
    /* -1 was the default's value before zero took that meaning. */
    int days = p->desc->bootstrap_days;
    return days == BF_NO_BOOTSTRAP ? 0 : days <= 0 ? default_days : days;
}

double loader_min_completeness(const plugin *p)
{
    return p->desc->min_completeness > 0 ? p->desc->min_completeness : 1.0;
}
