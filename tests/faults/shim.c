/* shim.c - an LD_PRELOAD library that makes one chosen call fail, for the
 * fault-injection suite (tests/faults/run.sh), and pauses flock for the
 * lock race test.
 *
 *   BF_FAULT=FAMILY:N    the Nth call (from 1) of FAMILY fails, with the
 *                        errno a real failure would give. Families:
 *                        alloc (malloc, calloc, realloc: so also strdup,
 *                        asprintf, getline...), open (open, openat, fopen,
 *                        fdopen), read (read, pread), write (write, pwrite),
 *                        fsync (fsync, fdatasync), close, rename,
 *                        ftruncate, flock, mkdir.
 *   BF_FAULT_LOG=FILE    append "FAMILY N" to FILE when the fault fires.
 *   BF_FAULT_COUNT=FILE  at exit, write "FAMILY CALLS" per family to FILE,
 *                        so a sweep knows how many points there are.
 *   BF_FLOCK_NOTE=FIFO   before the first flock, write a line to FIFO.
 *   BF_FLOCK_PAUSE=DIR   after the first exclusive non-blocking flock that
 *                        succeeds, write a line to the FIFO DIR/ready, then
 *                        wait until DIR/go is opened and closed.
 *
 * Faults are counted only in a process named backfill that loaded the shim. A crash
 * inside libconfig says so on stderr ("fault shim: the crash is inside
 * libconfig.so"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum family {
    F_ALLOC,
    F_OPEN,
    F_READ,
    F_WRITE,
    F_FSYNC,
    F_CLOSE,
    F_RENAME,
    F_FTRUNCATE,
    F_FLOCK,
    F_MKDIR,
    F_COUNT
};
static const char *const family_names[F_COUNT] = {"alloc", "open",   "read",      "write", "fsync",
                                                  "close", "rename", "ftruncate", "flock", "mkdir"};
static const int family_errno[F_COUNT] = {ENOMEM, EACCES, EIO,    ENOSPC, EIO,
                                          EIO,    EIO,    ENOSPC, ENOLCK, EACCES};

static unsigned long calls[F_COUNT];
static int fault_family = -1;
static unsigned long fault_at;
static int ready; /* set once the environment is read */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

#define REAL(ret, name, ...)                                                                       \
    static ret (*real_##name)(__VA_ARGS__);                                                        \
    if (!real_##name)                                                                              \
        real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name);

static void log_fault(enum family f, unsigned long n)
{
    const char *path = getenv("BF_FAULT_LOG");
    REAL(int, open, const char *, int, ...)
    REAL(ssize_t, write, int, const void *, size_t)
    REAL(int, close, int)
    if (!path)
        return;
    char line[64];
    int len = snprintf(line, sizeof line, "%s %lu\n", family_names[f], n);
    int fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!real_write(fd, line, (size_t)len);
        real_close(fd);
    }
}

/* 1 if this call of f is the one to fail (errno is then set). */
static int fail(enum family f)
{
    if (!ready)
        return 0;
    unsigned long n = __atomic_add_fetch(&calls[f], 1, __ATOMIC_RELAXED);
    if ((int)f != fault_family || n != fault_at)
        return 0;
    int saved = errno;
    log_fault(f, n);
    errno = saved;
    errno = family_errno[f];
    return 1;
}

/* On a crash, say whether it happened inside libconfig: its 1.5 release
 * (Debian's) does not check its own allocations, a fault no caller can
 * turn into an error. The first frame outside libc and this shim names
 * the library that crashed. */
static void on_crash(int sig)
{
    void *frames[64];
    int n = backtrace(frames, 64);
    for (int i = 0; i < n; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info) || !info.dli_fname || strstr(info.dli_fname, "libc.so") ||
            strstr(info.dli_fname, "shim.so"))
            continue;
        if (strstr(info.dli_fname, "libconfig.so")) {
            static const char msg[] = "fault shim: the crash is inside libconfig.so\n";
            REAL(ssize_t, write, int, const void *, size_t)
            (void)!real_write(2, msg, sizeof msg - 1);
        }
        break;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void shim_init(void)
{
    /* Only in backfill: not in a wrapper (valgrind's launcher) or a shell. */
    if (strcmp(program_invocation_short_name, "backfill") != 0)
        return;
    void *warm[1];
    backtrace(warm, 1); /* loads the unwinder now, not inside the handler */
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
    const char *spec = getenv("BF_FAULT");
    if (spec) {
        const char *colon = strchr(spec, ':');
        for (int f = 0; colon && f < F_COUNT; f++)
            if (strlen(family_names[f]) == (size_t)(colon - spec) &&
                strncmp(spec, family_names[f], (size_t)(colon - spec)) == 0) {
                fault_family = f;
                fault_at = strtoul(colon + 1, NULL, 10);
            }
    }
    ready = 1;
}

__attribute__((destructor)) static void shim_fini(void)
{
    const char *path = getenv("BF_FAULT_COUNT");
    ready = 0;
    REAL(FILE *, fopen, const char *, const char *)
    FILE *f = path ? real_fopen(path, "w") : NULL;
    if (!f)
        return;
    for (int i = 0; i < F_COUNT; i++)
        fprintf(f, "%s %lu\n", family_names[i], calls[i]);
    fclose(f);
}

