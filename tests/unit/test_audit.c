/* test_audit.c - the publish rule. */
#include "engine/audit.h"
#include "unit.h"

static const char *judge(int64_t expected, int64_t actual, int64_t failed, double min)
{
    static char why[256];
    bf_validation v = {.expected = expected, .actual = actual, .failed_checks = failed};
    if (failed)
        snprintf(v.detail, sizeof v.detail, "NULL usage_rate");
    return audit_accepts(&v, min, why, sizeof why) ? "publish" : why;
}

UNIT_CASE(publish_rule)
{
    CHECK_STR("16 of 16", "publish", judge(16, 16, 0, 1.0));
    CHECK_STR("2 of 16", "incomplete: 2 of 16 expected rows", judge(16, 2, 0, 1.0));
    CHECK_STR("empty date", "publish", judge(0, 0, 0, 1.0));
    CHECK_STR("rows where none are expected", "3 rows, expected 0: more than upstream allows",
              judge(0, 3, 0, 1.0));
    CHECK_STR("duplicates", "17 rows, expected 16: more than upstream allows",
              judge(16, 17, 0, 1.0));
    CHECK_STR("failed check", "1 failed quality check: NULL usage_rate", judge(16, 16, 1, 1.0));
    CHECK_STR("0.9 of 16 needs 15: 15", "publish", judge(16, 15, 0, 0.9));
    CHECK_STR("0.9 of 16 needs 15: 14", "incomplete: 14 of 16 expected rows",
              judge(16, 14, 0, 0.9));
    CHECK_STR("negative counts", "validation reported negative counts (expected -1, actual 0)",
              judge(-1, 0, 0, 1.0));
    CHECK_STR("negative actual", "validation reported negative counts (expected 16, actual -2)",
              judge(16, -2, 0, 1.0));
    CHECK_STR("nothing written", "incomplete: 0 of 16 expected rows", judge(16, 0, 0, 1.0));
    CHECK_STR("one row short", "incomplete: 15 of 16 expected rows", judge(16, 15, 0, 1.0));
    CHECK_STR("a failed check wins over incomplete", "1 failed quality check: NULL usage_rate",
              judge(16, 2, 1, 1.0));
    CHECK_STR("two failed checks", "2 failed quality checks: NULL usage_rate",
              judge(16, 16, 2, 1.0));
    CHECK_STR("0.95 of 20 needs 19: 19", "publish", judge(20, 19, 0, 0.95));
    CHECK_STR("0.95 of 20 needs 19: 18", "incomplete: 18 of 20 expected rows",
              judge(20, 18, 0, 0.95));
    CHECK_STR("0.5 of 3 needs 2: 2", "publish", judge(3, 2, 0, 0.5));
    CHECK_STR("0.5 of 3 needs 2: 1", "incomplete: 1 of 3 expected rows", judge(3, 1, 0, 0.5));
    CHECK_STR("large counts", "incomplete: 4999999999 of 5000000000 expected rows",
              judge(5000000000LL, 4999999999LL, 0, 1.0));
}

UNIT_CASE(check_without_detail)
{
    bf_validation bare = {.expected = 16, .actual = 16, .failed_checks = 1};
    char why[256];
    CHECK("a failed check without detail is refused", !audit_accepts(&bare, 1.0, why, sizeof why));
    CHECK_STR("without detail: no colon", "1 failed quality check", why);
    char tiny[12];
    CHECK("a short buffer still refuses", !audit_accepts(&bare, 1.0, tiny, sizeof tiny));
    CHECK_STR("and truncates", "1 failed qu", tiny);
}

/* The threshold a run uses: the descriptor's, 0 meaning all rows. */
UNIT_CASE(min_completeness)
{
    bf_descriptor desc = {.name = "t", .output_table = "t", .date_column = "game_date"};
    plugin p = {.desc = &desc};
    CHECK("min_completeness 0 means 1.0", loader_min_completeness(&p) == 1.0);
    desc.min_completeness = 0.9;
    CHECK("min_completeness 0.9 kept", loader_min_completeness(&p) == 0.9);
    desc.min_completeness = 1.0;
    CHECK("min_completeness 1 kept", loader_min_completeness(&p) == 1.0);
}

UNIT_MAIN(26, UNIT(publish_rule), UNIT(check_without_detail), UNIT(min_completeness))
