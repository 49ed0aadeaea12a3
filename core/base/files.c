/* files.c - regular files only, and durable whole-file replacement. */
#include "base/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISDIR(m)  ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
           : S_ISLNK(m)  ? "a symbolic link"
                         : "not a plain file";
}

static void not_regular(const char *path, mode_t m, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: is %s, not a regular file", path, kind_of(m));
}

int file_open_regular(const char *path, int flags, int mode, char *err, size_t errlen)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
    struct stat st;
    if (fd < 0) {
        int e = errno;
        if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
            (S_ISLNK(st.st_mode) ? (flags & O_NOFOLLOW) != 0 : 1))
            not_regular(path, st.st_mode, err, errlen);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(e));
        errno = e; /* ENOENT tells the caller the file is simply not there */
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (S_ISREG(st.st_mode))
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        else
            not_regular(path, st.st_mode, err, errlen);
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

FILE *file_fopen_regular(const char *path, char *err, size_t errlen)
{
    int fd = file_open_regular(path, O_RDONLY, 0, err, errlen);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

int file_check_regular(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    not_regular(path, st.st_mode, err, errlen);
    return -1;
}

int file_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* fsync the directory holding path, so a rename in it survives a power
 * cut. Filesystems that cannot sync a directory say EINVAL: nothing to do. */
static int sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
    int e = errno;
    if (close(fd) != 0 && rc == 0)
        return -1;
    errno = e;
    return rc;
}

int file_replace(const char *path, const void *buf, size_t len, char *err, size_t errlen)
{
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(tmp, flags, 0644);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0) /* left by a dead run with our pid */
        fd = open(tmp, flags, 0644);
    const char *step = "create";
    if (fd < 0)
        goto fail;
    step = "write";
    if (file_write_all(fd, buf, len) != 0)
        goto fail;
    step = "fsync";
    if (fsync(fd) != 0)
        goto fail;
    step = "close";
    int rc = close(fd);
    fd = -1;
    if (rc != 0)
        goto fail;
    step = "rename";
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    if (sync_parent(path) != 0) {
        snprintf(err, errlen, "%s: fsync of its directory failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
fail:
    snprintf(err, errlen, "%s: could not be saved (%s of %s failed: %s); the previous file is kept",
             path, step, tmp, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int file_remove_stale_temps(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    const char *base = slash ? slash + 1 : path;
    DIR *d = dir ? opendir(dir) : NULL;
    int removed = 0;
    size_t blen = strlen(base);
    for (struct dirent *de; d && (de = readdir(d));) {
        const char *name = de->d_name;
        if (strncmp(name, base, blen) != 0 || strncmp(name + blen, ".tmp.", 5) != 0)
            continue;
        char *end;
        long pid = strtol(name + blen + 5, &end, 10);
        if (*end || pid <= 0 || (kill((pid_t)pid, 0) != 0 ? errno != ESRCH : 1))
            continue; /* not ours, or its writer is alive */
        if (unlinkat(dirfd(d), name, 0) == 0)
            removed++;
    }
    if (d)
        closedir(d);
    free(dir);
    return removed;
}
