/* safetext.h - the one function that makes text backfill did not write
 * (a plugin's error or log line, a store's error message, a value the
 * store echoes back) safe to show: on a terminal, in the event log, in a
 * webhook's JSON, in HTML. Every such text passes through it where it
 * enters the core (the plugin context, store_fail) and again where a line
 * reaches stderr (log.c). */
#ifndef BF_SAFETEXT_H
#define BF_SAFETEXT_H

#include <stddef.h>

/* Copy the NUL-terminated in into out (outlen > 0 bytes, always
 * NUL-terminated) so that it holds only printable text:
 *   - control characters (C0 but for none, DEL, and the C1 range U+0080 to
 *     U+009F, which terminals also obey) are written as escapes: \n, \r, \t,
 *     \\x1b...; a backslash stays a backslash;
 *   - a byte that does not start a valid UTF-8 sequence (overlong forms,
 *     surrogates, code points past U+10FFFF, a cut sequence) becomes U+FFFD;
 *   - the result is cut to fit outlen on a character boundary, ending in
 *     "..." (U+2026) when cut.
 * in and out must not overlap. Returns out. Allocates nothing. */
char *safetext(char *out, size_t outlen, const char *in);

#endif
