/* hash.h - a 64-bit FNV-1a hash of bytes and of a file's contents: what
 * tells one build of a processor, or one config of it, from another. Not
 * a defence against a forger (plugins are trusted files, see trust.h); a
 * change detector. */
#ifndef BF_HASH_H
#define BF_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED UINT64_C(14695981039346656037)

/* h extended by len bytes of data: hash_bytes(HASH_SEED, ...) starts. */
uint64_t hash_bytes(uint64_t h, const void *data, size_t len);

/* The hash of the whole file open on fd (named path in err), read from
 * its start whatever fd's offset. Returns 0, or -1 with one line naming
 * the file in err. */
int hash_fd(int fd, const char *path, uint64_t *out, char *err, size_t errlen);

#endif
