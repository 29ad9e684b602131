/* Sanitizer harness for the bsdiff C sources (built natively with heap-asan.c by test/native.test.ts):
 * random old files over alphabets of 1 to 256 symbols, new files made from them by edits (or
 * unrelated), the suffix array checked for order, and every patch applied by an independent
 * bspatch loop. Any out-of-bounds access or undefined behaviour aborts under ASan/UBSan.
 *   harness [RUNS]   prints "ok RUNS runs" */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
void bsdiff_reset(void);
uint8_t *bsdiff_run(const uint8_t *old, int32_t old_size, const uint8_t *new, int32_t new_size);
uint32_t bsdiff_patch_size(void);
int32_t *bsdiff_suffix_array(const uint8_t *text, int32_t n);
void *heap_alloc(uint64_t size);

static uint64_t rng = 88172645463325252ull;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }

/* bspatch reference (the obvious loop) to check the patch. */
static int apply(const uint8_t *old, int64_t os, const uint8_t *p, uint32_t ps, const uint8_t *expect, int64_t ns) {
  uint8_t *out = malloc(ns + 1); int64_t at = 0, np = 0, op = 0;
  while (np < ns) {
    int64_t c[3];
    for (int k = 0; k < 3; k++) { uint64_t m = 0; for (int b = 7; b >= 0; b--) m = m << 8 | p[at + 8 * k + b]; c[k] = (m & 0x7fffffffffffffffull); if (m >> 63) c[k] = -c[k]; }
    at += 24;
    if (c[0] < 0 || c[1] < 0 || np + c[0] + c[1] > ns || op < 0 || op + c[0] > os) { free(out); return 0; }
    for (int64_t i = 0; i < c[0]; i++) out[np + i] = p[at + i] + old[op + i];
    at += c[0]; np += c[0]; op += c[0];
    memcpy(out + np, p + at, c[1]); at += c[1]; np += c[1]; op += c[2];
    if (op < 0 || op > os) { free(out); return 0; }
  }
  int ok = at == ps && memcmp(out, expect, ns) == 0; free(out); return ok;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 200;
  for (int r = 0; r < runs; r++) {
    int32_t os = next() % (r % 10 == 0 ? 100000 : 3000);
    int alphabet = (int[]){1, 2, 3, 4, 16, 256}[next() % 6];
    uint8_t *old = malloc(os ? os : 1); /* exact sizes, so reading past either input is caught */
    for (int32_t i = 0; i < os; i++) old[i] = next() % alphabet;
    /* new = old with edits */
    int32_t cap = os * 2 + 1000, ns = 0; uint8_t *edited = malloc(cap);
    int32_t i = 0;
    while (i < os && ns < cap - 200) {
      uint32_t k = next() % 100;
      if (k < 2) { int32_t n = next() % 50; for (int j = 0; j < n; j++) edited[ns++] = next() % alphabet; }
      else if (k < 4) i += next() % 50;
      else if (k < 6 && i < os) { edited[ns++] = old[i++] ^ 1; }
      else { int32_t n = next() % 200; for (int j = 0; j < n && i < os; j++) edited[ns++] = old[i++]; }
    }
    if (next() % 5 == 0) { ns = next() % 500; for (int j = 0; j < ns; j++) edited[j] = next() % alphabet; }
    uint8_t *nw = malloc(ns ? ns : 1);
    memcpy(nw, edited, ns);
    free(edited);
    bsdiff_reset();
    int32_t *sa = bsdiff_suffix_array(old, os);
    for (int32_t j = 1; j < os; j++) {
      int32_t a = sa[j - 1], b = sa[j], la = os - a, lb = os - b, l = la < lb ? la : lb;
      int c = memcmp(old + a, old + b, l);
      if (c > 0 || (c == 0 && la > lb)) { fprintf(stderr, "SA order wrong at run %d\n", r); return 1; }
    }
    bsdiff_reset();
    uint8_t *patch = bsdiff_run(old, os, nw, ns);
    if (!patch || !apply(old, os, patch, bsdiff_patch_size(), nw, ns)) { fprintf(stderr, "round trip failed at run %d (%d -> %d)\n", r, os, ns); return 1; }
    free(old); free(nw);
  }
  bsdiff_reset();
  printf("ok %d runs\n", runs);
  return 0;
}