void *malloc(size_t n)
{
    return fail(F_ALLOC) ? NULL : __libc_malloc(n);
}
void *calloc(size_t n, size_t size)
{
    return fail(F_ALLOC) ? NULL : __libc_calloc(n, size);
}
void *realloc(void *p, size_t n)
{
    return fail(F_ALLOC) ? NULL : __libc_realloc(p, n);
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

#define OPEN_LIKE(name)                                                                            \
    int name(const char *path, int flags, ...)                                                     \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t mode = mode_arg(flags, ap);                                                         \
        va_end(ap);                                                                                \
        REAL(int, name, const char *, int, ...)                                                    \
        return fail(F_OPEN) ? -1 : real_##name(path, flags, mode);                                 \
    }
OPEN_LIKE(open)
OPEN_LIKE(open64)

#define OPENAT_LIKE(name)                                                                          \
    int name(int dir, const char *path, int flags, ...)                                            \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t mode = mode_arg(flags, ap);                                                         \
        va_end(ap);                                                                                \
        REAL(int, name, int, const char *, int, ...)                                               \
        return fail(F_OPEN) ? -1 : real_##name(dir, path, flags, mode);                            \
    }
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)

FILE *fopen(const char *path, const char *mode)
{
    REAL(FILE *, fopen, const char *, const char *)
    return fail(F_OPEN) ? NULL : real_fopen(path, mode);
}
FILE *fopen64(const char *path, const char *mode)
{
    REAL(FILE *, fopen64, const char *, const char *)
    return fail(F_OPEN) ? NULL : real_fopen64(path, mode);
}
FILE *fdopen(int fd, const char *mode)
{
    REAL(FILE *, fdopen, int, const char *)
    return fail(F_OPEN) ? NULL : real_fdopen(fd, mode);
}

ssize_t read(int fd, void *buf, size_t n)
{
    REAL(ssize_t, read, int, void *, size_t)
    return fail(F_READ) ? -1 : real_read(fd, buf, n);
}
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pread, int, void *, size_t, off_t)
    return fail(F_READ) ? -1 : real_pread(fd, buf, n, off);
}
ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pread64, int, void *, size_t, off_t)
    return fail(F_READ) ? -1 : real_pread64(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, int, const void *, size_t)
    return fail(F_WRITE) ? -1 : real_write(fd, buf, n);
}
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite, int, const void *, size_t, off_t)
    return fail(F_WRITE) ? -1 : real_pwrite(fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite64, int, const void *, size_t, off_t)
    return fail(F_WRITE) ? -1 : real_pwrite64(fd, buf, n, off);
}

int fsync(int fd)
{
    REAL(int, fsync, int)
    return fail(F_FSYNC) ? -1 : real_fsync(fd);
}
int fdatasync(int fd)
{
    REAL(int, fdatasync, int)
    return fail(F_FSYNC) ? -1 : real_fdatasync(fd);
}

/* As on Linux, a failed close has still closed the descriptor. */
int close(int fd)
{
    REAL(int, close, int)
    int injected = fail(F_CLOSE);
    int rc = real_close(fd);
    if (injected) {
        errno = EIO;
        return -1;
    }
    return rc;
}

int rename(const char *from, const char *to)
{
    REAL(int, rename, const char *, const char *)
    return fail(F_RENAME) ? -1 : real_rename(from, to);
}

int ftruncate(int fd, off_t len)
{
    REAL(int, ftruncate, int, off_t)
    return fail(F_FTRUNCATE) ? -1 : real_ftruncate(fd, len);
}
int ftruncate64(int fd, off_t len)
{
    REAL(int, ftruncate64, int, off_t)
    return fail(F_FTRUNCATE) ? -1 : real_ftruncate64(fd, len);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(int, mkdir, const char *, mode_t)
    return fail(F_MKDIR) ? -1 : real_mkdir(path, mode);
}

/* Open a FIFO and write a line (the reader learns we got here). */
static void signal_fifo(const char *path)
{
    REAL(int, open, const char *, int, ...)
    REAL(ssize_t, write, int, const void *, size_t)
    REAL(int, close, int)
    int fd = real_open(path, O_WRONLY);
    if (fd >= 0) {
        (void)!real_write(fd, "here\n", 5);
        real_close(fd);
    }
}

/* Wait until the test opens and closes DIR/go. */
static void wait_go(const char *dir)
{
    REAL(int, open, const char *, int, ...)
    REAL(ssize_t, read, int, void *, size_t)
    REAL(int, close, int)
    char path[4096];
    snprintf(path, sizeof path, "%s/go", dir);
    int fd = real_open(path, O_RDONLY);
    if (fd >= 0) {
        char buf[64];
        while (real_read(fd, buf, sizeof buf) > 0)
            ;
        real_close(fd);
    }
}

int flock(int fd, int op)
{
    static int noted, paused;
    REAL(int, flock, int, int)
    const char *note = getenv("BF_FLOCK_NOTE"), *pause = getenv("BF_FLOCK_PAUSE");
    if (note && !__atomic_exchange_n(&noted, 1, __ATOMIC_SEQ_CST))
        signal_fifo(note);
    if (fail(F_FLOCK))
        return -1;
    int rc = real_flock(fd, op);
    if (rc == 0 && pause && (op & LOCK_EX) && (op & LOCK_NB) &&
        !__atomic_exchange_n(&paused, 1, __ATOMIC_SEQ_CST)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/ready", pause);
        signal_fifo(path);
        wait_go(pause);
    }
    return rc;
}
