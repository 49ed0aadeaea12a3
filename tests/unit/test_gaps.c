/* test_gaps.c - the table codes, and the heatmap's size at 1,500 dates x
 * 15 tables. With UNIT_KEEP_HTML=PATH in the environment, also writes that
 * heatmap there. */
#include <stdlib.h>

#include "report/gaps_html.h"
#include "unit.h"

UNIT_CASE(codes)
{
    const char *names[] = {"player_game_summary",
                           "team_offense_game_summary",
                           "team_defense_game_summary",
                           "upcoming_player_game_context",
                           "upcoming_team_game_context",
                           "team_defense_zone_analysis",
                           "player_shot_zone_analysis",
                           "player_composite_factors",
                           "player_daily_cache",
                           "ml_feature_store",
                           "analytics.total_goals",
                           "team_goals",
                           "team_game_stats",
                           "copy"};
    const char *want = "pgs togs tdgs upgc utgc tdza psza pcf pdc mlfs tg tg2 tgs c";
    char codes[14][16], got[256] = "";
    gaps_codes(names, 14, codes);
    for (size_t i = 0; i < 14; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", codes[i]);
    CHECK_STR("codes: the operators' own, a schema dropped, a clash numbered", want, got);
}

/* 1,500 dates x 15 tables, five-digit row counts, a state of every kind. */
UNIT_CASE(size)
{
    const char *keep = getenv("UNIT_KEEP_HTML");
    enum { DAYS = 1500, TABLES = 15 };
    static const char *const names[TABLES] = {
        "player_game_summary_one",   "player_game_summary_two",   "team_offense_game_summary",
        "team_defense_game_summary", "upcoming_player_context",   "upcoming_team_context",
        "team_defense_zone",         "player_shot_zone_analysis", "player_composite_factors",
        "player_daily_cache",        "ml_feature_store",          "league_table_history",
        "league_table_forecast",     "betting_lines_archive",     "betting_lines_closing"};
    gaps_matrix m;
    memset(&m, 0, sizeof m);
    snprintf(m.first, sizeof m.first, "2020-01-01");
    snprintf(m.last, sizeof m.last, "2024-02-09");
    m.threshold = 0.95;
    m.ntables = TABLES;
    m.tables = calloc(TABLES, sizeof *m.tables);
    m.cells = calloc((size_t)DAYS * TABLES, sizeof *m.cells);
    char codes[TABLES][16];
    gaps_codes(names, TABLES, codes);
    for (size_t k = 0; k < TABLES; k++) {
        m.tables[k].processor = m.tables[k].table = names[k];
        memcpy(m.tables[k].code, codes[k], 16);
        snprintf(m.tables[k].last_run, sizeof m.tables[k].last_run, "2026-01-05T10:00:00Z");
    }
    bf_day first = date_from_ymd(2020, 1, 1);
    for (int r = 0; r < DAYS; r++) {
        date_list_push(&m.days, first + r);
        for (size_t k = 0; k < TABLES; k++) {
            int state = 1 + (int)((r + k) % (STATE_COUNT - 1));
            m.cells[(size_t)r * TABLES + k] = (gaps_cell){state, 12345, 23456, NULL};
            m.tables[k].states[state]++;
        }
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK("heatmap written", f && gaps_write_html(f, &m) == 0);
    if (f)
        fclose(f);
    printf("# 1500 x 15 heatmap: %zu bytes\n", len);
    CHECK("1,500 dates x 15 tables stay under 2 MB", len > 0 && len < 2000000);
    size_t cells = 0;
    for (const char *p = buf; p && (p = strstr(p, "<td class=")) != NULL; p++)
        cells += strncmp(p + 11, " title=\"", 8) == 0;
    CHECK("one <td class=X title=...> per cell", cells == (size_t)DAYS * TABLES);
    FILE *out = keep ? fopen(keep, "w") : NULL;
    if (out) {
        fwrite(buf, 1, len, out);
        fclose(out);
    }
    free(buf);
    free(m.cells);
    free(m.tables);
    date_list_free(&m.days);
}

UNIT_MAIN(4, UNIT(codes), UNIT(size))
