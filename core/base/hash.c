/* hash.c - FNV-1a, 64 bits, over memory and over a file read in blocks. */
#include "base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/files.h"

uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

int hash_file(const char *path, uint64_t *out, char *err, size_t errlen)
{
    int fd = file_open_regular(path, O_RDONLY, 0, err, errlen);
    if (fd < 0)
        return -1;
    uint64_t h = HASH_SEED;
    unsigned char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        h = hash_bytes(h, buf, (size_t)n);
    }
    close(fd);
    *out = h;
    return 0;
}
