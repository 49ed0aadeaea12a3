/* hash.c - FNV-1a, 64 bits, over memory and over an open file read in blocks. */
#include "base/hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

int hash_fd(int fd, const char *path, uint64_t *out, char *err, size_t errlen)
{
    uint64_t h = HASH_SEED;
    unsigned char buf[65536];
    for (off_t at = 0;;) {
        ssize_t n = pread(fd, buf, sizeof buf, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            return -1;
        }
        if (n == 0)
            break;
        h = hash_bytes(h, buf, (size_t)n);
        at += n;
    }
    *out = h;
    return 0;
}
