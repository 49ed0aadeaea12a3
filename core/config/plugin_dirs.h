/* plugin_dirs.h - reading the processor search path: $BACKFILL_PLUGIN_PATH
 * (colon-separated) followed by the config's plugin_dir (one directory or a
 * list). */
#ifndef BF_PLUGIN_DIRS_H
#define BF_PLUGIN_DIRS_H

#include <stddef.h>

#include "config/config.h"

/* Fill cfg->plugin_dirs and cfg->plugin_path from the plugin_dir setting s
 * (a string or a list of strings; NULL means "plugins") and from
 * $BACKFILL_PLUGIN_PATH. Relative entries of the file resolve against the
 * config's directory, those of the environment against the working
 * directory; a leading "~" is $HOME. Returns 0, or -1 with one line in err
 * ("FILE:LINE: plugin_dir: ..."); the caller's config_free releases what
 * was filled either way. */
int plugin_dirs_read(bf_config *cfg, const config_setting_t *s, char *err, size_t errlen);

#endif
