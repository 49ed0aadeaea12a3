/* drivers.c - the store drivers by name, and a config's store section
 * handed to the one it names. The only file that knows every driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/store.h"

static const store_driver *const drivers[] = {&store_sqlite_driver, &store_clickhouse_driver};

static const store_driver *store_find_driver(const char *name)
{
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    return NULL;
}

int store_conf_parse(const config_setting_t *section, const char *path, const char *dir,
                     const char *driver, store_conf **out, char *err, size_t errlen)
{
    *out = NULL;
    store_conf *sc = calloc(1, sizeof *sc);
    if (!sc) {
        snprintf(err, errlen, "%s: store: out of memory", path);
        return -1;
    }
    *sc = (store_conf){.path = path, .dir = dir, .driver = driver};
    sc->impl = store_find_driver(driver);
    if (!sc->impl) {
        store_config_fail(sc, config_setting_get_member(section, "driver"), "driver", err, errlen,
                          "unknown driver '%s' (known: sqlite, clickhouse)", driver);
        free(sc);
        return -1;
    }
    if (sc->impl->parse_config(section, sc, &sc->driver_cfg, err, errlen) != 0) {
        free(sc);
        return -1;
    }
    *out = sc;
    return 0;
}

void store_conf_free(store_conf *sc)
{
    if (sc && sc->driver_cfg)
        sc->impl->free_config(sc->driver_cfg);
    free(sc);
}
