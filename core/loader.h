/* loader.h - load one processor plugin and check it before any of its code
 * runs beyond the ABI block. */
#ifndef BF_LOADER_H
#define BF_LOADER_H

#include <stddef.h>

#include "backfill/plugin.h"

typedef struct plugin {
    void *handle;
    char *path;
    const bf_descriptor *desc;
    const bf_dependency *deps; /* owned by the plugin, valid while loaded */
    size_t ndeps;
    int (*process_date)(bf_ctx *ctx, const char *date);
    int (*validate_date)(bf_ctx *ctx, const char *date, bf_validation *out);
    /* Optional exports: NULL if the plugin file does not define them. */
    int (*prepare)(bf_ctx *ctx);
    int (*worker_init)(bf_ctx *ctx, void **user);
    void (*worker_fini)(bf_ctx *ctx, void *user);
} plugin;

/* Load DIR/NAME.so into *p. Refuses (BF_ERROR, one line in err naming the
 * file and the fault, nothing left loaded) a name that is not a plain
 * identifier, a missing or non-regular file, a non-ELF file, an ABI
 * mismatch, a missing export, a descriptor whose name differs from NAME,
 * and descriptor or dependency fields out of range. */
int loader_load(const char *dir, const char *name, plugin *p, char *err, size_t errlen);
void loader_unload(plugin *p);

/* 1 if name is a processor name: 1-64 of lowercase letters, digits, '_'. */
int loader_valid_name(const char *name);

/* The effective completeness threshold (0 in the descriptor means 1.0). */
double loader_min_completeness(const plugin *p);

/* The bootstrap days p skips: its own, or default_days for 0. */
int loader_bootstrap_days(const plugin *p, int default_days);

#endif
