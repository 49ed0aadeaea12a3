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
 *                        ftruncate, flock, mkdir; and the HTTP path:
 *                        connect (refused), send and recv (connection
 *                        reset), hangup (that recv, and every later one on
 *                        the connection, reads end of stream: closed
 *                        mid-response), cut (that recv returns half of what
 *                        arrived, then end of stream: a truncated
 *                        response), curl (curl_easy_init, curl_easy_perform
 *                        or curl_slist_append, reached through dlsym as
 *                        the core loads libcurl, fails: NULL, or
 *                        CURLE_COULDNT_CONNECT).
 *   BF_HANGUP_AFTER=TEXT the first request sent holding TEXT (e.g. "ATTACH
 *                        PARTITION") gets its whole answer, then the
 *                        connection reads end of stream: the server ran the
 *                        statement, the client never learns it.
 *   BF_FAULT_LOG=FILE    append "FAMILY N" to FILE when the fault fires.
 *   BF_FAULT_COUNT=FILE  at exit, write "FAMILY CALLS" per family to FILE,
 *                        so a sweep knows how many points there are.
 *   BF_SQL_INTERRUPT=N:TEXT  the Nth sqlite3_step (from 1) of a statement
 *                        whose SQL holds TEXT is interrupted (a progress
 *                        handler that stops it): SQLITE_INTERRUPT, and
 *                        SQLite itself rolls back the whole transaction
 *                        when that statement writes inside one.
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
#include <sys/socket.h>
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
    F_CONNECT,
    F_SEND,
    F_RECV,
    F_HANGUP,
    F_CUT,
    F_CURL,
    F_SQL,
    F_COUNT
};
static const char *const family_names[F_COUNT] = {
    "alloc", "open",    "read", "write", "fsync",  "close", "rename", "ftruncate", "flock",
    "mkdir", "connect", "send", "recv",  "hangup", "cut",   "curl",   "sql"};
static const int family_errno[F_COUNT] = {
    ENOMEM, EACCES,       EIO,        ENOSPC,     EIO, EIO, EIO, ENOSPC, ENOLCK,
    EACCES, ECONNREFUSED, ECONNRESET, ECONNRESET, 0,   0,   0,   0};

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

/* Connections a hangup or a cut ended: every later recv reads end of
 * stream. Cleared when the descriptor is closed or connected again. */
#define MAX_FDS 4096
static unsigned char ended[MAX_FDS];

static void set_ended(int fd, unsigned char v)
{
    if (fd >= 0 && fd < MAX_FDS)
        __atomic_store_n(&ended[fd], v, __ATOMIC_RELAXED);
}

/* As on Linux, a failed close has still closed the descriptor. */
int close(int fd)
{
    REAL(int, close, int)
    set_ended(fd, 0);
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

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    REAL(int, connect, int, const struct sockaddr *, socklen_t)
    set_ended(fd, 0);
    return fail(F_CONNECT) ? -1 : real_connect(fd, addr, len);
}

static int hang_fd = -1, hang_done;

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    REAL(ssize_t, send, int, const void *, size_t, int)
    const char *after = ready ? getenv("BF_HANGUP_AFTER") : NULL;
    if (after && *after && !__atomic_load_n(&hang_done, __ATOMIC_RELAXED) &&
        memmem(buf, n, after, strlen(after)) &&
        !__atomic_exchange_n(&hang_done, 1, __ATOMIC_RELAXED)) {
        __atomic_store_n(&hang_fd, fd, __ATOMIC_RELAXED);
        log_fault(F_HANGUP, 0);
    }
    return fail(F_SEND) ? -1 : real_send(fd, buf, n, flags);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    REAL(ssize_t, recv, int, void *, size_t, int)
    if (fd >= 0 && fd < MAX_FDS && __atomic_load_n(&ended[fd], __ATOMIC_RELAXED))
        return 0;
    if (fd >= 0 && __atomic_load_n(&hang_fd, __ATOMIC_RELAXED) == fd) {
        /* The answer arrives (the statement ran), and is dropped. */
        __atomic_store_n(&hang_fd, -1, __ATOMIC_RELAXED);
        set_ended(fd, 1);
        (void)real_recv(fd, buf, n, flags & ~MSG_DONTWAIT);
        shutdown(fd, SHUT_RDWR);
        return 0;
    }
    if (fail(F_RECV))
        return -1;
    if (fail(F_HANGUP)) {
        set_ended(fd, 1);
        shutdown(fd, SHUT_RDWR); /* as a closed connection: poll wakes, reads end */
        return 0;
    }
    int cut = fail(F_CUT);
    ssize_t got = real_recv(fd, buf, n, flags);
    if (cut && got > 0) {
        set_ended(fd, 1);
        shutdown(fd, SHUT_RDWR);
        return got > 1 ? got / 2 : got;
    }
    return got;
}

