/* fuzz.h - what every fuzz target in tests/fuzz provides and may use.
 *
 * A target is one LLVMFuzzerTestOneInput. It is built twice: with clang's
 * libFuzzer by `make fuzz`, and with replay.c by `make check`, which feeds it
 * every file of its committed corpus (tests/fuzz/<target>/). A target
 * aborts on a broken invariant, so both builds report it as a crash. */
#ifndef BF_FUZZ_H
#define BF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private directory made on first use and removed at exit. */
const char *fuzz_dir(void);

/* Write data to DIR/NAME, replacing it; returns the path (static buffer),
 * or NULL. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);

/* data as a NUL-terminated string, cut at its first NUL (static buffer). */
const char *fuzz_string(const uint8_t *data, size_t size);

#endif
