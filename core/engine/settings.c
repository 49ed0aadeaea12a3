/* settings.c - see settings.h. */
#include "engine/settings.h"

#include "stores/store.h"

int settings_load(const char *path, bf_config *cfg, char *err, size_t errlen)
{
    if (config_load(path, cfg, err, errlen) != 0)
        return -1;
    if (store_conf_parse(cfg->store, cfg->path, cfg->dir, cfg->store_driver, &cfg->store_conf, err,
                         errlen) != 0) {
        config_free(cfg);
        return -1;
    }
    return 0;
}

void settings_free(bf_config *cfg)
{
    store_conf_free(cfg->store_conf);
    cfg->store_conf = NULL;
    config_free(cfg);
}