/* BF_SQL_INTERRUPT: SQLite is linked, so its calls come through here. */
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_step(sqlite3_stmt *stmt);

static int stop_statement(void *unused)
{
    (void)unused;
    return 1;
}

int sqlite3_step(sqlite3_stmt *stmt)
{
    static unsigned long seen;
    REAL(int, sqlite3_step, sqlite3_stmt *)
    const char *spec = ready ? getenv("BF_SQL_INTERRUPT") : NULL;
    const char *text = spec ? strchr(spec, ':') : NULL;
    const char *(*sql_of)(sqlite3_stmt *) = NULL;
    void *(*db_of)(sqlite3_stmt *) = NULL;
    void (*progress)(void *, int, int (*)(void *), void *) = NULL;
    if (text) {
        void *p = dlsym(RTLD_DEFAULT, "sqlite3_sql");
        memcpy(&sql_of, &p, sizeof p);
        p = dlsym(RTLD_DEFAULT, "sqlite3_db_handle");
        memcpy(&db_of, &p, sizeof p);
        p = dlsym(RTLD_DEFAULT, "sqlite3_progress_handler");
        memcpy(&progress, &p, sizeof p);
    }
    const char *sql = sql_of && db_of && progress ? sql_of(stmt) : NULL;
    if (!sql || !strstr(sql, text + 1) ||
        __atomic_add_fetch(&seen, 1, __ATOMIC_RELAXED) != strtoul(spec, NULL, 10))
        return real_sqlite3_step(stmt);
    log_fault(F_SQL, 0);
    progress(db_of(stmt), 1, stop_statement, NULL);
    int rc = real_sqlite3_step(stmt);
    progress(db_of(stmt), 0, NULL, NULL);
    return rc;
}

/* libcurl is loaded by the core with dlopen and reached through dlsym:
 * the calls that can fail are wrapped as they are looked up. The types
 * are libcurl's, without its header: CURL * and struct curl_slist * as
 * void *, CURLcode as int. */
#define CURLE_COULDNT_CONNECT 7
static void *(*real_easy_init)(void);
static int (*real_easy_perform)(void *);
static void *(*real_slist_append)(void *, const char *);

static void *shim_easy_init(void)
{
    return fail(F_CURL) ? NULL : real_easy_init();
}
static int shim_easy_perform(void *c)
{
    return fail(F_CURL) ? CURLE_COULDNT_CONNECT : real_easy_perform(c);
}
static void *shim_slist_append(void *list, const char *s)
{
    return fail(F_CURL) ? NULL : real_slist_append(list, s);
}

void *dlsym(void *restrict handle, const char *restrict name)
{
    static void *(*real_dlsym)(void *, const char *);
    if (!real_dlsym)
        real_dlsym = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
    if (!real_dlsym)
        real_dlsym = (void *(*)(void *, const char *))dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
    void *p = real_dlsym(handle, name);
    if (!p || handle == RTLD_NEXT || handle == RTLD_DEFAULT)
        return p;
    /* Function and object pointers convert through memcpy (POSIX). */
    if (strcmp(name, "curl_easy_init") == 0) {
        memcpy(&real_easy_init, &p, sizeof p);
        void *(*f)(void) = shim_easy_init;
        memcpy(&p, &f, sizeof p);
    } else if (strcmp(name, "curl_easy_perform") == 0) {
        memcpy(&real_easy_perform, &p, sizeof p);
        int (*f)(void *) = shim_easy_perform;
        memcpy(&p, &f, sizeof p);
    } else if (strcmp(name, "curl_slist_append") == 0) {
        memcpy(&real_slist_append, &p, sizeof p);
        void *(*f)(void *, const char *) = shim_slist_append;
        memcpy(&p, &f, sizeof p);
    }
    return p;
}
