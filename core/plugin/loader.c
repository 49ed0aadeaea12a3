/* loader.c - check a processor file (trust, then its ELF symbols) before
 * any of its code runs, dlopen it, compare its ABI block field by field,
 * then copy and sanity-check what it declares. Its symbols and its hash
 * (the code a date records) are read on one descriptor, and the object
 * dlopen loaded is proven to be that file. Each fault has its own
 * message. */
#include "plugin/loader.h"

#include "base/log.h"
#include "base/names.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "base/hash.h"
#include "plugin/checks.h"
#include "config/config.h"
#include "plugin/elfsyms.h"
#include "plugin/model.h"
#include "plugin/trust.h"

#define PLUGIN_NAME_MAX 64

/* The first published sizes (BF_ABI_VERSION 1): the end of the last member
 * the first header declared. A plugin built against that header or any
 * later one reports a size between these and the core's own sizeof. */
#define DESCRIPTOR_SIZE_V1 (offsetof(bf_descriptor, thread_safe) + sizeof(int))
#define DEPENDENCY_SIZE_V1 (offsetof(bf_dependency, min_coverage) + sizeof(double))
#define MAGIC_SIZE_V1      offsetof(bf_magic, check_size)

/* The sizes a model's declarations have: this core's own. */
static const bf_magic model_magic = {sizeof(bf_magic),      BF_ABI_VERSION,
                                     sizeof(bf_descriptor), sizeof(bf_dependency),
                                     sizeof(bf_validation), sizeof(bf_check)};

static const char *const required_exports[] = {
    "backfill_magic", "backfill_descriptor", "dependencies", "process_date", "validate_date",
};

static int allow_insecure;

void loader_allow_insecure(int allow)
{
    allow_insecure = allow;
}

int loader_check_dir(const char *dir, char *err, size_t errlen)
{
    return (allow_insecure || trust_check_dir(dir, err, errlen) == 0) ? BF_OK : BF_ERROR;
}

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

/* The ABI block is compared before any other plugin code is called, so a
 * plugin built against another layout is refused instead of misread. */
static int check_magic(const plugin *p, const bf_magic *m, char *err, size_t errlen)
{
    static const struct {
        const char *what;
        size_t offset;
        uint32_t lo, hi; /* accepted values */
    } fields[] = {
        {"ABI block size", offsetof(bf_magic, size), MAGIC_SIZE_V1, sizeof(bf_magic)},
        {"ABI version", offsetof(bf_magic, abi_version), BF_ABI_VERSION, BF_ABI_VERSION},
        {"bf_descriptor size", offsetof(bf_magic, descriptor_size), DESCRIPTOR_SIZE_V1,
         sizeof(bf_descriptor)},
        {"bf_dependency size", offsetof(bf_magic, dependency_size), DEPENDENCY_SIZE_V1,
         sizeof(bf_dependency)},
        {"bf_validation size", offsetof(bf_magic, validation_size), sizeof(bf_validation),
         sizeof(bf_validation)},
        {"bf_check size", offsetof(bf_magic, check_size), sizeof(bf_check), sizeof(bf_check)},
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
        if (got < fields[i].lo || got > fields[i].hi) {
            char want[32];
            if (fields[i].lo == fields[i].hi)
                snprintf(want, sizeof want, "has %u", fields[i].hi);
            else
                snprintf(want, sizeof want, "accepts %u-%u", fields[i].lo, fields[i].hi);
            snprintf(err, errlen,
                     "%s: %s mismatch: backfill %s, plugin has %u; rebuild the plugin "
                     "against this backfill's include/backfill/plugin.h",
                     p->path, fields[i].what, want, got);
            return BF_ERROR;
        }
    }
    return BF_OK;
}

/* An optional export: its address if the plugin file itself defines NAME,
 * else NULL. dlsym alone would also find a NAME that a library the plugin
 * links happens to export. */
static void *optional_export(const plugin *p, const char *name)
{
    return elfsyms_defines(p->exports, name) ? dlsym(p->handle, name) : NULL;
}

/* A required export, after the file was checked to define it. */
static void *need(const plugin *p, const char *name, char *err, size_t errlen)
{
    void *sym = optional_export(p, name);
    if (!sym) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s: cannot resolve export '%s': %s", p->path, name,
                 why ? why : "null address");
    }
    return sym;
}

