/* secret.c - reading secret and header files without blocking: open with
 * O_NONBLOCK (file_open_regular), refuse anything but a regular file,
 * bound the size, watch the deadline. */
#include "base/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/files.h"

int secret_check(const char *path, char *err, size_t errlen)
{
    return file_check_regular(path, err, errlen);
}

char *secret_read_line(const char *path, double deadline_ms, char *err, size_t errlen)
{
    int fd = file_open_regular(path, O_RDONLY | O_NOCTTY, 0, err, errlen);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (st.st_size > SECRET_MAX_BYTES) {
        snprintf(err, errlen, "%s: is %lld bytes, more than the %d a secret may hold", path,
                 (long long)st.st_size, SECRET_MAX_BYTES);
        goto out;
    }
    buf = calloc(1, (size_t)st.st_size + 1);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    size_t len = 0;
    while (len < (size_t)st.st_size && !memchr(buf, '\n', len)) {
        if (deadline_ms > 0 && clock_now_ms() >= deadline_ms) {
            snprintf(err, errlen, "%s: not read within the deadline", path);
            goto fail;
        }
        ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break; /* shorter than fstat said: it was cut meanwhile */
        len += (size_t)n;
    }
    buf[len] = '\0';
    size_t cut = strcspn(buf, "\r\n");
    memset(buf + cut, 0, len - cut); /* the lines after the first are no one's */
    goto out;
fail:
    memset(buf, 0, (size_t)st.st_size + 1);
    free(buf);
    buf = NULL;
out:
    close(fd);
    return buf;
}
