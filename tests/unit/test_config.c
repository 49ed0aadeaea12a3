/* test_config.c - every config error is one line: FILE:LINE: KEY: what. */
#include <stdlib.h>
#include <unistd.h>

#include "engine/settings.h"
#include "config/config.h"
#include "base/names.h"
#include "stores/store.h"
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
    if (settings_load(path, &cfg, err, sizeof err) == 0) {
        settings_free(&cfg);
        return "ok";
    }
    size_t n = strlen(path);
    return strncmp(err, path, n) == 0 ? err + n : err;
}

/* The cases share dir, made by the first and removed by the last. */
UNIT_CASE(temp_dir)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/backfill.conf", dir);
}

UNIT_CASE(syntax_and_keys)
{
    CHECK_STR("minimal config", "ok", load(BASE));
    CHECK_STR("syntax error", ":1: syntax error", load("store = { driver = ; };\n"));
    CHECK_STR("syntax error names its line", ":4: syntax error",
              load(BASE "\nrun = { workers = = 4; };\nbootstrap_days = 3;\n"));
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
    CHECK_STR("negative fraction", ":3: preflight.min_coverage: -0.1 is out of range 0-1",
              load(BASE "preflight = { min_coverage = -0.1; };\n"));
    CHECK_STR("fraction 1 as an integer", "ok", load(BASE "preflight = { min_coverage = 1; };\n"));
    CHECK_STR("too many workers", ":4: run.workers: 257 is out of range 1-256",
              load(BASE "run = {\n workers = 257; };\n"));
    CHECK_STR("negative retries", ":3: run.retries: -1 is out of range 0-100",
              load(BASE "run = { retries = -1; };\n"));
    CHECK_STR("bootstrap_days out of range", ":3: bootstrap_days: 367 is out of range 0-366",
              load(BASE "bootstrap_days = 367;\n"));
    CHECK_STR("bootstrap_days as text", ":3: bootstrap_days: expected an integer",
              load(BASE "bootstrap_days = \"14\";\n"));
    CHECK_STR("unknown key in run", ":3: worker: unknown key in run",
              load(BASE "run = { worker = 8; };\n"));
    CHECK_STR("preflight not a group", ":3: preflight: expected a group { ... }",
              load(BASE "preflight = 0.9;\n"));
    CHECK_STR("integer expected", ":3: run.retries: expected an integer",
              load(BASE "run = { retries = 2.5; };\n"));
}

