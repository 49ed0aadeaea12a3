/* files.h - how the core opens the files users name and replaces the state
 * files it owns: only regular files are read (a FIFO would hang, a device
 * would be read), and a state file is replaced whole or not at all. */
#ifndef BF_FILES_H
#define BF_FILES_H

#include <stddef.h>
#include <stdio.h>

/* Open path with flags (O_RDONLY, O_RDWR, plus O_NOFOLLOW or O_CREAT as
 * wanted; O_CLOEXEC is added) and refuse anything but a regular file
 * without blocking on it. Returns the descriptor, or -1 with
 * "PATH: is a FIFO, not a regular file" (or the system's reason) in err. */
int file_open_regular(const char *path, int flags, int mode, char *err, size_t errlen);

/* The same, read-only, as a stdio stream the caller fcloses. */
FILE *file_fopen_regular(const char *path, char *err, size_t errlen);

/* 0 if path does not exist or is a regular file (symbolic links
 * followed); -1 with one line in err otherwise. For paths a library opens
 * itself. */
int file_check_regular(const char *path, char *err, size_t errlen);

/* Write all len bytes, resuming after short writes and EINTR. 0, or -1
 * with errno set. */
int file_write_all(int fd, const void *buf, size_t len);

/* Replace path with exactly buf[0..len) durably: a new temp file
 * path.tmp.<pid> (O_EXCL|O_NOFOLLOW: never through a symbolic link),
 * every write checked, fsync, close, rename, fsync of the directory. On
 * failure returns -1 with one line naming the file in err, removes the
 * temp file, and path keeps its previous content. */
int file_replace(const char *path, const void *buf, size_t len, char *err, size_t errlen);

/* Remove path.tmp.<pid> files left by processes that no longer exist
 * (killed in the middle of file_replace). Returns how many were removed. */
int file_remove_stale_temps(const char *path);

#endif
