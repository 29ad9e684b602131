/* Native stand-in for heap.c under AddressSanitizer: one malloc per block (so every block has
 * redzones), LIFO release, and the growing top block (the patch) keeps its unused capacity
 * poisoned, so any write past what bsdiff.c reserved is caught. */
#include "heap.h"
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_BLOCKS 256
static struct { uint8_t *ptr; uint64_t size, cap; } blocks[MAX_BLOCKS];
static int count;
static uint64_t live, peak;

void heap_reset(void) { while (count) free(blocks[--count].ptr); live = peak = 0; }
uintptr_t heap_mark(void) { return (uintptr_t)count; }
void heap_release(uintptr_t mark) { while ((uintptr_t)count > mark) { count--; live -= blocks[count].size; free(blocks[count].ptr); } }
uintptr_t heap_peak(void) { return (uintptr_t)peak; }
void *heap_alloc(uint64_t size) {
  if (count == MAX_BLOCKS) abort();
  uint64_t cap = size == 0 ? (uint64_t)64 << 20 : size; /* the patch starts at 0 and grows */
  uint8_t *p = malloc(cap ? cap : 1);
  if (!p) return NULL;
  if (size == 0) ASAN_POISON_MEMORY_REGION(p, cap);
  blocks[count].ptr = p; blocks[count].size = size; blocks[count].cap = cap; count++;
  live += size; if (live > peak) peak = live;
  return p;
}
int heap_resize_top(void *block, uint64_t size) {
  if (!count || blocks[count - 1].ptr != block || size > blocks[count - 1].cap) { fprintf(stderr, "bad resize\n"); abort(); }
  uint64_t old = blocks[count - 1].size;
  if (size > old) ASAN_UNPOISON_MEMORY_REGION((uint8_t *)block + old, size - old);
  else ASAN_POISON_MEMORY_REGION((uint8_t *)block + size, old - size);
  live += size - old; blocks[count - 1].size = size; if (live > peak) peak = live;
  return 0;
}
