/* test_config.c - every config error is one line: FILE:LINE: KEY: what. */
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"

static char dir[] = "/tmp/bf-unit-config.XXXXXX";
static char path[128];

#define BASE                                                                                       \
    "store = { driver = \"sqlite\"; path = \"store.db\"; };\n"                                     \
    "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"

/* Load text as a config; "ok" or the error line with the path cut off. */
static const char *load(const char *text)
{
    static char err[512];
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    bf_config cfg;
    if (config_load(path, &cfg, err, sizeof err) == 0) {
        config_free(&cfg);
        return "ok";
    }
    size_t n = strlen(path);
    return strncmp(err, path, n) == 0 ? err + n : err;
}

int main(void)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/backfill.conf", dir);

    CHECK_STR("minimal config", "ok", load(BASE));
    CHECK_STR("syntax error", ":1: syntax error", load("store = { driver = ; };\n"));
    CHECK_STR("unknown key", ":3: preflite: unknown key",
              load(BASE "preflite = { min_coverage = 0.9; };\n"));
    CHECK_STR("unknown key in a group", ":3: min_cov: unknown key in preflight",
              load(BASE "preflight = { min_cov = 0.9; };\n"));
    CHECK_STR("wrong type", ":3: preflight.min_coverage: expected a number between 0 and 1",
              load(BASE "preflight = { min_coverage = \"high\"; };\n"));
    CHECK_STR("out of range fraction", ":3: preflight.min_coverage: 1.5 is out of range 0-1",
              load(BASE "preflight = { min_coverage = 1.5; };\n"));
    CHECK_STR("out of range integer", ":3: run.workers: 0 is out of range 1-256",
              load(BASE "run = { workers = 0; };\n"));
    CHECK_STR("integer expected", ":3: run.retries: expected an integer",
              load(BASE "run = { retries = 2.5; };\n"));
    CHECK_STR("missing store", ": store: missing",
              load("calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("unknown driver", ":1: store.driver: unknown driver 'postgres' (known: sqlite)",
              load("store = { driver = \"postgres\"; path = \"x\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("bad season date",
              ":4: seasons[1].start: invalid date '2022-02-30': 2022-02 has 28 days",
              load(BASE "seasons = ( { start = \"2021-10-19\"; end = \"2022-06-16\"; },\n"
                        "  { start = \"2022-02-30\"; end = \"2023-06-12\"; } );\n"));
    CHECK_STR("season start after end", ":3: seasons[0]: start is after end",
              load(BASE "seasons = ( { start = \"2022-10-19\"; end = \"2022-06-16\"; } );\n"));
    CHECK_STR(
        "calendar table not an identifier",
        ":2: calendar.table: 'sched; DROP TABLE x' is not a plain table or column name",
        load("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
             "calendar = { table = \"sched; DROP TABLE x\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("processor section must be a group",
              ":3: copy: expected a group { ... } in processors",
              load(BASE "processors = { copy = 3; };\n"));

    bf_config cfg;
    char err[512], want[256];
    FILE *f = fopen(path, "w");
    fputs(BASE "plugin_dir = \"lib/plugins\";\nstate_dir = \"/var/tmp/bf\";\n", f);
    fclose(f);
    CHECK("loads", config_load(path, &cfg, err, sizeof err) == 0);
    snprintf(want, sizeof want, "%s/store.db", dir);
    CHECK_STR("store.path resolves against the file's directory", want, cfg.store_path);
    snprintf(want, sizeof want, "%s/lib/plugins", dir);
    CHECK_STR("plugin_dir resolves too", want, cfg.plugin_dir);
    CHECK_STR("absolute paths stay", "/var/tmp/bf", cfg.state_dir);
    CHECK("default bootstrap_days 14", cfg.bootstrap_days == 14);
    CHECK("default min_coverage 0.95", cfg.min_coverage == 0.95);
    CHECK("default workers 4, retries 2", cfg.workers == 4 && cfg.retries == 2);
    CHECK("default checkpoint interval 1 s", cfg.checkpoint_interval_ms == 1000);
    config_free(&cfg);

    unlink(path);
    snprintf(want, sizeof want, "%s: cannot read config: No such file or directory", path);
    CHECK("missing file", config_load(path, &cfg, err, sizeof err) == -1);
    CHECK_STR("missing file message", want, err);
    CHECK("identifier: plain", config_is_identifier("game_date"));
    CHECK("identifier: schema.table", config_is_identifier("raw.schedule"));
    CHECK("identifier: two dots", !config_is_identifier("a.b.c"));
    CHECK("identifier: leading digit", !config_is_identifier("1table"));
    CHECK("identifier: quote", !config_is_identifier("t'"));
    rmdir(dir);
    UNIT_DONE();
}
