/* test_plugin_path.c - plugin_dir as a search path: a string or a list,
 * "~" expanded, $BACKFILL_PLUGIN_PATH first, the first match wins. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/settings.h"
#include "config/config.h"
#include "plugin/plugin_path.h"
#include "unit.h"

static char dir[] = "/tmp/bf-unit-plugin-path.XXXXXX";
static char path[128];
static char err[512];
static bf_config cfg;

#define BASE                                                                                       \
    "store = { driver = \"sqlite\"; path = \"store.db\"; };\n"                                     \
    "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"

/* Load BASE + text; the search path joined with ':', with dir shown as
 * "D", or the error with the config path cut off. */
static const char *load(const char *text)
{
    static char out[1024];
    FILE *f = fopen(path, "w");
    fprintf(f, BASE "%s", text);
    fclose(f);
    settings_free(&cfg);
    if (settings_load(path, &cfg, err, sizeof err) != 0) {
        size_t n = strlen(path);
        return strncmp(err, path, n) == 0 ? err + n : err;
    }
    out[0] = '\0';
    for (int i = 0; i < cfg.nplugin_dirs; i++) {
        const char *d = cfg.plugin_dirs[i];
        size_t n = strlen(dir);
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s%s", i ? ":" : "",
                 strncmp(d, dir, n) == 0 ? "D" : "", strncmp(d, dir, n) == 0 ? d + n : d);
    }
    return out;
}

static void touch(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    if (f)
        fclose(f);
}

static int count;
static int visit(void *udata, const char *d, const char *name)
{
    char *seen = udata;
    snprintf(seen + strlen(seen), 256 - strlen(seen), "%s%s@%s", count++ ? " " : "", name,
             strrchr(d, '/') + 1);
    return 0;
}

/* The cases share dir, made by the first and removed by the last. */
UNIT_CASE(search_path)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/backfill.conf", dir);
    setenv("HOME", "/home/author", 1);
    unsetenv("BACKFILL_PLUGIN_PATH");

    CHECK_STR("default: plugins next to the config", "D/plugins", load(""));
    CHECK_STR("a plain string stays valid", "D/lib", load("plugin_dir = \"lib\";\n"));
    CHECK_STR("a list, in order, ~ expanded", "D/plugins:/home/author/my-processors:/home/author",
              load("plugin_dir = [ \"plugins\", \"~/my-processors\", \"~\" ];\n"));
    CHECK_STR("a repeated directory counts once", "D/a:D/b",
              load("plugin_dir = [ \"a\", \"b\", \"a\" ];\n"));
    CHECK_STR("empty list", ":3: plugin_dir: an empty list holds no processor",
              load("plugin_dir = [ ];\n"));
    CHECK_STR("empty entry", ":3: plugin_dir: must not be empty",
              load("plugin_dir = [ \"a\", \"\" ];\n"));
    CHECK_STR("not a string",
              ":3: plugin_dir: expected a directory or a list of them "
              "[ \"plugins\", \"~/mine\" ]",
              load("plugin_dir = 3;\n"));
    CHECK_STR("~user is not expanded",
              ":3: plugin_dir: '~bob/p': only a leading \"~\" or \"~/\" is expanded",
              load("plugin_dir = [ \"~bob/p\" ];\n"));
}

UNIT_CASE(environment_first)
{
    setenv("BACKFILL_PLUGIN_PATH", "/opt/p::rel:~/x", 1);
    CHECK_STR("BACKFILL_PLUGIN_PATH comes first, empty entries ignored",
              "/opt/p:rel:/home/author/x:D/a", load("plugin_dir = \"a\";\n"));
    CHECK("plugin_path joins them",
          strncmp(cfg.plugin_path, "/opt/p:rel:/home/author/x:/", 27) == 0);
    setenv("BACKFILL_PLUGIN_PATH", "~bob", 1);
    CHECK_STR("bad BACKFILL_PLUGIN_PATH entry",
              "BACKFILL_PLUGIN_PATH: '~bob': only a leading \"~\" or \"~/\" is expanded", load(""));
    unsetenv("BACKFILL_PLUGIN_PATH");
}

/* a/{x,y}.so, b/{y,z}.so: y comes from a; b's is reported, not visited. */
UNIT_CASE(first_match_wins)
{
    char sub[256];
    snprintf(sub, sizeof sub, "%s/a", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/b", dir);
    mkdir(sub, 0755);
    touch("a/x.so");
    touch("a/y.so");
    touch("b/y.so");
    touch("b/z.so");
    touch("b/notes.txt");
    load("plugin_dir = [ \"a\", \"missing\", \"b\" ];\n");
    char seen[256] = "";
    CHECK("scan succeeds past a missing directory",
          plugin_path_scan(&cfg, visit, seen, err, sizeof err) == 0);
    CHECK_STR("first match wins, duplicates not visited", "x@a y@a z@b", seen);
    CHECK("find: first directory", plugin_path_find(&cfg, "y") == cfg.plugin_dirs[0]);
    CHECK("find: later directory", plugin_path_find(&cfg, "z") == cfg.plugin_dirs[2]);
    CHECK("find: absent", plugin_path_find(&cfg, "w") == NULL);
    CHECK("find: not a name", plugin_path_find(&cfg, "../a/x") == NULL);
    plugin p;
    CHECK("load: absent names the search path",
          plugin_path_load(&cfg, "w", &p, err, sizeof err) == BF_ERROR &&
              strstr(err, "no processor 'w' in plugin_dir ") && strstr(err, "/missing:"));
}

UNIT_CASE(no_directory)
{
    char seen[256] = "", sub[256];
    load("plugin_dir = [ \"nowhere\", \"missing\" ];\n");
    CHECK("scan: no directory exists", plugin_path_scan(&cfg, visit, seen, err, sizeof err) == -1 &&
                                           strstr(err, "no such directory"));
    CHECK("valid names", loader_valid_name("my_proc2") && !loader_valid_name("My") &&
                             !loader_valid_name("") && !loader_valid_name("a-b"));
    settings_free(&cfg);
    static const char *const files[] = {"a/x.so",      "a/y.so", "b/y.so", "b/z.so",
                                        "b/notes.txt", "a",      "b",      "backfill.conf"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(sub, sizeof sub, "%s/%s", dir, files[i]);
        remove(sub);
    }
    rmdir(dir);
}

UNIT_MAIN(21, UNIT(search_path), UNIT(environment_first), UNIT(first_match_wins),
          UNIT(no_directory))
