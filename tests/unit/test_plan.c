/* test_plan.c - expected dates: calendar minus bootstrap days. */
#include "config/config.h"
#include "engine/plan.h"
#include "unit.h"

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

/* The plan's statuses as letters: P pending, S skipped, anything else '?'. */
static int statuses(const plan *pl, const char *want)
{
    if (strlen(want) != pl->n)
        return 0;
    for (size_t i = 0; i < pl->n; i++) {
        int s = pl->dates[i].status;
        char c = s == STATE_PENDING ? 'P' : s == STATE_SKIPPED ? 'S' : '?';
        if (c != want[i])
            return 0;
    }
    return 1;
}

static season seasons[2];
/* Game days only: a calendar with gaps. */
static date_list cal;

/* Every case reads the seasons and the calendar this one sets. */
UNIT_CASE(bootstrap_days)
{
    seasons[0] = (season){day("2021-10-19"), day("2022-06-16")};
    seasons[1] = (season){day("2022-10-18"), day("2023-06-12")};
    const char *game_days[] = {"2021-10-19", "2021-10-20", "2021-10-25", "2021-11-01",
                               "2021-11-02", "2021-11-05", "2022-10-18", "2022-11-01"};
    for (size_t i = 0; i < sizeof game_days / sizeof game_days[0]; i++)
        date_list_push(&cal, day(game_days[i]));
    CHECK("opening night is a bootstrap day", plan_is_bootstrap(seasons, 2, 14, day("2021-10-19")));
    CHECK("day 14 (start + 13) is a bootstrap day",
          plan_is_bootstrap(seasons, 2, 14, day("2021-11-01")));
    CHECK("start + 14 is not", !plan_is_bootstrap(seasons, 2, 14, day("2021-11-02")));
    CHECK("second season counts too", plan_is_bootstrap(seasons, 2, 14, day("2022-10-31")));
    CHECK("the day before a season is not", !plan_is_bootstrap(seasons, 2, 14, day("2022-10-17")));
    CHECK("0 bootstrap days: none", !plan_is_bootstrap(seasons, 2, 0, day("2021-10-19")));
    CHECK("no seasons: none", !plan_is_bootstrap(NULL, 0, 14, day("2021-10-19")));
    CHECK("1 bootstrap day: the start only",
          plan_is_bootstrap(seasons, 2, 1, day("2021-10-19")) &&
              !plan_is_bootstrap(seasons, 2, 1, day("2021-10-20")));
    CHECK("the day before the first season is not",
          !plan_is_bootstrap(seasons, 2, 14, day("2021-10-18")));
    CHECK("second season: start + 13 is, start + 14 is not",
          plan_is_bootstrap(seasons, 2, 14, day("2022-10-31")) &&
              !plan_is_bootstrap(seasons, 2, 14, day("2022-11-01")));
    CHECK("only the first of two seasons given: the second has none",
          !plan_is_bootstrap(seasons, 1, 14, day("2022-10-18")));
}

UNIT_CASE(range_plan)
{
    date_selection range = {.is_range = 1, .first = day("2021-10-01"), .last = day("2022-12-31")};
    plan pl;
    CHECK("plan builds", plan_build(&pl, &cal, &range, seasons, 2, 14) == 0);
    CHECK("every calendar day in range is in the plan", pl.n == 8);
    CHECK("expected = calendar minus bootstrap", pl.expected == 3);
    CHECK("bootstrap days are skipped, not pending", pl.dates[0].status == STATE_SKIPPED &&
                                                         pl.dates[3].status == STATE_SKIPPED &&
                                                         pl.dates[6].status == STATE_SKIPPED);
    CHECK("first day after bootstrap is pending", pl.dates[4].status == STATE_PENDING);
    CHECK_STR("entries carry their date text", "2021-11-02", pl.dates[4].date);
    CHECK("statuses in order", statuses(&pl, "SSSSPPSP"));
    CHECK("a range has no off-calendar days", pl.off_calendar.n == 0);
    CHECK("entries start clean", pl.dates[4].expected == 0 && pl.dates[4].actual == 0 &&
                                     pl.dates[4].attempts == 0 && !pl.dates[4].resumed &&
                                     pl.dates[4].error == NULL);
    plan_free(&pl);
    CHECK("plan_free leaves an empty plan", pl.n == 0 && pl.dates == NULL && pl.expected == 0);

    plan_build(&pl, &cal, &range, seasons, 2, 0);
    CHECK("0 bootstrap days: every calendar day expected",
          pl.n == 8 && pl.expected == 8 && statuses(&pl, "PPPPPPPP"));
    plan_free(&pl);
}

UNIT_CASE(empty_plans)
{
    plan pl;
    date_selection gap = {.is_range = 1, .first = day("2021-11-06"), .last = day("2022-10-17")};
    CHECK("a range between game days builds", plan_build(&pl, &cal, &gap, seasons, 2, 14) == 0);
    CHECK("and holds nothing", pl.n == 0 && pl.expected == 0);
    plan_free(&pl);

    date_list none = {0};
    date_selection one = {0};
    date_list_push(&one.list, day("2021-11-02"));
    one.first = one.last = one.list.days[0];
    CHECK("an empty calendar builds", plan_build(&pl, &none, &one, seasons, 2, 14) == 0);
    CHECK("an empty calendar: the listed day is off-calendar",
          pl.n == 0 && pl.expected == 0 && pl.off_calendar.n == 1 &&
              pl.off_calendar.days[0] == day("2021-11-02"));
    plan_free(&pl);
    date_list_free(&one.list);
}

