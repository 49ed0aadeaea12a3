/* secret.h - the small files the config names for a secret or a header
 * value (notify.token_file, "@file:PATH" headers, the ClickHouse
 * password_file): opened without blocking, regular files only, at most
 * SECRET_MAX_BYTES, read inside the deadline of the request they serve.
 * A FIFO would otherwise block the process for ever (a run whose dates are
 * saved would never exit), and a directory would read as an empty secret. */
#ifndef BF_SECRET_H
#define BF_SECRET_H

#include <stddef.h>

#define SECRET_MAX_BYTES 65536

/* For the config reader: 0 if path does not exist (it may appear before
 * it is needed; reading it then says so) or is a regular file; -1 with
 * "PATH: is a FIFO, not a regular file" (or a directory, a socket...) in
 * err otherwise. Opens nothing. */
int secret_check(const char *path, char *err, size_t errlen);

/* The first line of path (without its end of line), in a new string the
 * caller clears and frees. deadline_ms is a clock_now_ms() instant by
 * which reading must be over (0: none); it is checked before every read.
 * NULL with one line in err (the path and why, never the content) if path
 * is missing, not a regular file, over SECRET_MAX_BYTES, unreadable, past
 * the deadline, or memory ran out. Nothing is left open. */
char *secret_read_line(const char *path, double deadline_ms, char *err, size_t errlen);

#endif
