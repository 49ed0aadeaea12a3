/* plugin_dirs.c - the processor search path read from the config's
 * plugin_dir and from $BACKFILL_PLUGIN_PATH. Finding and loading processors
 * on it is plugin/plugin_path.c's business; this file only reads names. */
#include "config/plugin_dirs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Append one entry: "~" expanded, a relative path joined to base (NULL:
 * kept relative to the working directory), a repeated directory dropped so
 * that it does not shadow itself. Returns 0, or -1 with why set. */
static int add_dir(bf_config *cfg, const char *entry, const char *base, const char **why)
{
    char *dir = NULL;
    int rc;
    if (entry[0] == '~') {
        const char *home = getenv("HOME");
        if (entry[1] != '\0' && entry[1] != '/') {
            *why = "only a leading \"~\" or \"~/\" is expanded";
            return -1;
        }
        if (!home || !*home) {
            *why = "\"~\" needs $HOME";
            return -1;
        }
        rc = asprintf(&dir, "%s%s", home, entry + 1);
    } else if (entry[0] == '/' || !base) {
        rc = asprintf(&dir, "%s", entry);
    } else {
        rc = asprintf(&dir, "%s/%s", base, entry);
    }
    if (rc < 0) {
        *why = "out of memory";
        return -1;
    }
    for (int i = 0; i < cfg->nplugin_dirs; i++)
        if (strcmp(cfg->plugin_dirs[i], dir) == 0) {
            free(dir);
            return 0;
        }
    char **dirs = realloc(cfg->plugin_dirs, (cfg->nplugin_dirs + 1) * sizeof *dirs);
    if (!dirs) {
        free(dir);
        *why = "out of memory";
        return -1;
    }
    cfg->plugin_dirs = dirs;
    dirs[cfg->nplugin_dirs++] = dir;
    return 0;
}

/* $BACKFILL_PLUGIN_PATH, colon-separated; empty entries are ignored. */
static int read_env(bf_config *cfg, char *err, size_t errlen)
{
    const char *env = getenv("BACKFILL_PLUGIN_PATH");
    char *copy = env ? strdup(env) : NULL, *save = NULL;
    if (env && !copy) {
        snprintf(err, errlen, "BACKFILL_PLUGIN_PATH: out of memory");
        return -1;
    }
    const char *why = NULL;
    for (char *e = copy ? strtok_r(copy, ":", &save) : NULL; e; e = strtok_r(NULL, ":", &save))
        if (add_dir(cfg, e, NULL, &why) != 0) {
            snprintf(err, errlen, "BACKFILL_PLUGIN_PATH: '%s': %s", e, why);
            break;
        }
    free(copy);
    return why ? -1 : 0;
}

static int fail_at(const bf_config *cfg, const config_setting_t *s, char *err, size_t errlen,
                   const char *what)
{
    snprintf(err, errlen, "%s:%d: plugin_dir: %s", cfg->path, (int)config_setting_source_line(s),
             what);
    return -1;
}

/* One string of the plugin_dir setting s. */
static int read_entry(bf_config *cfg, const config_setting_t *s, char *err, size_t errlen)
{
    const char *v = config_setting_get_string(s);
    const char *why = NULL;
    if (!v)
        return fail_at(cfg, s, err, errlen,
                       "expected a directory or a list of them [ \"plugins\", \"~/mine\" ]");
    if (!*v)
        return fail_at(cfg, s, err, errlen, "must not be empty");
    if (add_dir(cfg, v, cfg->dir, &why) != 0) {
        snprintf(err, errlen, "%s:%d: plugin_dir: '%s': %s", cfg->path,
                 (int)config_setting_source_line(s), v, why);
        return -1;
    }
    return 0;
}

static int join_path(bf_config *cfg, char *err, size_t errlen)
{
    size_t len = 1;
    for (int i = 0; i < cfg->nplugin_dirs; i++)
        len += strlen(cfg->plugin_dirs[i]) + 1;
    cfg->plugin_path = calloc(1, len);
    if (!cfg->plugin_path) {
        snprintf(err, errlen, "plugin_dir: out of memory");
        return -1;
    }
    for (int i = 0; i < cfg->nplugin_dirs; i++) {
        if (i)
            strcat(cfg->plugin_path, ":");
        strcat(cfg->plugin_path, cfg->plugin_dirs[i]);
    }
    return 0;
}

int plugin_dirs_read(bf_config *cfg, const config_setting_t *s, char *err, size_t errlen)
{
    const char *why = NULL;
    if (read_env(cfg, err, errlen) != 0)
        return -1;
    if (!s) {
        if (add_dir(cfg, "plugins", cfg->dir, &why) != 0) {
            snprintf(err, errlen, "plugin_dir: %s", why);
            return -1;
        }
    } else if (config_setting_is_array(s) || config_setting_is_list(s)) {
        if (config_setting_length(s) == 0)
            return fail_at(cfg, s, err, errlen, "an empty list holds no processor");
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, i);
            if (read_entry(cfg, config_setting_source_line(e) ? e : s, err, errlen) != 0)
                return -1;
        }
    } else if (read_entry(cfg, s, err, errlen) != 0) {
        return -1;
    }
    return join_path(cfg, err, errlen);
}
