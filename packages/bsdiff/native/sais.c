/* SA-IS with a virtual sentinel: the string is treated as if followed by a character smaller
 * than all others, without storing it, so the byte input needs no widened copy.
 *
 * Level 0 reads bytes; deeper levels read the int32 reduced string, which lives in the unused
 * upper part of the same suffix array. */
#include "sais.h"

#include "heap.h"

typedef struct {
  const void *chars;
  int wide; /* 1: int32 characters (reduced strings), 0: bytes */
} text_t;

#define INLINE static inline __attribute__((always_inline))

INLINE int32_t char_at(text_t s, int32_t i) {
  return s.wide ? ((const int32_t *)s.chars)[i] : ((const uint8_t *)s.chars)[i];
}

/* Suffix types as a bitmap: 1 = S-type (smaller than the next suffix), 0 = L-type. */
INLINE int is_s(const uint8_t *types, int32_t i) { return (types[i >> 3] >> (i & 7)) & 1; }

/* Leftmost S: an S-type suffix right after an L-type one. */
INLINE int is_lms(const uint8_t *types, int32_t i) { return i > 0 && is_s(types, i) && !is_s(types, i - 1); }

/* Each bucket's first slot (ends = 0) or one past its last slot (ends = 1). */
INLINE void bucket_bounds(text_t s, int32_t n, int32_t alphabet, int32_t *bucket, int ends) {
  for (int32_t c = 0; c < alphabet; c++) bucket[c] = 0;
  for (int32_t i = 0; i < n; i++) bucket[char_at(s, i)]++;
  int32_t sum = 0;
  for (int32_t c = 0; c < alphabet; c++) {
    sum += bucket[c];
    bucket[c] = ends ? sum : sum - bucket[c];
  }
}

/* Induces the order of all suffixes from the LMS suffixes already at their buckets' ends. */
INLINE void induce(text_t s, const uint8_t *types, int32_t *sa, int32_t n, int32_t alphabet, int32_t *bucket) {
  bucket_bounds(s, n, alphabet, bucket, 0);
  /* The sentinel's suffix comes first; the suffix before it, n-1, is L-type. */
  sa[bucket[char_at(s, n - 1)]++] = n - 1;
  for (int32_t i = 0; i < n; i++) {
    int32_t j = sa[i] - 1;
    if (j >= 0 && !is_s(types, j)) sa[bucket[char_at(s, j)]++] = j;
  }
  bucket_bounds(s, n, alphabet, bucket, 1);
  for (int32_t i = n - 1; i >= 0; i--) {
    int32_t j = sa[i] - 1;
    if (j >= 0 && is_s(types, j)) sa[--bucket[char_at(s, j)]] = j;
  }
}

/* Are the LMS substrings starting at a and b equal (same characters and types up to and
 * including the next LMS position)? One that reaches the sentinel is unique. */
INLINE int lms_substrings_equal(text_t s, const uint8_t *types, int32_t n, int32_t a, int32_t b) {
  for (int32_t d = 0;; d++) {
    if (a + d == n || b + d == n) return 0;
    if (char_at(s, a + d) != char_at(s, b + d) || is_s(types, a + d) != is_s(types, b + d)) return 0;
    if (d > 0 && (is_lms(types, a + d) || is_lms(types, b + d))) return 1;
  }
}

static int sais_level(text_t s, int32_t *sa, int32_t n, int32_t alphabet);

/* The whole level, inlined twice below so that `s.wide` is a constant in each copy. */
INLINE int sais_level_body(text_t s, int32_t *sa, int32_t n, int32_t alphabet) {
  if (n == 0) return 0;
  if (n == 1) {
    sa[0] = 0;
    return 0;
  }
  uintptr_t level_mark = heap_mark();
  uint8_t *types = heap_alloc(((uint64_t)n + 7) / 8);
  if (!types) return -1;
  uintptr_t bucket_mark = heap_mark();
  int32_t *bucket = heap_alloc((uint64_t)alphabet * sizeof(int32_t));
  if (!bucket) return heap_release(level_mark), -1;

  for (int32_t i = 0; i < (n + 7) / 8; i++) types[i] = 0;
  /* n-1 is L-type: it is greater than the sentinel after it. */
  for (int32_t i = n - 2; i >= 0; i--) {
    int32_t here = char_at(s, i), next = char_at(s, i + 1);
    if (here < next || (here == next && is_s(types, i + 1))) types[i >> 3] |= (uint8_t)(1u << (i & 7));
  }

  /* Stage 1: sort the LMS substrings by inducing from the LMS positions in any order. */
  for (int32_t i = 0; i < n; i++) sa[i] = -1;
  bucket_bounds(s, n, alphabet, bucket, 1);
  for (int32_t i = n - 1; i > 0; i--)
    if (is_lms(types, i)) sa[--bucket[char_at(s, i)]] = i;
  induce(s, types, sa, n, alphabet, bucket);

  /* Gather the sorted LMS positions at the front, then name equal substrings alike. LMS
   * positions are at least 2 apart, so sa[n1 + pos/2] gives each a distinct free slot. */
  int32_t n1 = 0;
  for (int32_t i = 0; i < n; i++)
    if (is_lms(types, sa[i])) sa[n1++] = sa[i];
  for (int32_t i = n1; i < n; i++) sa[i] = -1;
  int32_t names = 0, previous = -1;
  for (int32_t i = 0; i < n1; i++) {
    int32_t pos = sa[i];
    if (previous < 0 || !lms_substrings_equal(s, types, n, pos, previous)) {
      names++;
      previous = pos;
    }
    sa[n1 + (pos >> 1)] = names - 1;
  }
  /* The reduced string (names in text order) goes to the top of sa. */
  for (int32_t i = n - 1, j = n - 1; i >= n1; i--)
    if (sa[i] >= 0) sa[j--] = sa[i];

  /* Stage 2: sort the LMS suffixes, recursing while names repeat. */
  int32_t *reduced = sa + n - n1;
  if (names < n1) {
    heap_release(bucket_mark); /* not needed during recursion */
    if (sais_level((text_t){reduced, 1}, sa, n1, names) != 0) return heap_release(level_mark), -1;
    bucket = heap_alloc((uint64_t)alphabet * sizeof(int32_t));
    if (!bucket) return heap_release(level_mark), -1;
  } else {
    for (int32_t i = 0; i < n1; i++) sa[reduced[i]] = i;
  }

  /* Stage 3: put the sorted LMS suffixes at their buckets' ends and induce the rest. */
  for (int32_t i = 1, j = 0; i < n; i++)
    if (is_lms(types, i)) reduced[j++] = i;
  for (int32_t i = 0; i < n1; i++) sa[i] = reduced[sa[i]];
  for (int32_t i = n1; i < n; i++) sa[i] = -1;
  bucket_bounds(s, n, alphabet, bucket, 1);
  for (int32_t i = n1 - 1; i >= 0; i--) {
    int32_t pos = sa[i];
    sa[i] = -1;
    sa[--bucket[char_at(s, pos)]] = pos;
  }
  induce(s, types, sa, n, alphabet, bucket);
  heap_release(level_mark);
  return 0;
}

static int sais_level(text_t s, int32_t *sa, int32_t n, int32_t alphabet) {
  return s.wide ? sais_level_body((text_t){s.chars, 1}, sa, n, alphabet) : sais_level_body((text_t){s.chars, 0}, sa, n, alphabet);
}

int sais_build(const uint8_t *text, int32_t n, int32_t *sa) {
  return sais_level((text_t){text, 0}, sa, n, 256);
}
