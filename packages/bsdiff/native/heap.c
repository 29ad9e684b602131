#include "heap.h"

extern unsigned char __heap_base;

#define PAGE_SIZE 65536u

static uintptr_t heap_top, heap_high_water;

void heap_reset(void) { heap_top = heap_high_water = (uintptr_t)&__heap_base; }

uintptr_t heap_peak(void) { return heap_high_water; }

static void set_top(uintptr_t top) {
  heap_top = top;
  if (top > heap_high_water) heap_high_water = top;
}

uintptr_t heap_mark(void) { return heap_top; }

void heap_release(uintptr_t mark) { heap_top = mark; }

/* Makes sure [0, end) is backed by linear memory. */
static int ensure_memory(uint64_t end) {
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * PAGE_SIZE;
  if (end <= have) return 0;
  uint64_t pages = (end - have + PAGE_SIZE - 1) / PAGE_SIZE;
  /* Grow at least by a quarter of the current size so repeated growth stays cheap. */
  uint64_t at_least = (uint64_t)__builtin_wasm_memory_size(0) / 4;
  if (pages < at_least && __builtin_wasm_memory_grow(0, at_least) != (size_t)-1) return 0;
  return __builtin_wasm_memory_grow(0, pages) == (size_t)-1 ? -1 : 0;
}

void *heap_alloc(uint64_t size) {
  if (heap_top == 0) heap_reset();
  uint64_t start = ((uint64_t)heap_top + 15) & ~(uint64_t)15;
  uint64_t end = start + size;
  if (end > UINT32_MAX || ensure_memory(end) != 0) return NULL;
  set_top((uintptr_t)end);
  return (void *)(uintptr_t)start;
}

int heap_resize_top(void *block, uint64_t size) {
  uint64_t end = (uint64_t)(uintptr_t)block + size;
  if (end > UINT32_MAX || ensure_memory(end) != 0) return -1;
  set_top((uintptr_t)end);
  return 0;
}
