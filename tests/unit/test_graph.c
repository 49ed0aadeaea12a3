/* test_graph.c - the processor graph over the demo processors and the
 * graph test plugins: order, edges, selection, closure, faults. Run from
 * the repository root after `make all` and the test plugins. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/settings.h"
#include "engine/graph.h"
#include "unit.h"

static char dir[] = "/tmp/bf-unit-graph.XXXXXX";
static char root[512];

/* A config in dir with plugin_dir pdir and the text extra appended. */
static int load_config(bf_config *cfg, const char *pdir, const char *extra)
{
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/backfill.conf", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "store = { driver = \"sqlite\"; path = \"store.db\"; };\n"
            "calendar = { table = \"schedule\"; date_column = \"game_date\"; };\n"
            "plugin_dir = \"%s\";\n%s",
            pdir, extra);
    fclose(f);
    int rc = settings_load(path, cfg, err, sizeof err);
    if (rc != 0)
        printf("# %s\n", err);
    return rc;
}

/* The names mask selects, in index (= name) order, space-separated. */
static const char *selected(const graph *g, const unsigned char *mask)
{
    static char out[1024];
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < g->n; i++)
        if (mask[i])
            n += snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", g->nodes[i].name);
    return out;
}

/* Select spec, close it over upstream, and name the result. */
static const char *closure_of(const graph *g, const char *spec)
{
    unsigned char mask[64] = {0};
    char err[256];
    if (g->n > sizeof mask || graph_select(g, spec, mask, err, sizeof err) != BF_OK)
        return "error";
    graph_closure(g, mask);
    return selected(g, mask);
}

static const char *select_error(const graph *g, const char *spec)
{
    static char err[256];
    unsigned char mask[64] = {0};
    if (graph_select(g, spec, mask, err, sizeof err) == BF_OK)
        return "ok";
    return err;
}

/* The demo processors' graph: loaded by demo_loads, freed by
 * demo_selection. */
static graph demo;
static bf_config demo_cfg;
static int demo_loaded;

UNIT_CASE(setup)
{
    CHECK("temp dir", mkdtemp(dir) != NULL);
    CHECK("cwd", getcwd(root, sizeof root) != NULL);
}

UNIT_CASE(demo_loads)
{
    char pdir[600];
    snprintf(pdir, sizeof pdir, "%s/plugins", root);
    const char *groups = "groups = {\n"
                         "  phase3 = [ \"player_game_summary\", \"team_offense_game_summary\",\n"
                         "    \"team_defense_game_summary\", \"upcoming_player_game_context\",\n"
                         "    \"upcoming_team_game_context\" ];\n"
                         "  phase4 = [ \"ml_feature_store\" ];\n"
                         "};\n";
    if (load_config(&demo_cfg, pdir, groups) != 0) {
        CHECK("demo config", 0);
        return;
    }
    char err[1024] = "";
    demo_loaded = graph_load(&demo_cfg, &demo, err, sizeof err) == BF_OK;
    CHECK_STR("demo graph loads", "", err);
    if (!demo_loaded) {
        settings_free(&demo_cfg);
        return;
    }
    CHECK("ten processors, all ordered", demo.n == 10 && demo.norder == 10 && demo.nfaults == 0);
}

UNIT_CASE(demo_order)
{
    const graph g = demo;
    if (!demo_loaded)
        return;
    size_t pos[64];
    for (size_t k = 0; k < g.norder; k++)
        pos[g.order[k]] = k;
    int sound = 1;
    for (size_t i = 0; i < g.n; i++)
        for (size_t u = 0; u < g.nodes[i].nup; u++)
            sound &= pos[g.nodes[i].up[u]] < pos[i];
    CHECK("order puts every processor after its upstream", sound);
    CHECK_STR("order starts with the one whose inputs are all raw, first by name",
              "team_offense_game_summary", g.nodes[g.order[0]].name);
    CHECK_STR("order ends with ml_feature_store", "ml_feature_store", g.nodes[g.order[9]].name);
}

UNIT_CASE(demo_edges)
{
    const graph g = demo;
    if (!demo_loaded)
        return;
    size_t pgs = graph_find(&g, "player_game_summary");
    size_t tog = graph_find(&g, "team_offense_game_summary");
    size_t pdc = graph_find(&g, "player_daily_cache");
    CHECK("find", pgs != GRAPH_NONE && tog != GRAPH_NONE && pdc != GRAPH_NONE);
    CHECK("find: unknown", graph_find(&g, "nope") == GRAPH_NONE);
    if (pgs == GRAPH_NONE || tog == GRAPH_NONE || pdc == GRAPH_NONE)
        return;
    const graph_node *n = &g.nodes[pgs];
    CHECK("raw dependency has no writer", n->writer[0] == GRAPH_NONE);
    CHECK("optional dependency on a processor is an edge", n->writer[1] == tog);
    CHECK("upstream of player_daily_cache, by name",
          g.nodes[pdc].nup == 2 && g.nodes[pdc].up[0] == pgs && g.nodes[pdc].up[1] == tog);
    CHECK("downstream of team_offense_game_summary", g.nodes[tog].ndown == 3);
}