UNIT_CASE(store_section)
{
    CHECK_STR("missing store", ": store: missing",
              load("calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("store not a group", ":1: store: expected a group { ... }",
              load("store = \"store.db\";\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("store without path", ":1: store.path: missing",
              load("store = { driver = \"sqlite\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("empty store path", ":1: store.path: must not be empty",
              load("store = { driver = \"sqlite\"; path = \"\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("store key of another driver", ":1: store.url: unknown key for driver sqlite",
              load("store = { driver = \"sqlite\"; path = \"x\"; url = \"http://h\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
    CHECK_STR("driver not a string", ":1: store.driver: expected a string",
              load("store = { driver = 1; path = \"x\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
}

UNIT_CASE(calendar_section)
{
    CHECK_STR("missing calendar", ": calendar: missing",
              load("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"));
    CHECK_STR("calendar without date_column", ":2: calendar.date_column: missing",
              load("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
                   "calendar = { table = \"schedule\"; };\n"));
    CHECK_STR("calendar column not an identifier",
              ":2: calendar.date_column: 'game date' is not a plain table or column name",
              load("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game date\"; };\n"));
    CHECK_STR("unknown driver",
              ":1: store.driver: unknown driver 'postgres' (known: sqlite, clickhouse)",
              load("store = { driver = \"postgres\"; path = \"x\"; };\n"
                   "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"));
}

#define CH_STORE(KEYS)                                                                             \
    "store = { driver = \"clickhouse\"; " KEYS " };\n"                                             \
    "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"

UNIT_CASE(clickhouse_store)
{
    CHECK_STR("clickhouse without url", ":1: store.url: missing",
              load(CH_STORE("database = \"nba\";")));
    CHECK_STR("clickhouse url with credentials",
              ":1: store.url: credentials do not belong in the URL: use user and password_file",
              load(CH_STORE("url = \"http://u:pw@h:8123\"; database = \"nba\";")));
    CHECK_STR("clickhouse url not http",
              ":1: store.url: 'ftp://h' is not an http:// or https:// URL",
              load(CH_STORE("url = \"ftp://h\"; database = \"nba\";")));
    CHECK_STR("clickhouse database not a name",
              ":1: store.database: 'a b' is not a plain database name",
              load(CH_STORE("url = \"http://h:1\"; database = \"a b\";")));
    CHECK_STR(
        "clickhouse shard_urls without cluster", ":1: store.shard_urls: needs cluster",
        load(CH_STORE("url = \"http://h:1\"; database = \"d\"; shard_urls = [\"http://h:2\"];")));
    CHECK_STR("clickhouse cluster without shard_urls",
              ":1: store.shard_urls: with cluster, list every shard's HTTP URL [ \"http://...\" ]",
              load(CH_STORE("url = \"http://h:1\"; database = \"d\"; cluster = \"c\";")));
    CHECK_STR("clickhouse timeout out of range", ":1: store.timeout_s: 0 is out of range 1-86400",
              load(CH_STORE("url = \"http://h:1\"; database = \"d\"; timeout_s = 0;")));
    CHECK_STR(
        "clickhouse unreadable password_file",
        ":1: store.password_file: /nonexistent/pw: No such file or directory",
        strstr(load(CH_STORE(
                   "url = \"http://h:1\"; database = \"d\"; password_file = \"/nonexistent/pw\";")),
               ":1: store.password_file: /nonexistent/pw: No such file or directory")
            ? ":1: store.password_file: /nonexistent/pw: No such file or directory"
            : "(other)");
    CHECK_STR(
        "clickhouse config loads", "ok",
        load(CH_STORE("url = \"http://127.0.0.1:8123\"; database = \"nba\"; user = \"u\";"
                      " timeout_s = 5; max_concurrent_queries = 2; max_queries_per_second = 50.5;"
                      " request_retries = 0; cluster = \"bf\";"
                      " shard_urls = [ \"http://127.0.0.1:1\", \"http://127.0.0.1:2\" ];")));
}

UNIT_CASE(clickhouse_password)
{
    char pw[256];
    snprintf(pw, sizeof pw, "%s/pw", dir);
    FILE *pf = fopen(pw, "w");
    fputs("hunter2-secret\n", pf);
    fclose(pf);
    FILE *cf = fopen(path, "w");
    fputs(CH_STORE("url = \"http://127.0.0.1:8123\"; database = \"nba\"; password_file = \"pw\";"),
          cf);
    fclose(cf);
    bf_config ch;
    char cherr[512];
    CHECK("clickhouse config with a password file loads",
          settings_load(path, &ch, cherr, sizeof cherr) == 0);
    CHECK_STR("clickhouse location: server and database, never the password",
              "http://127.0.0.1:8123 database nba", store_location(ch.store_conf));
    CHECK("clickhouse: publish is not atomic, requests are retried, blocks publish together",
          store_caps(ch.store_conf) == (STORE_CAP_REQUEST_RETRY | STORE_CAP_BLOCK_GROUP));
    settings_free(&ch);
    unlink(pw);
}

UNIT_CASE(seasons)
{
    CHECK_STR("bad season date",
              ":4: seasons[1].start: invalid date '2022-02-30': 2022-02 has 28 days",
              load(BASE "seasons = ( { start = \"2021-10-19\"; end = \"2022-06-16\"; },\n"
                        "  { start = \"2022-02-30\"; end = \"2023-06-12\"; } );\n"));
    CHECK_STR("bad season end", ":3: seasons[0].end: invalid date '2022-6-16': expected YYYY-MM-DD",
              load(BASE "seasons = ( { start = \"2021-10-19\"; end = \"2022-6-16\"; } );\n"));
    CHECK_STR("season without end", ":3: seasons[0].end: missing",
              load(BASE "seasons = ( { start = \"2021-10-19\"; } );\n"));
    CHECK_STR("unknown key in a season", ":3: stop: unknown key in seasons[0]",
              load(BASE "seasons = ( { start = \"2021-10-19\"; stop = \"2022-06-16\"; } );\n"));
    CHECK_STR("seasons not a list",
              ":3: seasons: expected a list ( { start = ...; end = ...; }, ... )",
              load(BASE "seasons = { start = \"2021-10-19\"; end = \"2022-06-16\"; };\n"));
    CHECK_STR("a one-day season", "ok",
              load(BASE "seasons = ( { start = \"2022-06-16\"; end = \"2022-06-16\"; } );\n"));
    CHECK_STR("season start after end", ":3: seasons[0]: start is after end",
              load(BASE "seasons = ( { start = \"2022-10-19\"; end = \"2022-06-16\"; } );\n"));
}

UNIT_CASE(calendar_table)
{
    CHECK_STR(
        "calendar table not an identifier",
        ":2: calendar.table: 'sched; DROP TABLE x' is not a plain table or column name",
        load("store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
             "calendar = { table = \"sched; DROP TABLE x\"; date_column = \"game_date\"; };\n"));
}

UNIT_CASE(processors_and_groups)
{
    CHECK_STR("processor section must be a group",
              ":3: copy: expected a group { ... } in processors",
              load(BASE "processors = { copy = 3; };\n"));
    CHECK_STR("groups not a group", ":3: groups: expected a group { ... }",
              load(BASE "groups = [ \"a\" ];\n"));
    CHECK_STR("group not a list",
              ":3: groups.phase3: expected a list of processor names "
              "[ \"a\", \"b\" ]",
              load(BASE "groups = { phase3 = \"a\"; };\n"));
    CHECK_STR("empty group", ":3: groups.phase3: an empty group selects nothing",
              load(BASE "groups = { phase3 = [ ]; };\n"));
    CHECK_STR("group member not a string", ":4: groups.p: expected processor names as strings",
              load(BASE "groups = { p = (\n 3 ); };\n"));
    CHECK_STR("group member empty", ":3: groups.p: expected processor names as strings",
              load(BASE "groups = { p = [ \"\" ]; };\n"));
}

UNIT_CASE(defaults)
{
    bf_config cfg;
    char err[512], want[256];
    FILE *f = fopen(path, "w");
    fputs(BASE "plugin_dir = \"lib/plugins\";\nstate_dir = \"/var/tmp/bf\";\n", f);
    fclose(f);
    CHECK("loads", settings_load(path, &cfg, err, sizeof err) == 0);
    CHECK_STR("path kept", path, cfg.path);
    CHECK_STR("driver", "sqlite", cfg.store_driver);
    CHECK_STR("calendar table", "schedule", cfg.calendar_table);
    CHECK_STR("calendar column", "game_date", cfg.calendar_column);
    CHECK("no seasons by default", cfg.nseasons == 0);
    CHECK("default retry backoff 200 ms", cfg.retry_backoff_ms == 200);
    snprintf(want, sizeof want, "%s/store.db", dir);
    CHECK_STR("store.path resolves against the file's directory", want,
              store_location(cfg.store_conf));
    snprintf(want, sizeof want, "%s/lib/plugins", dir);
    CHECK_STR("plugin_dir resolves too", want, cfg.plugin_dirs[0]);
    CHECK_STR("absolute paths stay", "/var/tmp/bf", cfg.state_dir);
    CHECK("default bootstrap_days 14", cfg.bootstrap_days == 14);
    CHECK("default min_coverage 0.95", cfg.min_coverage == 0.95);
    CHECK("default workers 4, retries 2", cfg.workers == 4 && cfg.retries == 2);
    CHECK("default checkpoint interval 1 s", cfg.checkpoint_interval_ms == 1000);
    settings_free(&cfg);
}

/* Every relative path against the file's directory; values as given. */
UNIT_CASE(full_config)
{
    bf_config cfg;
    char err[512], want[256];
    FILE *f = fopen(path, "w");
    fputs("store = { driver = \"sqlite\"; path = \"data/w.db\"; };\n"
          "calendar = { table = \"raw.schedule\"; date_column = \"game_date\"; };\n"
          "state_dir = \"var/state\";\n"
          "seasons = ( { start = \"2021-10-19\"; end = \"2022-06-16\"; },\n"
          "            { start = \"2022-10-18\"; end = \"2023-06-12\"; } );\n"
          "bootstrap_days = 0;\n"
          "preflight = { min_coverage = 0.8; };\n"
          "run = { workers = 8; retries = 0; retry_backoff_ms = 0; checkpoint_interval_ms = 0; };\n"
          "processors = { copy = { rows = 3; }; };\n"
          "groups = { phase3 = [ \"a\",\n  \"b\" ];\n  solo = ( \"c\" ); };\n",
          f);
    fclose(f);
    CHECK("full config loads", settings_load(path, &cfg, err, sizeof err) == 0);
    snprintf(want, sizeof want, "%s/data/w.db", dir);
    CHECK_STR("nested store.path resolves", want, store_location(cfg.store_conf));
    snprintf(want, sizeof want, "%s/var/state", dir);
    CHECK_STR("state_dir resolves", want, cfg.state_dir);
    snprintf(want, sizeof want, "%s/plugins", dir);
    CHECK_STR("default plugin_dir resolves", want, cfg.plugin_dirs[0]);
    CHECK_STR("schema-qualified calendar table", "raw.schedule", cfg.calendar_table);
    CHECK("two seasons read", cfg.nseasons == 2 &&
                                  cfg.seasons[0].start == date_from_ymd(2021, 10, 19) &&
                                  cfg.seasons[0].end == date_from_ymd(2022, 6, 16) &&
                                  cfg.seasons[1].start == date_from_ymd(2022, 10, 18) &&
                                  cfg.seasons[1].end == date_from_ymd(2023, 6, 12));
    CHECK("bootstrap_days 0 is kept", cfg.bootstrap_days == 0);
    CHECK("min_coverage read", cfg.min_coverage == 0.8);
    CHECK("run values read", cfg.workers == 8 && cfg.retries == 0 && cfg.retry_backoff_ms == 0 &&
                                 cfg.checkpoint_interval_ms == 0);
    config_setting_t *copy = config_processor_section(&cfg, "copy");
    int rows = 0;
    CHECK("processor section found",
          copy && config_setting_lookup_int(copy, "rows", &rows) == CONFIG_TRUE && rows == 3);
    CHECK("absent processor section", config_processor_section(&cfg, "noop") == NULL);
    CHECK("two groups read, in file order", cfg.ngroups == 2 &&
                                                strcmp(cfg.groups[0].name, "phase3") == 0 &&
                                                strcmp(cfg.groups[1].name, "solo") == 0);
    CHECK("group members and their lines",
          cfg.ngroups == 2 && cfg.groups[0].nmembers == 2 &&
              strcmp(cfg.groups[0].members[1], "b") == 0 && cfg.groups[0].member_lines[0] == 10 &&
              cfg.groups[0].member_lines[1] == 11 && cfg.groups[1].nmembers == 1 &&
              cfg.groups[1].line == 12);
    settings_free(&cfg);
}

/* A config named without a directory resolves against ".". */
UNIT_CASE(bare_file_name)
{
    bf_config cfg;
    char err[512], here[512];
    FILE *f;
    CHECK("cwd", getcwd(here, sizeof here) != NULL);
    CHECK("chdir to the temp dir", chdir(dir) == 0);
    f = fopen("backfill.conf", "w");
    fputs(BASE, f);
    fclose(f);
    CHECK("a bare file name loads", settings_load("backfill.conf", &cfg, err, sizeof err) == 0);
    CHECK_STR("bare file name: directory is .", ".", cfg.dir);
    CHECK_STR("bare file name: store.path under .", "./store.db", store_location(cfg.store_conf));
    settings_free(&cfg);
    CHECK("chdir back", chdir(here) == 0);
}

/* Removes dir. */
UNIT_CASE(missing_file)
{
    bf_config cfg;
    char err[512], want[256];
    unlink(path);
    snprintf(want, sizeof want, "%s: cannot read config: No such file or directory", path);
    CHECK("missing file", settings_load(path, &cfg, err, sizeof err) == -1);
    CHECK_STR("missing file message", want, err);
    rmdir(dir);
}

UNIT_CASE(identifiers)
{
    CHECK("identifier: plain", name_is_identifier("game_date"));
    CHECK("identifier: schema.table", name_is_identifier("raw.schedule"));
    CHECK("identifier: two dots", !name_is_identifier("a.b.c"));
    CHECK("identifier: leading digit", !name_is_identifier("1table"));
    CHECK("identifier: quote", !name_is_identifier("t'"));
}

UNIT_MAIN(94, UNIT(temp_dir), UNIT(syntax_and_keys), UNIT(store_section), UNIT(calendar_section),
          UNIT(clickhouse_store), UNIT(clickhouse_password), UNIT(seasons), UNIT(calendar_table),
          UNIT(processors_and_groups), UNIT(defaults), UNIT(full_config), UNIT(bare_file_name),
          UNIT(missing_file), UNIT(identifiers))
