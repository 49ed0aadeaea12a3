/* safetext.c - escape control characters, replace invalid UTF-8, bound the
 * length: see safetext.h. */
#include "base/safetext.h"

#include <stdio.h>
#include <string.h>

static const char ellipsis[] = "\u2026";    /* UTF-8, 3 bytes */
static const char replacement[] = "\uFFFD"; /* UTF-8, 3 bytes */

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 if s does not
 * start one. Rejects overlong forms, surrogates and code points past
 * U+10FFFF (RFC 3629). */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* What one character of in becomes, into piece; returns its length and
 * how many bytes of in it consumed in *used. */
static size_t piece_of(const unsigned char *in, char piece[8], size_t *used)
{
    size_t n = utf8_length(in);
    if (n == 0) {
        *used = 1;
        memcpy(piece, replacement, 3);
        return 3;
    }
    *used = n;
    if (n == 1 && (in[0] < 0x20 || in[0] == 0x7F)) {
        const char *named = in[0] == '\n'   ? "\\n"
                            : in[0] == '\r' ? "\\r"
                            : in[0] == '\t' ? "\\t"
                                            : NULL;
        if (named) {
            memcpy(piece, named, 2);
            return 2;
        }
        return (size_t)snprintf(piece, 8, "\\x%02x", in[0]);
    }
    if (n == 2 && in[0] == 0xC2 && in[1] < 0xA0) /* C1: U+0080..U+009F */
        return (size_t)snprintf(piece, 8, "\\u%04x", in[1]);
    memcpy(piece, in, n);
    return n;
}

char *safetext(char *out, size_t outlen, const char *in)
{
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    size_t len = 0;
    /* Where the text must stop to leave room for the ellipsis. */
    size_t room = outlen > sizeof ellipsis ? outlen - sizeof ellipsis : 0, cut = 0;
    int cut_set = 0;
    while (*p) {
        char piece[8];
        size_t used, n = piece_of(p, piece, &used);
        if (!cut_set && len + n > room) {
            cut = len;
            cut_set = 1;
        }
        if (len + n >= outlen) { /* no room for this piece and the NUL */
            len = cut;
            if (outlen > sizeof ellipsis - 1 + len) {
                memcpy(out + len, ellipsis, sizeof ellipsis - 1);
                len += sizeof ellipsis - 1;
            }
            break;
        }
        memcpy(out + len, piece, n);
        len += n;
        p += used;
    }
    out[len < outlen ? len : outlen - 1] = '\0';
    return out;
}
