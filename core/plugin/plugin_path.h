/* plugin_path.h - where processors are found: the search path made of
 * $BACKFILL_PLUGIN_PATH (colon-separated) followed by the config's
 * plugin_dir (one directory or a list). The first directory holding
 * NAME.so or a model file NAME.sql provides processor NAME; a NAME.so or
 * NAME.sql in a later directory, or a NAME.sql beside a NAME.so, is
 * reported and never loaded. config/plugin_dirs.h reads the path. */
#ifndef BF_PLUGIN_PATH_H
#define BF_PLUGIN_PATH_H

#include <stddef.h>

#include "config/config.h"
#include "plugin/loader.h"

/* The first directory of the path holding NAME.so or NAME.sql (borrowed from cfg), or
 * NULL if none does. */
const char *plugin_path_find(const bf_config *cfg, const char *name);

/* loader_load of NAME from the directory plugin_path_find gives. If no
 * directory holds it: BF_ERROR naming the name and the search path. */
int plugin_path_load(const bf_config *cfg, const char *name, plugin *p, char *err, size_t errlen);

/* Called once per processor name, first directory first: dir/NAME.so is
 * the file that provides it. A nonzero return stops the scan. */
typedef int (*plugin_path_fn)(void *udata, const char *dir, const char *name);

/* Visit every *.so and *.sql of every directory of the path, directory by directory
 * and by name within one. A name already provided by an earlier directory
 * is logged as a warning naming both files and not visited. A directory
 * that does not exist is skipped unless none exists. Returns fn's nonzero
 * value, 0, or -1 with err when a directory cannot be read. */
int plugin_path_scan(const bf_config *cfg, plugin_path_fn fn, void *udata, char *err,
                     size_t errlen);

#endif
