/* heap.h - how the process's allocator keeps memory. */
#ifndef BF_HEAP_H
#define BF_HEAP_H

/* Tune glibc's malloc for backfill's work, once at start: whole
 * checkpoint files read into buffers of megabytes, and trees and records
 * built and freed per processor. Freed memory is kept for reuse (up to a
 * trim threshold of 256 MB, allocations below 32 MB, the most glibc allows, from the heap) rather
 * than returned to the kernel and faulted in again page by page at the
 * next file; and at most two malloc arenas are used whatever the number of
 * workers (each worker thread otherwise gets an arena of its own, whose
 * freed memory no other thread reuses). A variable the user sets
 * (MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_) wins.
 * Without glibc it does nothing. */
void heap_tune(void);

#endif
