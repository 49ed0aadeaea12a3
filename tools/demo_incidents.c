/* demo_incidents.c - the demo warehouse as the operators found it (see
 * demo_gen.c's usage): incident a (Phase 3 partly backfilled), incident b
 * (a late team box-score feed) and the late feed delivered. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "demo_gen.h"

/* The game dates of the warehouse, ascending; with `expected`, only those a
 * Phase 4 processor expects (bootstrap days left out); with `games` > 0,
 * only dates with that many games. */
static int game_dates(sqlite3 *db, int expected, int games, date_list *out)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "SELECT game_date FROM schedule GROUP BY game_date"
                " HAVING ?1 = 0 OR count(*) = ?1 ORDER BY game_date",
                &st) != 0)
        return -1;
    sqlite3_bind_int(st, 1, games);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        bf_day d = day_of((const char *)sqlite3_column_text(st, 0));
        if (!(expected && is_bootstrap(d)))
            rc = date_list_push(out, d);
    }
    sqlite3_finalize(st);
    return rc;
}

/* How many of `expected` dates hold rows in table, or -1. */
static long dates_covered(sqlite3 *db, const char *table, const date_list *expected)
{
    char sql[128];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT DISTINCT game_date FROM %s", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "demo_gen: %s (backfill Phase 3 first)\n", sqlite3_errmsg(db));
        return -1;
    }
    long n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        bf_day d;
        char why[64];
        const char *text = (const char *)sqlite3_column_text(st, 0);
        n += text && date_parse(text, &d, why, sizeof why) == 0 && date_list_contains(expected, d);
    }
    sqlite3_finalize(st);
    return n;
}

/* The operators' report of 2026-01-05 counts over the default range. */
#define REPORTED_EXPECTED 848

/* Incident (a): each table keeps its oldest `keep` expected dates, as a
 * backfill running oldest-first and abandoned part-way leaves it. */
int incident_a(sqlite3 *db)
{
    static const struct {
        const char *table;
        size_t keep;
    } left[] = {{"team_defense_game_summary", 776},
                {"upcoming_player_game_context", 446},
                {"upcoming_team_game_context", 496}};
    date_list expected = {0};
    int rc = game_dates(db, 1, 0, &expected);
    if (rc == 0 && expected.n != REPORTED_EXPECTED) {
        fprintf(stderr,
                "demo_gen: incident a reproduces figures over %d expected dates, this warehouse "
                "has %zu (generate the default range)\n",
                REPORTED_EXPECTED, expected.n);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof left / sizeof left[0]; i++) {
        long covered = dates_covered(db, left[i].table, &expected);
        if (covered != (long)expected.n) {
            if (covered >= 0)
                fprintf(stderr,
                        "demo_gen: %s holds %ld of %zu expected dates; incident a starts from a "
                        "fully backfilled Phase 3\n",
                        left[i].table, covered, expected.n);
            rc = -1;
            break;
        }
    }
    for (size_t i = 0; rc == 0 && i < sizeof left / sizeof left[0]; i++) {
        char last[DATE_LEN], sql[128];
        sqlite3_stmt *st;
        date_format(expected.days[left[i].keep - 1], last);
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE game_date > ?1", left[i].table);
        rc = prepare(db, sql, &st);
        if (rc != 0)
            break;
        sqlite3_bind_text(st, 1, last, -1, SQLITE_TRANSIENT);
        rc = step(db, st);
        sqlite3_finalize(st);
        if (rc == 0)
            printf("incident a: %s keeps %zu of %zu expected dates (up to %s)\n", left[i].table,
                   left[i].keep, expected.n, last);
    }
    date_list_free(&expected);
    return rc;
}

#define LATE_DATES 12
#define LATE_GAMES 8 /* 16 teams */

/* Incident (b): on LATE_DATES dates with LATE_GAMES games, a seeded choice,
 * only the first game's team rows have arrived; the other games' rows move
 * to late_team_boxscores. Prints the dates, comma-separated, last. */
int incident_b(sqlite3 *db)
{
    date_list days = {0};
    if (game_dates(db, 0, LATE_GAMES, &days) != 0)
        return -1;
    if (days.n < LATE_DATES) {
        fprintf(stderr,
                "demo_gen: incident b needs %d dates with %d games, the warehouse has %zu\n",
                LATE_DATES, LATE_GAMES, days.n);
        date_list_free(&days);
        return -1;
    }
    for (size_t i = 0; i < LATE_DATES; i++) { /* the first LATE_DATES of a seeded shuffle */
        size_t j = i + (size_t)rng_int((int)(days.n - i));
        bf_day t = days.days[i];
        days.days[i] = days.days[j];
        days.days[j] = t;
    }
    days.n = LATE_DATES;
    date_list_sort(&days);
    static const char *const moves[] = {
        "INSERT INTO late_team_boxscores SELECT * FROM team_boxscores WHERE game_date = ?1"
        " AND game_id <> (SELECT min(game_id) FROM schedule WHERE game_date = ?1)",
        "DELETE FROM team_boxscores WHERE game_date = ?1"
        " AND game_id <> (SELECT min(game_id) FROM schedule WHERE game_date = ?1)"};
    sqlite3_stmt *st[2] = {NULL, NULL};
    int rc = sqlite3_exec(db,
                          "CREATE TABLE IF NOT EXISTS late_team_boxscores AS"
                          " SELECT * FROM team_boxscores WHERE 0",
                          NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    if (rc != 0)
        fprintf(stderr, "demo_gen: %s (not a demo warehouse?)\n", sqlite3_errmsg(db));
    for (int k = 0; rc == 0 && k < 2; k++)
        rc = prepare(db, moves[k], &st[k]);
    long moved = 0;
    for (size_t i = 0; rc == 0 && i < days.n; i++) {
        char d[DATE_LEN];
        date_format(days.days[i], d);
        for (int k = 0; rc == 0 && k < 2; k++) {
            sqlite3_bind_text(st[k], 1, d, -1, SQLITE_TRANSIENT);
            rc = step(db, st[k]);
        }
        moved += sqlite3_changes(db);
    }
    sqlite3_finalize(st[0]);
    sqlite3_finalize(st[1]);
    if (rc == 0) {
        printf("incident b: %ld team box-score rows late, 1 of %d games delivered on %zu dates: ",
               moved, LATE_GAMES, days.n);
        for (size_t i = 0; i < days.n; i++) {
            char d[DATE_LEN];
            date_format(days.days[i], d);
            printf("%s%s", i ? "," : "", d);
        }
        printf("\n");
    }
    date_list_free(&days);
    return rc;
}

/* The feed catches up: every late row moves into team_boxscores. */
int deliver_late(sqlite3 *db)
{
    sqlite3_stmt *st;
    int64_t rows = 0, dates = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*), count(DISTINCT game_date) FROM late_team_boxscores",
                           -1, &st, NULL) != SQLITE_OK) {
        printf("deliver-late: nothing is late\n");
        return 0;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        rows = sqlite3_column_int64(st, 0);
        dates = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db,
                     "INSERT INTO team_boxscores SELECT * FROM late_team_boxscores;"
                     "DROP TABLE late_team_boxscores;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "demo_gen: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    printf("deliver-late: %lld team box-score rows delivered on %lld dates\n", (long long)rows,
           (long long)dates);
    return 0;
}
