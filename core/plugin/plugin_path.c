/* plugin_path.c - the processor search path (read by config/plugin_dirs.c):
 * find one processor on it, visit them all. */
#include "plugin/plugin_path.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "base/names.h"

/* The extension of the file in dir providing processor name: ".so" (a C
 * plugin, first when both exist), ".sql" (a model file), or NULL. */
static const char *provider(const char *dir, const char *name)
{
    static const char *const exts[] = {".so", ".sql"};
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        struct stat st;
        int n = snprintf(path, sizeof path, "%s/%s%s", dir, name, exts[i]);
        if (n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0)
            return exts[i];
    }
    return NULL;
}

static int holds(const char *dir, const char *name)
{
    return provider(dir, name) != NULL;
}

/* The length of d_name without ".so" or ".sql", or 0 if it has neither. */
static size_t stem(const char *file)
{
    size_t n = strlen(file);
    if (n > 3 && strcmp(file + n - 3, ".so") == 0)
        return n - 3;
    if (n > 4 && strcmp(file + n - 4, ".sql") == 0)
        return n - 4;
    return 0;
}

const char *plugin_path_find(const bf_config *cfg, const char *name)
{
    if (!loader_valid_name(name))
        return NULL;
    for (int i = 0; i < cfg->nplugin_dirs; i++)
        if (holds(cfg->plugin_dirs[i], name))
            return cfg->plugin_dirs[i];
    return NULL;
}

/* Append "; did you mean 'x'?" to err when a NAME.so on the path is
 * named nearly so. */
static void suggest(const bf_config *cfg, const char *name, char *err, size_t errlen)
{
    char *all[256] = {NULL};
    size_t n = 0;
    for (int i = 0; i < cfg->nplugin_dirs; i++) {
        DIR *d = opendir(cfg->plugin_dirs[i]);
        for (struct dirent *e; d && (e = readdir(d)) != NULL && n < 256;) {
            size_t len = stem(e->d_name);
            if (len && (all[n] = strndup(e->d_name, len)) != NULL)
                n++;
        }
        if (d)
            closedir(d);
    }
    const char *near = name_nearest(name, (const char *const *)all, n);
    size_t len = strlen(err);
    if (near && len < errlen)
        snprintf(err + len, errlen - len, "; did you mean '%s'?", near);
    for (size_t i = 0; i < n; i++)
        free(all[i]);
}

int plugin_path_load(const bf_config *cfg, const char *name, plugin *p, char *err, size_t errlen)
{
    const char *dir = plugin_path_find(cfg, name);
    int rc;
    if (dir || !loader_valid_name(name) || cfg->nplugin_dirs == 1) {
        /* The loader names a bad name, or the one file it looked for. */
        rc = loader_load(dir ? dir : cfg->plugin_dirs[0], name, p, err, errlen);
    } else {
        memset(p, 0, sizeof *p);
        snprintf(err, errlen, "no processor '%s' in plugin_dir %s (see `backfill list`)", name,
                 cfg->plugin_path);
        rc = BF_ERROR;
    }
    if (rc != BF_OK && !dir && loader_valid_name(name))
        suggest(cfg, name, err, errlen);
    return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_plugin_file(const struct dirent *d)
{
    return stem(d->d_name) > 0;
}

/* Visit one directory's plugins; earlier directories are dirs[0..index-1].
 * A name provided earlier (by an earlier directory, or by NAME.so beside a
 * NAME.sql) is a duplicate: reported, never loaded. */
static int scan_dir(const bf_config *cfg, int index, struct dirent **names, int n,
                    plugin_path_fn fn, void *udata)
{
    int rc = 0;
    const char *here = cfg->plugin_dirs[index];
    for (int i = 0; i < n; i++) {
        char name[256];
        const char *file = names[i]->d_name;
        snprintf(name, sizeof name, "%.*s", (int)stem(file), file);
        const char *first = NULL, *ext = NULL;
        for (int k = 0; k < index && !first; k++)
            if ((ext = provider(cfg->plugin_dirs[k], name)) != NULL)
                first = cfg->plugin_dirs[k];
        if (!first && strcmp(provider(here, name), file + strlen(name)) != 0) {
            first = here;
            ext = provider(here, name);
        }
        if (rc != 0)
            continue;
        if (first)
            log_warn("%s/%s: processor '%s' is already provided by %s/%s%s, earlier in "
                     "plugin_dir; not loaded",
                     here, file, name, first, name, ext);
        else
            rc = fn(udata, here, name);
    }
    return rc;
}

int plugin_path_scan(const bf_config *cfg, plugin_path_fn fn, void *udata, char *err, size_t errlen)
{
    int missing = 0, rc = 0;
    for (int i = 0; i < cfg->nplugin_dirs && rc == 0; i++) {
        struct dirent **names = NULL;
        int n = scandir(cfg->plugin_dirs[i], &names, is_plugin_file, by_name);
        if (n < 0 && errno == ENOENT && cfg->nplugin_dirs > 1) {
            log_debug("plugin_dir %s: no such directory; skipped", cfg->plugin_dirs[i]);
            missing++;
            continue;
        }
        if (n < 0) {
            snprintf(err, errlen, "plugin_dir %s: cannot read: %s", cfg->plugin_dirs[i],
                     strerror(errno));
            return -1;
        }
        rc = scan_dir(cfg, i, names, n, fn, udata);
        for (int k = 0; k < n; k++)
            free(names[k]);
        free(names);
    }
    if (rc == 0 && missing == cfg->nplugin_dirs) {
        snprintf(err, errlen, "plugin_dir %s: no such directory", cfg->plugin_path);
        return -1;
    }
    return rc;
}
