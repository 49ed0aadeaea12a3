/* test_plan.c - expected dates: calendar minus bootstrap days. */
#include "config.h"
#include "plan.h"
#include "unit.h"

static bf_day day(const char *s)
{
    char why[64];
    bf_day d = 0;
    date_parse(s, &d, why, sizeof why);
    return d;
}

int main(void)
{
    season seasons[2] = {{day("2021-10-19"), day("2022-06-16")},
                         {day("2022-10-18"), day("2023-06-12")}};
    CHECK("opening night is a bootstrap day", plan_is_bootstrap(seasons, 2, 14, day("2021-10-19")));
    CHECK("day 14 (start + 13) is a bootstrap day",
          plan_is_bootstrap(seasons, 2, 14, day("2021-11-01")));
    CHECK("start + 14 is not", !plan_is_bootstrap(seasons, 2, 14, day("2021-11-02")));
    CHECK("second season counts too", plan_is_bootstrap(seasons, 2, 14, day("2022-10-31")));
    CHECK("the day before a season is not", !plan_is_bootstrap(seasons, 2, 14, day("2022-10-17")));
    CHECK("0 bootstrap days: none", !plan_is_bootstrap(seasons, 2, 0, day("2021-10-19")));
    CHECK("no seasons: none", !plan_is_bootstrap(NULL, 0, 14, day("2021-10-19")));

    /* A calendar with gaps: game days only. */
    const char *game_days[] = {"2021-10-19", "2021-10-20", "2021-10-25", "2021-11-01",
                               "2021-11-02", "2021-11-05", "2022-10-18", "2022-11-01"};
    date_list cal = {0};
    for (size_t i = 0; i < sizeof game_days / sizeof game_days[0]; i++)
        date_list_push(&cal, day(game_days[i]));
    date_selection range = {.is_range = 1, .first = day("2021-10-01"), .last = day("2022-12-31")};
    plan pl;
    CHECK("plan builds", plan_build(&pl, &cal, &range, seasons, 2, 14) == 0);
    CHECK("every calendar day in range is in the plan", pl.n == 8);
    CHECK("expected = calendar minus bootstrap", pl.expected == 3);
    CHECK("bootstrap days are skipped, not pending", pl.dates[0].status == DATE_SKIPPED &&
                                                         pl.dates[3].status == DATE_SKIPPED &&
                                                         pl.dates[6].status == DATE_SKIPPED);
    CHECK("first day after bootstrap is pending", pl.dates[4].status == DATE_PENDING);
    CHECK_STR("entries carry their date text", "2021-11-02", pl.dates[4].date);
    plan_free(&pl);

    date_selection part = {.is_range = 1, .first = day("2021-11-01"), .last = day("2021-11-05")};
    plan_build(&pl, &cal, &part, seasons, 2, 14);
    CHECK("a range keeps only its days", pl.n == 3 && pl.expected == 2);
    plan_free(&pl);

    date_selection list = {0};
    date_list_push(&list.list, day("2021-11-02"));
    date_list_push(&list.list, day("2021-11-03"));
    date_list_push(&list.list, day("2021-11-05"));
    list.first = list.list.days[0];
    list.last = list.list.days[2];
    plan_build(&pl, &cal, &list, seasons, 2, 14);
    CHECK("a list keeps its calendar days", pl.n == 2 && pl.expected == 2);
    CHECK("a listed non-calendar day is reported",
          pl.off_calendar.n == 1 && pl.off_calendar.days[0] == day("2021-11-03"));
    plan_set_error(&pl.dates[0], "blocked: %s", "upstream");
    CHECK_STR("errors are formatted and owned", "blocked: upstream", pl.dates[0].error);
    plan_free(&pl);
    date_list_free(&list.list);
    date_list_free(&cal);

    CHECK("completeness of an empty date is 1", plan_completeness(0, 0) == 1.0);
    CHECK("completeness 2 of 16", plan_completeness(16, 2) == 0.125);
    for (int s = 0; s < DATE_STATUS_COUNT; s++)
        CHECK(date_status_name(s), date_status_parse(date_status_name(s)) == s);
    CHECK("unknown status", date_status_parse("done") == -1);
    UNIT_DONE();
}
