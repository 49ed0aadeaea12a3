/* signals.h - SIGINT/SIGTERM during a run.
 *
 * The first signal sets signals_stop: nothing new is dispatched, in-flight
 * dates finish their current attempt (no retries: a date that fails it is
 * recorded as such and runs again on resume), the checkpoint is saved and
 * the run exits 130. The second
 * exits 130 at once: in-flight dates are still in their staging areas and
 * are discarded with the process, published dates stay published, and the
 * checkpoint on disk is the last one written whole (a rename is atomic). */
#ifndef BF_SIGNALS_H
#define BF_SIGNALS_H

#include <signal.h>
#include <stdatomic.h>

/* Atomic, not volatile sig_atomic_t: worker threads read it too. */
extern atomic_int signals_stop;

void signals_install(void);
void signals_restore(void);

/* Wait up to ms milliseconds, less if an interrupt arrives (or has):
 * returns 1 if interrupted, 0 if the time ran out. */
int signals_wait_ms(long ms);

/* Block SIGINT and SIGTERM in the calling thread (threads it starts
 * inherit the mask), so the handler always runs on the main thread;
 * unblock restores the mask saved. */
void signals_block_in_thread(sigset_t *saved);
void signals_unblock_in_thread(const sigset_t *saved);

#endif
