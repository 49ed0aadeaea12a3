/* lock.h - one run per processor at a time, via flock; and the holder
 * line that names a lock's holder, whatever holds the lock. */
#ifndef BF_LOCK_H
#define BF_LOCK_H

#include <stddef.h>

/* Take an exclusive flock on path, creating it (never through a symbolic
 * link; anything but a regular file is refused), and write the holder into
 * it: "pid PID on HOST since TIME[, note]". Returns the open descriptor
 * (>= 0); -2 if another live process holds it, with its holder line in
 * err; -1 on any other failure (err says why). The kernel drops the lock
 * when the holder dies, so a stale file never blocks. */
int lock_take(const char *path, const char *note, char *err, size_t errlen);

/* lock_take on state_dir/<processor>.lock; when held, err reads "another
 * run of PROCESSOR holds PATH: pid ... on ... since ...". */
int lock_acquire(const char *state_dir, const char *processor, char *err, size_t errlen);
void lock_release(int fd);

/* This process as a lock's holder, into buf (cut to size):
 * "pid PID on HOST since TIME[, note]", TIME in UTC, no newline. */
void lock_holder(char *buf, size_t size, const char *note);

enum lock_holder_state {
    LOCK_HOLDER_LIVE,      /* on this host, and its process exists */
    LOCK_HOLDER_GONE,      /* on this host, and no process has its pid */
    LOCK_HOLDER_ELSEWHERE, /* on another host: nothing here can tell */
    LOCK_HOLDER_UNKNOWN    /* not a holder line */
};

/* What this host can tell of the holder line holder (lock_holder's
 * format). A lock whose holder is LOCK_HOLDER_GONE was left by a run
 * that died without releasing it (kill -9, a crash). */
int lock_holder_state(const char *holder);

/* A flock on /tmp, held until the returned descriptor is closed: it
 * serialises, among every process of this host, the check and removal of
 * a lock left by a dead holder, which cannot be one atomic step in a
 * store. Blocks while another process holds it; -1 with err on failure. */
int lock_host_gate(char *err, size_t errlen);

/* An exclusive lock on one byte of path itself (an open-file-description
 * lock at an offset far past any data, chosen by key), so that deleting
 * lock files beside it cannot let a second holder in: only the holder's
 * exit, or lock_in_file_release, frees it. For a database file the store
 * library also locks (SQLite's byte-range locks sit below 2^31, this one
 * above 2^62). The descriptor stays open until the process exits: closing
 * any descriptor of a file drops every POSIX lock the process holds on it,
 * the library's included. 0 when taken, -2 when another process holds it,
 * -1 with err on any other failure (path not writable: the caller decides
 * whether to do without). *fd is what lock_in_file_release takes (-1
 * unless taken). */
int lock_in_file(const char *path, const char *key, int *fd, char *err, size_t errlen);
void lock_in_file_release(int fd, const char *key);

#endif
