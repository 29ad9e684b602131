/* A stack allocator over WebAssembly linear memory (no libc).
 *
 * bsdiff's allocations nest: old/new inputs, the suffix array, SA-IS's per-level work arrays
 * (released in reverse order), then the patch, which grows at the top. A stack fits that
 * exactly, needs no free lists and keeps peak memory equal to the live bytes. */
#ifndef OSTREE_TS_HEAP_H
#define OSTREE_TS_HEAP_H

#include <stddef.h>
#include <stdint.h>

/* Start of the free heap; everything below belongs to the linker (data, stack). */
void heap_reset(void);
/* 16-byte aligned block of `size` bytes, or NULL when memory cannot grow. */
void *heap_alloc(uint64_t size);
/* The current top, to be passed to heap_release. */
uintptr_t heap_mark(void);
/* Frees everything allocated since `mark`. */
void heap_release(uintptr_t mark);
/* Resizes the topmost block `block` in place; 0 on success, -1 when memory cannot grow. */
int heap_resize_top(void *block, uint64_t size);
/* Highest address the heap has reached since the last heap_reset. */
uintptr_t heap_peak(void);

#endif
