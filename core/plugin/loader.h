/* loader.h - load one processor plugin and check it before any of its code
 * runs beyond the ABI block. */
#ifndef BF_LOADER_H
#define BF_LOADER_H

#include <stddef.h>

#include "backfill/plugin.h"

struct elfsyms;
struct model;

/* "version V" (the descriptor's) or "file HEX" (a hash of the file's bytes). */
#define PLUGIN_CODE_LEN 96

/* The most dependencies a processor may declare. */
#define PLUGIN_DEPS_MAX 1000

typedef struct plugin {
    void *handle;
    char *path;
    /* Core-owned copies (freed by loader_unload) of what the plugin
     * declared, zero-filled past the plugin's own struct sizes; the
     * strings they point to are the plugin's, valid while it is loaded. */
    const bf_descriptor *desc;
    const bf_dependency *deps;
    size_t ndeps;
    struct elfsyms *exports; /* the symbols the file itself defines */
    int (*process_date)(bf_ctx *ctx, const char *date);
    int (*validate_date)(bf_ctx *ctx, const char *date, bf_validation *out);
    /* Optional exports: NULL if the plugin file does not define them. */
    int (*prepare)(bf_ctx *ctx);
    int (*worker_init)(bf_ctx *ctx, void **user);
    void (*worker_fini)(bf_ctx *ctx, void *user);
    /* A model file's processor (NAME.sql, see model.h): its entry points
     * are the core's model_exec.c; NULL for a C plugin. handle and exports
     * are then NULL. */
    const struct model *model;
    int (*process_dates)(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                         size_t n);
    int (*expected_dates)(bf_ctx *ctx, const char *const *dates, size_t n, int64_t *expected);
    /* What code this is, recorded with every date it publishes: the
     * declared version, else a hash of the file loaded. */
    char code[PLUGIN_CODE_LEN];
} plugin;

/* Load DIR/NAME.so into *p; or, when DIR holds no NAME.so but a model
 * file NAME.sql, that model (model.h): the same trust checks of DIR and
 * the file, the model read strictly (PATH:LINE errors), then the same
 * checks of what it declares, and its code identified by its version or
 * the hash of the file's bytes. Refuses (BF_ERROR, one line in err naming the
 * file and the fault, nothing left loaded) a name that is not a plain
 * identifier, a missing or non-regular file, an untrusted file or DIR (see
 * trust.h), a non-ELF file, and a file that does not itself define every
 * required export: all of these before dlopen, so none of the file's code
 * (constructors included) has run. After dlopen: an ABI mismatch, a
 * descriptor whose name differs from NAME, descriptor or dependency
 * fields out of range (a version that is not 1-64 printable characters
 * without a space among them), and an invalid quality check declaration
 * (checks_declared). Optional exports (prepare) are taken only if the
 * file itself defines them. */
int loader_load(const char *dir, const char *name, plugin *p, char *err, size_t errlen);
void loader_unload(plugin *p);

/* Process-wide: nonzero skips the trust checks (--allow-insecure-plugins). */
void loader_allow_insecure(int allow);

/* The trust check of plugin_dir alone, so `list` reports it once. BF_OK
 * if trusted or if insecure plugins are allowed; else BF_ERROR and err. */
int loader_check_dir(const char *dir, char *err, size_t errlen);

/* 1 if name is a processor name: 1-64 of lowercase letters, digits, '_'. */
int loader_valid_name(const char *name);

/* The effective completeness threshold (0 in the descriptor means 1.0). */
double loader_min_completeness(const plugin *p);

/* The bootstrap days p skips: its own, or default_days for 0. */
int loader_bootstrap_days(const plugin *p, int default_days);

#endif
