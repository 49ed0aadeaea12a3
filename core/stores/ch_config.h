/* ch_config.h - the ClickHouse driver's section of the config file:
 *
 *   store = { driver = "clickhouse";
 *             url = "http://127.0.0.1:8123";   # the server every read goes to
 *             database = "nba";
 *             user = "default";                # default "default"
 *             password_file = "ch.password";   # optional; first line, read once
 *             timeout_s = 60;                  # per request (and max_execution_time)
 *             max_concurrent_queries = 16;     # in flight at once, whole process
 *             max_queries_per_second = 0;      # 0: no budget
 *             request_retries = 5;             # transient failures, per request
 *             cluster = "bf";                  # optional: a remote_servers name
 *             shard_urls = [ "http://...", "http://..." ]; }  # with cluster, one per shard
 */
#ifndef BF_CH_CONFIG_H
#define BF_CH_CONFIG_H

#include <libconfig.h>

#include "stores/store.h"

typedef struct ch_config {
    char *url, *database, *user, *cluster;
    char *password; /* never printed, logged or stored anywhere */
    char **shard_urls;
    int nshards; /* 0 without cluster */
    int timeout_s, max_concurrent, retries;
    double max_qps;
    char location[600]; /* for messages: no password */
} ch_config;

int ch_config_parse(const config_setting_t *section, const store_conf *cfg, void **driver_cfg,
                    char *err, size_t errlen);
void ch_config_free(void *driver_cfg);

#endif
