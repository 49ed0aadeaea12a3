/* lock_in_file.c - a lock inside a file, for locks that deleting a lock
 * file must not break (lock.h): Linux open-file-description locks on one
 * byte per key, far past the end of the data. Descriptors are kept open,
 * one per file, in a small table shared by the process's threads. */
#include "state/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HELD_FILES 16

typedef struct held_file {
    dev_t dev;
    ino_t ino;
    int fd;
} held_file;
static held_file files[HELD_FILES];
static size_t nfiles;
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

/* The byte of key: FNV-1a over its name, in [2^62, 2^62 + 2^40). Two keys
 * sharing a byte would only serialise each other. */
static off_t offset_of(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        h = (h ^ *c) * 1099511628211ULL;
    return (off_t)((1ULL << 62) + (h & ((1ULL << 40) - 1)));
}

/* The kept descriptor of path (opened now if it is new), or -1 with err. */
static int held_fd(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    pthread_mutex_lock(&files_lock);
    int fd = -1;
    for (size_t i = 0; i < nfiles && fd < 0; i++)
        if (files[i].dev == st.st_dev && files[i].ino == st.st_ino)
            fd = files[i].fd;
    if (fd < 0 && nfiles < HELD_FILES) {
        fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0)
            files[nfiles++] = (held_file){st.st_dev, st.st_ino, fd};
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
    } else if (fd < 0) {
        snprintf(err, errlen, "%s: more than %d files locked", path, HELD_FILES);
    }
    pthread_mutex_unlock(&files_lock);
    return fd;
}

static int set_lock(int fd, const char *key, short type)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = offset_of(key), .l_len = 1};
    int rc;
    while ((rc = fcntl(fd, F_OFD_SETLK, &fl)) != 0 && errno == EINTR)
        ;
    return rc;
}

int lock_in_file(const char *path, const char *key, int *fd_out, char *err, size_t errlen)
{
    int fd = held_fd(path, err, errlen);
    *fd_out = fd;
    if (fd < 0)
        return -1;
    if (set_lock(fd, key, F_WRLCK) == 0)
        return 0;
    *fd_out = -1;
    if (errno == EAGAIN || errno == EACCES)
        return -2;
    snprintf(err, errlen, "%s: locking: %s", path, strerror(errno));
    return -1;
}

void lock_in_file_release(int fd, const char *key)
{
    if (fd >= 0)
        set_lock(fd, key, F_UNLCK);
}