UNIT_CASE(demo_selection)
{
    graph g = demo;
    char err[1024] = "";
    if (!demo_loaded)
        return;
    CHECK_STR("closure of one processor",
              "player_daily_cache player_game_summary "
              "team_offense_game_summary",
              closure_of(&g, "player_daily_cache"));
    CHECK_STR("closure of two",
              "player_game_summary player_shot_zone_analysis "
              "team_offense_game_summary upcoming_team_game_context",
              closure_of(&g, "upcoming_team_game_context,player_shot_zone_analysis"));
    CHECK_STR("closure of phase3 is phase3",
              "player_game_summary team_defense_game_summary "
              "team_offense_game_summary upcoming_player_game_context upcoming_team_game_context",
              closure_of(&g, "phase3"));
    CHECK_STR("closure of ml_feature_store (group phase4) is everything",
              "ml_feature_store player_composite_factors player_daily_cache player_game_summary "
              "player_shot_zone_analysis team_defense_game_summary team_defense_zone_analysis "
              "team_offense_game_summary upcoming_player_game_context upcoming_team_game_context",
              closure_of(&g, "phase4"));
    unsigned char mask[64] = {0};
    graph_select(&g, "phase3,ml_feature_store", mask, err, sizeof err);
    CHECK_STR("select without closure: a group and a name",
              "ml_feature_store "
              "player_game_summary team_defense_game_summary team_offense_game_summary "
              "upcoming_player_game_context upcoming_team_game_context",
              selected(&g, mask));
    CHECK_STR("select: unknown name", "no processor or group 'phase5' (see: backfill list)",
              select_error(&g, "phase3,phase5"));
    CHECK_STR("select: empty item", "'phase3,,phase4': empty or overlong name in the selection",
              select_error(&g, "phase3,,phase4"));
    CHECK_STR("select: empty", "'': empty or overlong name in the selection", select_error(&g, ""));
    CHECK_STR("select: trailing comma", "'phase3,': empty or overlong name in the selection",
              select_error(&g, "phase3,"));
    graph_free(&demo);
    settings_free(&demo_cfg);
}

/* A plugin_dir in dir/name holding copies of the named plugins (copies:
 * the loader refuses a symlink leading out of plugin_dir). */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc == 0 ? chmod(to, 0755) : rc;
}

static void plugin_dir(const char *name, const char *const *plugins)
{
    char path[1200], target[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mkdir(path, 0700);
    for (const char *const *p = plugins; *p; p++) {
        snprintf(target, sizeof target, "%s/tests/plugins/%s%s.so", root,
                 strcmp(*p, "copy") == 0 ? "" : "graph/", *p);
        snprintf(path, sizeof path, "%s/%s/%s.so", dir, name, *p);
        if (copy_file(target, path) != 0)
            printf("# copy %s: failed\n", path);
    }
}

UNIT_CASE(cycle)
{
    static const char *const cycle[] = {"copy", "cycle_a", "cycle_b", "cycle_c", NULL};
    char pdir[1200], err[1024];
    snprintf(pdir, sizeof pdir, "%s/cycle", dir);
    plugin_dir("cycle", cycle);
    bf_config cfg;
    graph g;
    if (load_config(&cfg, pdir, "") != 0 || graph_open(&cfg, &g, err, sizeof err) != BF_OK) {
        CHECK("cycle graph opens", 0);
        return;
    }
    CHECK("cycle: one fault", g.nfaults == 1);
    CHECK_STR("cycle: named from its first member",
              "cycle: cycle_a -> cycle_b -> cycle_c -> cycle_a", g.nfaults ? g.faults[0].text : "");
    CHECK_STR("cycle: involves its members", "cycle_a cycle_b cycle_c",
              g.nfaults ? selected(&g, g.faults[0].involved) : "");
    CHECK("cycle: only copy can be ordered", g.norder == 1 && g.order[0] == graph_find(&g, "copy"));
    CHECK_STR("cycle: closure follows it round", "cycle_a cycle_b cycle_c",
              closure_of(&g, "cycle_b"));
    CHECK("cycle: copy is not concerned", graph_refuses(&g, "copy", err, sizeof err) == BF_OK);
    CHECK("cycle: a member is", graph_refuses(&g, "cycle_c", err, sizeof err) == BF_ERROR);
    graph_free(&g);
    CHECK("cycle: graph_load refuses",
          graph_load(&cfg, &g, err, sizeof err) == BF_ERROR && strncmp(err, "cycle: ", 7) == 0);
    settings_free(&cfg);
}

UNIT_CASE(duplicate_writer)
{
    static const char *const dup[] = {"copy", "dup_one", "dup_two", NULL};
    char pdir[1200], err[1024];
    bf_config cfg;
    graph g;
    snprintf(pdir, sizeof pdir, "%s/dup", dir);
    plugin_dir("dup", dup);
    if (load_config(&cfg, pdir, "") != 0 || graph_open(&cfg, &g, err, sizeof err) != BF_OK) {
        CHECK("dup graph opens", 0);
        return;
    }
    CHECK_STR("duplicate writer: involves both writers", "dup_one dup_two",
              g.nfaults == 1 ? selected(&g, g.faults[0].involved) : "");
    CHECK("duplicate writer: order unaffected", g.norder == 3);
    graph_free(&g);
    settings_free(&cfg);
}

UNIT_CASE(cleanup)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK("cleanup", system(cmd) == 0);
}

UNIT_MAIN(33, UNIT(setup), UNIT(demo_loads), UNIT(demo_order), UNIT(demo_edges),
          UNIT(demo_selection), UNIT(cycle), UNIT(duplicate_writer), UNIT(cleanup))
