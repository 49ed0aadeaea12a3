/* lock.h - one run per processor at a time, via flock in state_dir. */
#ifndef BF_LOCK_H
#define BF_LOCK_H

#include <stddef.h>

/* Take state_dir/<processor>.lock. Returns the open descriptor (>= 0),
 * -2 if another live process holds it (err names its PID, host and start
 * time), -1 on any other failure (err says why). The kernel drops the lock
 * when the holder dies, so a stale file never blocks. */
int lock_acquire(const char *state_dir, const char *processor, char *err, size_t errlen);
void lock_release(int fd);

#endif