/* Before dlopen: a file lacking any required export is refused without
 * running any of its code (constructors included). */
static int check_exports(const plugin *p, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof required_exports / sizeof required_exports[0]; i++) {
        if (!elfsyms_defines(p->exports, required_exports[i])) {
            snprintf(err, errlen,
                     "%s: missing export '%s' (every processor exports backfill_magic, "
                     "backfill_descriptor, dependencies, process_date, validate_date)",
                     p->path, required_exports[i]);
            return BF_ERROR;
        }
    }
    return BF_OK;
}

/* Copy what the plugin declares into zero-filled core-owned structs, using
 * the plugin's own struct sizes (checked by check_magic): members appended
 * to the header after the plugin was built read as 0. */
static int copy_declarations(plugin *p, const bf_magic *m, const bf_descriptor *d,
                             const bf_dependency *deps, size_t ndeps, char *err, size_t errlen)
{
    if (!d) {
        snprintf(err, errlen, "%s: backfill_descriptor() returned no descriptor", p->path);
        return BF_ERROR;
    }
    if (!deps)
        ndeps = 0;
    if (ndeps > PLUGIN_DEPS_MAX) {
        snprintf(err, errlen, "%s: dependencies() declared %zu dependencies, more than %d", p->path,
                 ndeps, PLUGIN_DEPS_MAX);
        return BF_ERROR;
    }
    bf_descriptor *desc = calloc(1, sizeof *desc);
    bf_dependency *copies = calloc(ndeps ? ndeps : 1, sizeof *copies);
    p->desc = desc;
    p->deps = copies;
    if (!desc || !copies) {
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    memcpy(desc, d, m->descriptor_size);
    /* Under ABI 1, before config_keys, bootstrap_days 0 meant "none" and -1
     * "the default"; zero means the default now, like every zero field. */
    if (m->descriptor_size <= offsetof(bf_descriptor, config_keys))
        desc->bootstrap_days = desc->bootstrap_days == 0  ? BF_NO_BOOTSTRAP
                               : desc->bootstrap_days < 0 ? BF_DEFAULT_BOOTSTRAP
                                                          : desc->bootstrap_days;
    for (size_t i = 0; i < ndeps; i++)
        memcpy(&copies[i], (const char *)deps + i * m->dependency_size, m->dependency_size);
    p->ndeps = ndeps;
    return BF_OK;
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
    if (!d->name) {
        snprintf(err, errlen, "%s: backfill_descriptor() returned a descriptor without a name",
                 p->path);
        return BF_ERROR;
    }
    if (strcmp(d->name, name) != 0) {
        snprintf(err, errlen, "%s: descriptor name '%s' does not match file name '%s'", p->path,
                 d->name, name);
        return BF_ERROR;
    }
    if (!name_is_identifier(d->output_table) || !name_is_identifier(d->date_column)) {
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
    if (checks_declared(p, err, errlen) != 0)
        return BF_ERROR;
    for (size_t i = 0; i < p->ndeps; i++) {
        const bf_dependency *dep = &p->deps[i];
        if (!name_is_identifier(dep->table) || !name_is_identifier(dep->date_column)) {
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
        if (dep->lookback_days < 0 && dep->lookback_days != BF_LOOKBACK_SEASON) {
            snprintf(err, errlen,
                     "%s: dependency %s: lookback_days %d: must be 0 or more, or "
                     "BF_LOOKBACK_SEASON",
                     p->path, dep->table, dep->lookback_days);
            return BF_ERROR;
        }
    }
    return BF_OK;
}

/* p->code: the declared version, checked, else the hash of the file's
 * bytes as they were read and loaded. */
static int identify_code(plugin *p, uint64_t file_hash, char *err, size_t errlen)
{
    const char *v = p->desc->version;
    if (v) {
        size_t n = strlen(v);
        for (size_t i = 0; i < n; i++)
            if (v[i] <= ' ' || v[i] > '~')
                n = 0;
        if (n == 0 || n > 64) {
            snprintf(err, errlen,
                     "%s: descriptor version must be 1-64 printable characters without spaces",
                     p->path);
            return BF_ERROR;
        }
        snprintf(p->code, sizeof p->code, "version %s", v);
        return BF_OK;
    }
    snprintf(p->code, sizeof p->code, "file %016llx", (unsigned long long)file_hash);
    return BF_OK;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The file each object this process dlopened was loaded from, by handle:
 * dlopen hands an object still loaded back by its path, whatever file the
 * path names now. An entry outlives dlclose, as the object may (a library
 * marked nodelete); a handle reused by a new object gets a new entry. */
typedef struct loaded_object {
    const void *handle;
    struct stat st;
} loaded_object;
static loaded_object *loaded;
static size_t nloaded;
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

/* 1 if h is an object loaded from the file st, 0 if from another or unknown. */
static int loaded_from(const void *h, const struct stat *st)
{
    int same = 0;
    pthread_mutex_lock(&loaded_lock);
    for (size_t i = 0; i < nloaded; i++)
        if (loaded[i].handle == h)
            same = same_file(&loaded[i].st, st);
    pthread_mutex_unlock(&loaded_lock);
    return same;
}

static int remember_loaded(const void *h, const struct stat *st)
{
    int rc = 0;
    pthread_mutex_lock(&loaded_lock);
    size_t i = 0;
    while (i < nloaded && loaded[i].handle != h)
        i++;
    if (i == nloaded) {
        loaded_object *more = realloc(loaded, (nloaded + 1) * sizeof *loaded);
        if (more)
            loaded = more, nloaded++;
        else
            rc = -1;
    }
    if (rc == 0)
        loaded[i] = (loaded_object){h, *st};
    pthread_mutex_unlock(&loaded_lock);
    return rc;
}

/* dlopen p->path, known to be the file st: 0, or -1 with one line in err.
 * Still loaded in this process (dlopen would hand that object back), it
 * must have been loaded from st; a new object, the path must still name
 * st once dlopen has returned (1, loaded, when it does not). */
static int dlopen_file(plugin *p, const struct stat *st, char *err, size_t errlen)
{
    void *before = dlopen(p->path, RTLD_LAZY | RTLD_NOLOAD);
    if (before) {
        int same = loaded_from(before, st);
        dlclose(before);
        if (!same) {
            snprintf(err, errlen,
                     "%s: replaced since this process loaded it; run again once it is in place",
                     p->path);
            return -1;
        }
    }
    p->handle = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle) {
        snprintf(err, errlen, "%s: cannot load: %s (try: ldd %s)", p->path, dlerror(), p->path);
        return -1;
    }
    struct stat now;
    if (!before && (stat(p->path, &now) != 0 || !same_file(st, &now)))
        return 1;
    if (remember_loaded(p->handle, st) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Read p->path on one descriptor (its exports, checked before any of its
 * code runs, and its hash), then load that very file (dlopen_file). One
 * replaced while it loads (a deploy; a constructor) is read and loaded
 * again, once; replaced twice, it is refused. */
static int open_object(plugin *p, uint64_t *hash, char *err, size_t errlen)
{
    for (int attempt = 0;; attempt++) {
        struct stat st;
        int fd = file_open_regular(p->path, O_RDONLY, 0, err, errlen);
        if (fd < 0)
            return BF_ERROR;
        int rc = fstat(fd, &st);
        if (rc != 0)
            snprintf(err, errlen, "%s: cannot stat: %s", p->path, strerror(errno));
        else
            rc = elfsyms_read(fd, p->path, &p->exports, err, errlen) != 0 ||
                 check_exports(p, err, errlen) != BF_OK ||
                 hash_fd(fd, p->path, hash, err, errlen) != 0;
        close(fd);
        if (rc)
            return BF_ERROR;
        rc = dlopen_file(p, &st, err, errlen);
        if (rc != 1)
            return rc == 0 ? BF_OK : BF_ERROR;
        dlclose(p->handle);
        p->handle = NULL;
        elfsyms_free(p->exports);
        p->exports = NULL;
        if (attempt) {
            snprintf(err, errlen,
                     "%s: replaced while it was being loaded, twice; run again once it is in place",
                     p->path);
            return BF_ERROR;
        }
        log_debug("%s: replaced while it was being loaded; loading it again", p->path);
    }
}

/* p->path becomes DIR/NAME.sql when that file exists. */
static int model_path(plugin *p, const char *dir, const char *name)
{
    char *path;
    struct stat st;
    if (asprintf(&path, "%s/%s.sql", dir, name) < 0)
        return BF_ERROR;
    if (stat(path, &st) != 0) {
        free(path);
        return BF_ERROR;
    }
    free(p->path);
    p->path = path;
    return BF_OK;
}

/* A model file: trusted like a plugin file, read strictly, then its
 * declarations checked and its code identified as a C plugin's are. */
static int load_model(const char *dir, const char *name, plugin *p, char *err, size_t errlen)
{
    struct stat st;
    model *m = NULL;
    if (stat(p->path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", p->path);
        goto fail;
    }
    if (!allow_insecure && (trust_check_dir(dir, err, errlen) != 0 ||
                            trust_check_file(dir, p->path, err, errlen) != 0))
        goto fail;
    if (model_read(p->path, name, &m, err, errlen) != BF_OK)
        goto fail;
    p->model = m;
    p->process_date = model_process_date;
    p->validate_date = model_validate_date;
    p->prepare = model_prepare;
    p->worker_init = model_worker_init;
    if (model_offers_blocks(m, "sqlite") || model_offers_blocks(m, "clickhouse"))
        p->process_dates = model_process_dates;
    if (p->process_dates) {
        p->expected_dates = model_expected_dates;
        p->worker_init = model_block_worker_init;
    }
    if (copy_declarations(p, &model_magic, &m->desc, m->deps, m->ndeps, err, errlen) != BF_OK ||
        check_descriptor(p, name, err, errlen) != BF_OK ||
        identify_code(p, m->file_hash, err, errlen) != BF_OK)
        goto fail;
    return BF_OK;
fail:
    loader_unload(p);
    return BF_ERROR;
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
    if (stat(p->path, &st) != 0 && errno == ENOENT && model_path(p, dir, name) == BF_OK)
        return load_model(dir, name, p, err, errlen);
    if (stat(p->path, &st) != 0) {
        snprintf(err, errlen, "%s: no processor '%s': %s (see `backfill list`)", p->path, name,
                 strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", p->path);
        goto fail;
    }
    if (!allow_insecure && (trust_check_dir(dir, err, errlen) != 0 ||
                            trust_check_file(dir, p->path, err, errlen) != 0))
        goto fail;
    uint64_t file_hash;
    if (open_object(p, &file_hash, err, errlen) != BF_OK)
        goto fail;
    const bf_magic *(*magic)(void) =
        (const bf_magic *(*)(void))need(p, "backfill_magic", err, errlen);
    if (!magic)
        goto fail;
    const bf_magic *m = magic();
    if (!m) {
        snprintf(err, errlen, "%s: backfill_magic() returned no ABI block", p->path);
        goto fail;
    }
    if (check_magic(p, m, err, errlen) != BF_OK)
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
    p->prepare = (int (*)(bf_ctx *))optional_export(p, "prepare");
    p->worker_init = (int (*)(bf_ctx *, void **))optional_export(p, "worker_init");
    p->worker_fini = (void (*)(bf_ctx *, void *))optional_export(p, "worker_fini");
    p->process_dates = (int (*)(bf_ctx *, const char *, const char *, const char *const *,
                                size_t))optional_export(p, "process_dates");
    p->expected_dates = (int (*)(bf_ctx *, const char *const *, size_t, int64_t *))optional_export(
        p, "expected_dates");
    const bf_descriptor *d = descriptor();
    size_t ndeps = 0;
    const bf_dependency *dv = deps(&ndeps);
    if (copy_declarations(p, m, d, dv, ndeps, err, errlen) != BF_OK ||
        check_descriptor(p, name, err, errlen) != BF_OK ||
        identify_code(p, file_hash, err, errlen) != BF_OK)
        goto fail;
    log_debug("plugin %s loaded from %s", name, p->path);
    return BF_OK;
fail:
    loader_unload(p);
    return BF_ERROR;
}

void loader_unload(plugin *p)
{
    if (p->handle)
        dlclose(p->handle);
    elfsyms_free(p->exports);
    model_free((model *)p->model);
    free((void *)p->desc); /* the core's copies, see copy_declarations */
    free((void *)p->deps);
    free(p->path);
    memset(p, 0, sizeof *p);
}

int loader_bootstrap_days(const plugin *p, int default_days)
{
    int days = p->desc->bootstrap_days;
    return days == BF_NO_BOOTSTRAP ? 0 : days <= 0 ? default_days : days;
}

double loader_min_completeness(const plugin *p)
{
    return p->desc->min_completeness > 0 ? p->desc->min_completeness : 1.0;
}
