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
    loader_unload(&p);
    checkpoint cp;
    if (checkpoint_open(&cp, cfg->state_dir, o->processor, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    FILE *out = o->json ? stderr : stdout;
    json_t *dates = json_object_get(cp.root, "dates");
    json_t *run = json_object_get(cp.root, "run");
    size_t counts[DATE_STATUS_COUNT] = {0}, n = 0;
    const char **rerun = calloc(json_object_size(dates) + 1, sizeof *rerun);
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        int s = date_status_parse(json_string_value(json_object_get(rec, "status")));
        if (s < 0)
            continue;
        counts[s]++;
        if (rerun && s != DATE_COMPLETE && s != DATE_SKIPPED)
            rerun[n++] = date;
    }
    fprintf(out, "%s: %zu dates in %s%s\n", o->processor, json_object_size(dates), cp.path,
            json_object_size(dates) ? "" : " (never run)");
    report_counts(out, counts, 0);
    const char *cmd = json_string_value(json_object_get(run, "command"));
    if (cmd)
        fprintf(out, "last run: %s\n  from %s to %s, exit %lld%s\n", cmd,
                json_string_value(json_object_get(run, "started_at")),
                json_string_value(json_object_get(run, "finished_at")),
                (long long)json_integer_value(json_object_get(run, "exit_code")),
                json_is_true(json_object_get(run, "skip_preflight")) ? ", PRE-FLIGHT SKIPPED" : "");
    report_rerun(out, o, cfg, o->processor, rerun, n, "");
    if (o->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_string(rerun[i]));
        json_t *doc =
            json_pack("{s:s, s:s, s:o, s:O, s:o}", "processor", o->processor, "checkpoint", cp.path,
                      "dates", report_counts_json(counts), "last_run", run, "rerun", list);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    }
    free(rerun);
    checkpoint_close(&cp);
    return EXIT_DONE;
}