UNIT_CASE(list_plan)
{
    plan pl;
    date_selection part = {.is_range = 1, .first = day("2021-11-01"), .last = day("2021-11-05")};
    plan_build(&pl, &cal, &part, seasons, 2, 14);
    CHECK("a range keeps only its days", pl.n == 3 && pl.expected == 2);
    plan_free(&pl);
}

UNIT_CASE(errors)
{
    plan pl;
    date_selection list = {0};
    date_list_push(&list.list, day("2021-11-02"));
    date_list_push(&list.list, day("2021-11-03"));
    date_list_push(&list.list, day("2021-11-05"));
    list.first = list.list.days[0];
    list.last = list.list.days[2];
    plan_build(&pl, &cal, &list, seasons, 2, 14);
    CHECK("a list keeps its calendar days", pl.n == 2 && pl.expected == 2);
    CHECK_STR("a list keeps its calendar days: first", "2021-11-02", pl.dates[0].date);
    CHECK_STR("a list keeps its calendar days: second", "2021-11-05", pl.dates[1].date);
    CHECK("a listed non-calendar day is reported",
          pl.off_calendar.n == 1 && pl.off_calendar.days[0] == day("2021-11-03"));
    plan_set_error(&pl.dates[0], "blocked: %s", "upstream");
    CHECK_STR("errors are formatted and owned", "blocked: upstream", pl.dates[0].error);
    plan_set_error(&pl.dates[0], "second %d", 2);
    CHECK_STR("a new error replaces the old", "second 2", pl.dates[0].error);
    plan_set_error(&pl.dates[1], "kept");
    plan_set_error(&pl.dates[0], NULL);
    CHECK("NULL clears an error", pl.dates[0].error == NULL);
    plan_free(&pl);
    date_list_free(&list.list);
}

/* A list naming bootstrap days and days before or after the calendar.
 * Frees the calendar. */
UNIT_CASE(list_off_calendar)
{
    plan pl;
    date_selection mixed = {0};
    const char *asked[] = {"2021-09-01", "2021-10-19", "2021-10-25", "2021-11-05", "2023-01-01"};
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++)
        date_list_push(&mixed.list, day(asked[i]));
    mixed.first = mixed.list.days[0];
    mixed.last = mixed.list.days[mixed.list.n - 1];
    plan_build(&pl, &cal, &mixed, seasons, 2, 14);
    CHECK("listed bootstrap days are skipped, not expected",
          pl.n == 3 && pl.expected == 1 && statuses(&pl, "SSP"));
    CHECK("days off the calendar on either side are reported in order",
          pl.off_calendar.n == 2 && pl.off_calendar.days[0] == day("2021-09-01") &&
              pl.off_calendar.days[1] == day("2023-01-01"));
    plan_free(&pl);
    date_list_free(&mixed.list);
    date_list_free(&cal);
}

UNIT_CASE(statuses_and_completeness)
{
    CHECK("completeness of an empty date is 1", record_completeness(0, 0) == 1.0);
    CHECK("completeness 2 of 16", record_completeness(16, 2) == 0.125);
    for (int s = 0; s < STATE_COUNT; s++)
        CHECK(date_state_name(s), date_state_parse(date_state_name(s)) == s);
    CHECK("unknown status", date_state_parse("done") == -1);
    CHECK("status names are case-sensitive", date_state_parse("COMPLETE") == -1);
    CHECK("empty status", date_state_parse("") == -1);
    CHECK_STR("name of complete", "complete", date_state_name(STATE_COMPLETE));
    CHECK_STR("name of blocked", "blocked", date_state_name(STATE_BLOCKED));
    CHECK_STR("name of skipped", "skipped", date_state_name(STATE_SKIPPED));
    CHECK_STR("name of partial", "partial", date_state_name(STATE_PARTIAL));
    CHECK_STR("name of check-failed", "check-failed", date_state_name(STATE_CHECK_FAILED));
    CHECK("an old checkpoint's \"incomplete\" is partial",
          date_state_parse("incomplete") == STATE_PARTIAL);
    CHECK_STR("name out of range", "unknown", date_state_name(STATE_COUNT));
    CHECK_STR("name of -1", "unknown", date_state_name(-1));
    CHECK("completeness 16 of 16", record_completeness(16, 16) == 1.0);
    CHECK("completeness 0 of 16", record_completeness(16, 0) == 0.0);
    CHECK("completeness 17 of 16", record_completeness(16, 17) == 17.0 / 16.0);
}

UNIT_MAIN(65, UNIT(bootstrap_days), UNIT(range_plan), UNIT(empty_plans), UNIT(list_plan),
          UNIT(errors), UNIT(list_off_calendar), UNIT(statuses_and_completeness))
