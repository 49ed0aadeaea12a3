/* lock.h - one run per processor at a time, via flock. */
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

#endif
