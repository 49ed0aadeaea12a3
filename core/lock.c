/* lock.c - flock on a file that also says who holds it. */
#include "lock.h"

#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int lock_acquire(const char *state_dir, const char *processor, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.lock", state_dir, processor);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        char holder[512] = "";
        ssize_t n = busy ? pread(fd, holder, sizeof holder - 1, 0) : 0;
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        if (busy)
            snprintf(err, errlen, "another run of %s holds %s: %s", processor, path,
                     holder[0] ? holder : "(holder unknown)");
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return busy ? -2 : -1;
    }
    char host[256] = "?", when[32], line[512];
    gethostname(host, sizeof host - 1);
    clock_utc_iso(when, sizeof when);
    int len = snprintf(line, sizeof line, "pid %ld on %s since %s\n", (long)getpid(), host, when);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, len, 0) != len) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void lock_release(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the flock; the file stays for the next run */
}
