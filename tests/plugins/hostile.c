/* hostile - a processor whose every text is an attack on whoever shows it:
 * its description, log line and error carry escape sequences that would
 * retitle a terminal window, clear the screen and move the cursor over
 * the progress line, a C1 control, bytes that are not UTF-8, and (the
 * error) 4 KB of it. Its dates fail permanently on the first attempt. */
#include "testlib.h"

#define ATTACK                                                                                     \
    "\x1b]0;pwned\x07\x1b[2J\x1b[1A\r\xc2\x9b"                                                     \
    "31m\xff\xfe"

TEST_PROCESSOR("hostile", "hostile " ATTACK " (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM, NO_KEYS)

int process_date(bf_ctx *ctx, const char *date)
{
    char flood[4096];
    size_t n = 0;
    while (n + sizeof ATTACK < sizeof flood) {
        memcpy(flood + n, ATTACK, sizeof ATTACK - 1);
        n += sizeof ATTACK - 1;
    }
    flood[n] = '\0';
    bf_log(ctx, BF_LOG_ERROR, "log %s on %s", ATTACK, date);
    return bf_set_error(ctx, BF_PERMANENT, "error %s", flood);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
