/* settings.h - the config file read and its store section handed to its
 * driver: what every command starts from. config/ reads the file and
 * knows no driver; stores/ parses its own section and knows no config;
 * this is where the two meet. */
#ifndef BF_SETTINGS_H
#define BF_SETTINGS_H

#include <stddef.h>

#include "config/config.h"

/* config_load(path) and store_conf_parse of its store section into
 * cfg->store_conf. On error returns -1 with one line in err (FILE:LINE:
 * KEY: ...) and leaves nothing allocated. settings_free releases all. */
int settings_load(const char *path, bf_config *cfg, char *err, size_t errlen);
void settings_free(bf_config *cfg);

#endif
