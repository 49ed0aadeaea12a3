/* config.h - the run configuration, read once with libconfig. */
#ifndef BF_CONFIG_H
#define BF_CONFIG_H

#include <libconfig.h>
#include <stdint.h>

#include "base/dates.h"
#include "config/expect.h"
#include "config/waivers.h"

typedef struct season {
    bf_day start, end;
} season;

/* A named set of processors (groups.<name>), for --targets. The members
 * are checked against plugin_dir when the processor graph is built. */
typedef struct config_group {
    char *name;
    int line;          /* of the group in the config file */
    char **members;    /* processor names, as written */
    int *member_lines; /* line of each member */
    int nmembers;
} config_group;

/* What a run or a pipeline tells a webhook at its end (notify = {...}). */
enum notify_event {
    NOTIFY_FAILURE = 1,           /* exit 1, 2, 4 or 130 */
    NOTIFY_PREFLIGHT_REFUSED = 2, /* exit 3 */
    NOTIFY_COMPLETE = 4,          /* exit 0 */
    NOTIFY_STALE = 8,             /* the judge found stale dates before the run */
    NOTIFY_WAITING = 16,          /* --wait-for-upstream began to wait (once per run) */
    NOTIFY_WATCH = 32             /* watch: an expectation failed or recovered */
};

typedef struct notify_config {
    char *webhook_url;  /* NULL: notifications are off */
    unsigned events;    /* enum notify_event bits: which ends are posted */
    int timeout_ms;     /* the whole delivery, retries included */
    char *content_type; /* "application/json" unless set */
    char **headers;     /* "Name: value"; "@file:PATH" in a value is read
                           when sending, never logged */
    int nheaders;
    char *token_file; /* resolved; its content sent as a Bearer token, or NULL */
} notify_config;

typedef struct bf_config {
    char *path;  /* the file read */
    char *dir;   /* its directory: relative paths resolve against it */
    config_t lc; /* kept open: plugin sections are read from it at run time */

    char *store_driver;            /* "sqlite", "clickhouse" */
    config_setting_t *store;       /* the whole section, the driver's to parse */
    struct store_conf *store_conf; /* what it parsed (engine/settings.c), or NULL */

    char **plugin_dirs; /* the search path, resolved: see plugin_path.h */
    int nplugin_dirs;   /* >= 1 */
    char *plugin_path;  /* plugin_dirs joined with ':', for messages */
    char *state_dir;    /* resolved */
    char *calendar_table, *calendar_column;
    season *seasons;
    int nseasons;
    int bootstrap_days;
    double min_coverage;
    const config_setting_t *thresholds; /* preflight.thresholds, or NULL */
    int workers, retries, retry_backoff_ms;
    int batch_dates;            /* run.batch_dates: dates per block (1: one at a time; 0: unset) */
    int checkpoint_interval_ms; /* checkpoint writes coalesced to one per interval */
    config_group *groups;       /* in file order */
    int ngroups;
    notify_config notify;
    config_waiver *waivers; /* waivers = ( ... ): see waivers.h */
    int nwaivers;
    config_expect *expects; /* expect = { ... }: see expect.h */
    int nexpects;
} bf_config;

/* Default path when neither -c nor $BACKFILL_CONFIG is given. */
#define CONFIG_DEFAULT_PATH "conf/backfill.conf"

/* Read and check path. On error returns -1 with one line in err naming
 * FILE:LINE and the key, and leaves nothing allocated. */
int config_load(const char *path, bf_config *cfg, char *err, size_t errlen);
void config_free(bf_config *cfg);

/* The libconfig setting processors.<name>, or NULL if absent. */
config_setting_t *config_processor_section(const bf_config *cfg, const char *name);

#endif
