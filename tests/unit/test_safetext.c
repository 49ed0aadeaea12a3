/* test_safetext.c - the one function that makes foreign text safe to show:
 * control characters escaped, invalid UTF-8 replaced, length bounded. */
#include <string.h>

#include "base/safetext.h"
#include "unit.h"

/* Whether s holds a byte a terminal would obey: C0, DEL, or a C1 control
 * encoded in UTF-8. */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
            return 1;
    return 0;
}

UNIT_CASE(escapes_and_replaces)
{
    char out[64];
    CHECK_STR("plain text unchanged", "rows 2 of 3: ok",
              safetext(out, sizeof out, "rows 2 of 3: ok"));
    CHECK_STR("UTF-8 kept", "caf\u00e9 \u2713", safetext(out, sizeof out, "caf\u00e9 \u2713"));
    CHECK_STR("escape sequences escaped", "\\x1b]0;pwned\\x07\\x1b[2J",
              safetext(out, sizeof out, "\x1b]0;pwned\x07\x1b[2J"));
    CHECK_STR("newline, return, tab named", "a\\nb\\rc\\td",
              safetext(out, sizeof out, "a\nb\rc\td"));
    CHECK_STR("DEL escaped", "x\\x7fy", safetext(out, sizeof out, "x\x7fy"));
    CHECK_STR("C1 control (CSI, U+009B) escaped", "\\u009b2J",
              safetext(out, sizeof out,
                       "\xc2\x9b"
                       "2J"));
    CHECK_STR("invalid bytes replaced", "a\uFFFD\uFFFDb",
              safetext(out, sizeof out,
                       "a\xff\xfe"
                       "b"));
    CHECK_STR("overlong form replaced", "\uFFFD\uFFFD", safetext(out, sizeof out, "\xc0\xaf"));
    CHECK_STR("surrogate replaced", "\uFFFD\uFFFD\uFFFD",
              safetext(out, sizeof out, "\xed\xa0\x80"));
    CHECK_STR("cut sequence replaced, byte by byte", "ab\uFFFD\uFFFD",
              safetext(out, sizeof out, "ab\xe2\x80"));
}

UNIT_CASE(bounds)
{
    char out[64], big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    safetext(out, sizeof out, big);
    CHECK("bounded: fits, ends in an ellipsis",
          strlen(out) < sizeof out && strcmp(out + strlen(out) - 3, "\u2026") == 0);
    for (size_t i = 0; i + 1 < sizeof big; i++)
        big[i] = (char)(i % 2 ? 0x1b : 0xe2); /* escapes and cut sequences */
    char small[16];
    safetext(small, sizeof small, big);
    CHECK("hostile and long: bounded and clean",
          strlen(small) < sizeof small && !has_control(small));
    CHECK_STR("NULL reads as empty", "", safetext(out, sizeof out, NULL));
}

UNIT_MAIN(13, UNIT(escapes_and_replaces), UNIT(bounds))
