/* test_audit.c - the publish rule. */
#include "audit.h"
#include "unit.h"

static const char *judge(int64_t expected, int64_t actual, int64_t failed, double min)
{
    static char why[256];
    bf_validation v = {.expected = expected, .actual = actual, .failed_checks = failed};
    if (failed)
        snprintf(v.detail, sizeof v.detail, "NULL usage_rate");
    return audit_accepts(&v, min, why, sizeof why) ? "publish" : why;
}

int main(void)
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
    UNIT_DONE();
}
