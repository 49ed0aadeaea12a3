/* config_fail.h - the one shape of an error in the config file. */
#ifndef BF_CONFIG_FAIL_H
#define BF_CONFIG_FAIL_H

#include <libconfig.h>
#include <stddef.h>

/* One error line, "PATH:LINE: KEY: what" (PATH: KEY: when s has no line),
 * into err. Returns -1. */
int config_fail(char *err, size_t errlen, const char *path, const config_setting_t *s,
                const char *key, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
