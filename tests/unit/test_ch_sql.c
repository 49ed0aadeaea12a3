/* test_ch_sql.c - the ClickHouse driver's placeholders and statement words. */
#include <math.h>
#include <stdlib.h>

#include "stores/ch_sql.h"
#include "unit.h"

/* sql with params bound, or "error: why". */
static const char *bind(const char *sql, const bf_value *params, int n)
{
    static char out[512];
    char why[200];
    ch_buf b;
    if (ch_sql_bind(sql, params, n, &b, why, sizeof why) != 0)
        snprintf(out, sizeof out, "error: %s", why);
    else
        snprintf(out, sizeof out, "%s", b.p);
    free(b.p);
    return out;
}

UNIT_CASE(placeholders)
{
    bf_value d = BF_V_TEXT("2024-01-05");
    CHECK_STR("? takes the next value", "SELECT count() FROM t WHERE d = '2024-01-05'",
              bind("SELECT count() FROM t WHERE d = ?", &d, 1));
    bf_value two[2] = {BF_V_TEXT("a"), BF_V_INT(-9223372036854775807LL - 1)};
    CHECK_STR("?N repeats, integers exact", "x = 'a' OR x = 'a' LIMIT -9223372036854775808",
              bind("x = ?1 OR x = ?1 LIMIT ?2", two, 2));
    CHECK_STR("? after ?1 is ?2", "'a', -9223372036854775808", bind("?1, ?", two, 2));
    bf_value evil = BF_V_TEXT("x' OR 1=1 -- \\ \n\t\x01");
    CHECK_STR("text escaped: quote, backslash, control characters",
              "v = 'x\\' OR 1=1 -- \\\\ \\n\\t\\x01'", bind("v = ?", &evil, 1));
    bf_value reals[4] = {BF_V_REAL(0.1), BF_V_REAL(1e300), BF_V_REAL(-INFINITY), BF_V_REAL(NAN)};
    CHECK_STR("reals with 17 digits; inf and nan as ClickHouse spells them",
              "0.10000000000000001, 1.0000000000000001e+300, -inf, nan",
              bind("?, ?, ?, ?", reals, 4));
    bf_value null = {.type = BF_NULL};
    CHECK_STR("NULL", "x IS NULL", bind("x IS ?", &null, 1));
    CHECK_STR("placeholders in literals, quoted names and comments are text",
              "SELECT '?', `a?`, \"b?\" /* ? */ -- ?\n, 'a'",
              bind("SELECT '?', `a?`, \"b?\" /* ? */ -- ?\n, ?", two, 1));
    CHECK_STR("an escaped quote does not end the literal", "SELECT 'it\\'s ?', 'a'",
              bind("SELECT 'it\\'s ?', ?", two, 1));
    CHECK_STR("too few values", "error: placeholder ?2 has no value (1 given)",
              bind("?1 ?2", &d, 1));
    CHECK_STR("too many values", "error: statement has 1 placeholders, 2 values given",
              bind("?", two, 2));
    CHECK_STR("a second statement is refused", "error: more than one statement in one call",
              bind("SELECT 1; DROP TABLE t", NULL, 0));
    CHECK_STR("a trailing ; and comment are fine", "SELECT 1", bind("SELECT 1; -- end", NULL, 0));
    CHECK_STR("a ; inside a literal is text", "SELECT ';'", bind("SELECT ';'", NULL, 0));
}

UNIT_CASE(words)
{
    char w[6][192];
    const char *rest = NULL;
    int n = ch_sql_words("/* c */ insert INTO `db`.\"t x\" SELECT 1", w, 3, &rest);
    CHECK("words: three read", n == 3);
    CHECK_STR("words: keyword as written", "insert", w[0]);
    CHECK_STR("words: quoted db.table unquoted", "db.t x", w[2]);
    CHECK_STR("words: rest after the last", " SELECT 1", rest);
    n = ch_sql_words("CREATE TABLE IF NOT EXISTS t (a Int8)", w, 6, &rest);
    CHECK("words: punctuation is a word",
          n == 6 && strcmp(w[5], "t") == 0 && strcmp(rest, " (a Int8)") == 0);
    /* A quote left open at the end: the scan stops at the text's end. */
    static const char open_quote[] = "INSERT INTO \"";
    n = ch_sql_words(open_quote, w, 6, &rest);
    CHECK("words: an open quote at the end is the last word, read within the text",
          n == 3 && strcmp(w[2], "") == 0 && rest == open_quote + strlen(open_quote));
    n = ch_sql_words("INSERT INTO \"\" SELECT", w, 4, &rest);
    CHECK("words: an empty quoted name is one word",
          n == 4 && strcmp(w[2], "") == 0 && strcmp(w[3], "SELECT") == 0);
}

UNIT_CASE(dates)
{
    CHECK("date: valid", ch_sql_is_date("2024-02-29"));
    CHECK("date: not a day", !ch_sql_is_date("2023-02-29"));
    CHECK("date: injection", !ch_sql_is_date("2024-01-01' OR '1"));
}

UNIT_MAIN(23, UNIT(placeholders), UNIT(words), UNIT(dates))
