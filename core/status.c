/* status.c - the `status` command: read a processor's checkpoint back. */
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "cli.h"
#include "loader.h"
#include "report.h"

int cmd_status(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    plugin p;
    if (loader_load(cfg->plugin_dir, o->processor, &p, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    checkpoint cp;
    int rc = checkpoint_open(&cp, cfg->state_dir, o->processor, err, sizeof err);
    loader_unload(&p);
    if (rc != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    json_t *dates = json_object_get(cp.root, "dates");
    json_t *run = json_object_get(cp.root, "run");
    if (json_object_size(dates) == 0) {
        printf("%s: no checkpoint yet (%s): never run\n", o->processor, cp.path);
        checkpoint_close(&cp);
        return EXIT_DONE;
    }
    size_t counts[DATE_STATUS_COUNT] = {0}, n = 0;
    const char **rerun = calloc(json_object_size(dates), sizeof *rerun);
    const char *date;
    json_t *rec;
    /* jansson keeps insertion order; the file is written sorted. */
    json_object_foreach(dates, date, rec) {
        int s = date_status_parse(json_string_value(json_object_get(rec, "status")));
        if (s < 0)
            continue;
        counts[s]++;
        if (rerun && s != DATE_COMPLETE && s != DATE_SKIPPED)
            rerun[n++] = date;
    }
    printf("%s: %zu dates in %s\n", o->processor, json_object_size(dates), cp.path);
    report_counts(stdout, counts, 0);
    const char *cmd = json_string_value(json_object_get(run, "command"));
    if (cmd)
        printf("last run: %s\n  from %s to %s, exit %lld%s\n", cmd,
               json_string_value(json_object_get(run, "started_at")),
               json_string_value(json_object_get(run, "finished_at")),
               (long long)json_integer_value(json_object_get(run, "exit_code")),
               json_is_true(json_object_get(run, "skip_preflight"))
                   ? ", PRE-FLIGHT SKIPPED" : "");
    report_rerun(stdout, o, cfg, o->processor, rerun, n);
    free(rerun);
    checkpoint_close(&cp);
    return EXIT_DONE;
}
