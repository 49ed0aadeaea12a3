/* lock.c - flock on a file that also says who holds it, and the holder
 * line every lock of backfill writes ("pid PID on HOST since TIME").
 *
 * Taking the lock and writing the holder's name are two steps, so both
 * happen under a short flock on the lock file's directory, and so does a
 * loser's reading of the name: a run that finds the lock taken always
 * reads a whole name, never the empty file of a winner still writing. */
#include "state/lock.h"

#include "base/clock.h"
#include "base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* flock, resumed after a signal. */
static int flock_retry(int fd, int op)
{
    int rc;
    while ((rc = flock(fd, op)) != 0 && errno == EINTR)
        ;
    return rc;
}

/* Directory dir, open and flocked; -1 with err on failure. */
static int gate_dir(const char *dir, char *err, size_t errlen)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock_retry(fd, LOCK_EX) != 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    return fd;
}

/* The directory of path, open and flocked; -1 with err on failure. */
static int gate_enter(const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    int fd = gate_dir(dir, err, errlen);
    free(dir);
    return fd;
}

void lock_holder(char *buf, size_t size, const char *note)
{
    char host[256] = "?", when[32];
    gethostname(host, sizeof host - 1);
    clock_utc_iso(when, sizeof when);
    snprintf(buf, size, "pid %ld on %s since %s%s%s", (long)getpid(), host, when, note ? ", " : "",
             note ? note : "");
}

int lock_holder_state(const char *holder)
{
    char host[256] = "", theirs[256];
    long pid;
    int end = 0;
    if (sscanf(holder, "pid %ld on %255s since %n", &pid, theirs, &end) != 2 || !end || pid <= 0)
        return LOCK_HOLDER_UNKNOWN;
    gethostname(host, sizeof host - 1);
    if (strcmp(host, theirs) != 0)
        return LOCK_HOLDER_ELSEWHERE;
    /* EPERM: a process of another user, alive. */
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH ? LOCK_HOLDER_GONE : LOCK_HOLDER_LIVE;
}

int lock_host_gate(char *err, size_t errlen)
{
    return gate_dir("/tmp", err, errlen);
}

int lock_take(const char *path, const char *note, char *err, size_t errlen)
{
    int gate = gate_enter(path, err, errlen);
    if (gate < 0)
        return -1;
    int rc = -1;
    int fd = file_open_regular(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0644, err, errlen);
    if (fd < 0)
        goto out;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            char holder[512] = "";
            ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            holder[strcspn(holder, "\n")] = '\0';
            snprintf(err, errlen, "%s", holder[0] ? holder : "(holder unknown)");
            rc = -2;
        } else {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        }
        goto out;
    }
    char line[1024];
    lock_holder(line, sizeof line - 1, note);
    strcat(line, "\n");
    int len = (int)strlen(line);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) {
        snprintf(err, errlen, "%s: writing the holder: %s", path, strerror(errno));
        goto out;
    }
    rc = fd;
    fd = -1;
out:
    if (fd >= 0)
        close(fd);
    close(gate); /* leaves the gate */
    return rc;
}

int lock_acquire(const char *state_dir, const char *processor, char *err, size_t errlen)
{
    char path[4096], why[1024];
    snprintf(path, sizeof path, "%s/%s.lock", state_dir, processor);
    int fd = lock_take(path, NULL, why, sizeof why);
    if (fd == -2)
        snprintf(err, errlen, "another run of %s holds %s: %s", processor, path, why);
    else if (fd < 0)
        snprintf(err, errlen, "%s", why);
    return fd;
}

void lock_release(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the flock; the file stays for the next run */
}
