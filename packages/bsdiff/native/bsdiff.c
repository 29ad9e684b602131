/* bsdiff producing the raw stream ostree stores in static deltas: for each step a 24-byte
 * control triple (diff length, extra length, old seek; 64-bit sign-magnitude little-endian),
 * then the diff bytes (new - old, mod 256), then the extra bytes (new, verbatim).
 *
 * Matching follows Colin Percival's bsdiff algorithm: walk the new file, find the longest match
 * in old through a suffix array, and start a new step only where that match beats, by more than
 * 8 bytes, what simply continuing the previous alignment would give. Each step's approximate
 * region is then extended forward from the previous match and backward from the next one, and
 * the overlap between the two extensions is split where the byte agreement is best. */
#include <stdint.h>

#include "heap.h"
#include "sais.h"

#define EXPORT(name) __attribute__((export_name(#name)))

/* ---- patch output: grows in place at the top of the heap ---- */

static uint8_t *patch;
static uint32_t patch_size;

/* The patch is the topmost heap block, so it grows in place without copying; linear memory
 * itself grows geometrically (heap.c), so reserving exactly what is needed stays cheap. */
static int patch_reserve(uint32_t more) {
  if (more > UINT32_MAX - patch_size) return -1;
  return heap_resize_top(patch, (uint64_t)patch_size + more);
}

static void put_offt(int64_t value) {
  uint64_t magnitude = value < 0 ? (uint64_t)(-value) : (uint64_t)value;
  for (int i = 0; i < 8; i++) patch[patch_size + i] = (uint8_t)(magnitude >> (8 * i));
  if (value < 0) patch[patch_size + 7] |= 0x80;
  patch_size += 8;
}

/* Appends one step: control triple, diff bytes, extra bytes. */
static int emit_step(const uint8_t *old, const uint8_t *new, int32_t new_from, int32_t old_from, int32_t diff_length,
                     int32_t extra_length, int64_t old_seek) {
  if (patch_reserve(24u + (uint32_t)diff_length + (uint32_t)extra_length) != 0) return -1;
  put_offt(diff_length);
  put_offt(extra_length);
  put_offt(old_seek);
  for (int32_t i = 0; i < diff_length; i++) patch[patch_size + i] = (uint8_t)(new[new_from + i] - old[old_from + i]);
  patch_size += (uint32_t)diff_length;
  for (int32_t i = 0; i < extra_length; i++) patch[patch_size + i] = new[new_from + diff_length + i];
  patch_size += (uint32_t)extra_length;
  return 0;
}

/* ---- longest match through the suffix array ---- */

static int32_t common_prefix(const uint8_t *a, int32_t a_length, const uint8_t *b, int32_t b_length) {
  int32_t limit = a_length < b_length ? a_length : b_length, i = 0;
  while (i < limit && a[i] == b[i]) i++;
  return i;
}

/* Length of the longest prefix of query found in old; its position goes to *match_at.
 *
 * Binary search for the query's insertion point in suffix order: the best match is one of the
 * two suffixes around it. Every suffix strictly between the current bounds shares at least
 * min(shared_low, shared_high) bytes with the query, so comparisons skip that many. */
static int32_t longest_match(const int32_t *sa, const uint8_t *old, int32_t old_size, const uint8_t *query,
                             int32_t query_length, int32_t *match_at) {
  int32_t low = -1, high = old_size; /* sa[low] < query <= sa[high]; -1 and old_size are virtual */
  int32_t shared_low = 0, shared_high = 0;
  while (high - low > 1) {
    int32_t middle = low + (high - low) / 2;
    int32_t at = sa[middle];
    int32_t skip = shared_low < shared_high ? shared_low : shared_high;
    int32_t shared = skip + common_prefix(old + at + skip, old_size - at - skip, query + skip, query_length - skip);
    int suffix_smaller = shared < query_length && (shared == old_size - at || old[at + shared] < query[shared]);
    if (suffix_smaller) {
      low = middle;
      shared_low = shared;
    } else {
      high = middle;
      shared_high = shared;
    }
  }
  *match_at = 0;
  if (low >= 0 && (high >= old_size || shared_low >= shared_high)) {
    *match_at = sa[low];
    return shared_low;
  }
  if (high < old_size) {
    *match_at = sa[high];
    return shared_high;
  }
  return 0;
}

/* ---- the scan ---- */

static int diff_scan(const int32_t *sa, const uint8_t *old, int32_t old_size, const uint8_t *new, int32_t new_size) {
  int32_t scan = 0, length = 0, match_at = 0;
  int32_t last_scan = 0, last_pos = 0, last_offset = 0;

  while (scan < new_size) {
    /* How many bytes of the current match the previous alignment (old = new + last_offset)
     * already reproduces; a match must beat it to be worth a new step. */
    int32_t aligned_score = 0;
    int32_t scored_until = scan += length;
    for (; scan < new_size; scan++) {
      length = longest_match(sa, old, old_size, new + scan, new_size - scan, &match_at);
      for (; scored_until < scan + length; scored_until++) {
        int64_t o = (int64_t)scored_until + last_offset;
        if (o >= 0 && o < old_size && old[o] == new[scored_until]) aligned_score++;
      }
      if ((length == aligned_score && length != 0) || length > aligned_score + 8) break;
      int64_t o = (int64_t)scan + last_offset;
      if (o >= 0 && o < old_size && old[o] == new[scan]) aligned_score--;
    }
    if (length == aligned_score && scan != new_size) continue;

    /* Forward extension of the previous match: the longest stretch where at least half the
     * bytes agree (maximising 2*agreeing - length). */
    int32_t forward = 0;
    {
      int32_t agree = 0, best = 0;
      for (int32_t i = 0; last_scan + i < scan && last_pos + i < old_size;) {
        if (old[last_pos + i] == new[last_scan + i]) agree++;
        i++;
        if (agree * 2 - i > best * 2 - forward) {
          best = agree;
          forward = i;
        }
      }
    }
    /* Backward extension of the new match, by the same rule. */
    int32_t backward = 0;
    if (scan < new_size) {
      int32_t agree = 0, best = 0;
      for (int32_t i = 1; scan >= last_scan + i && match_at >= i; i++) {
        if (old[match_at - i] == new[scan - i]) agree++;
        if (agree * 2 - i > best * 2 - backward) {
          best = agree;
          backward = i;
        }
      }
    }
    /* If the extensions overlap, give each byte of the overlap to the side where it agrees. */
    if (last_scan + forward > scan - backward) {
      int32_t overlap = (last_scan + forward) - (scan - backward);
      int32_t balance = 0, best_balance = 0, split = 0;
      for (int32_t i = 0; i < overlap; i++) {
        if (new[last_scan + forward - overlap + i] == old[last_pos + forward - overlap + i]) balance++;
        if (new[scan - backward + i] == old[match_at - backward + i]) balance--;
        if (balance > best_balance) {
          best_balance = balance;
          split = i + 1;
        }
      }
      forward += split - overlap;
      backward -= split;
    }

    int32_t extra = (scan - backward) - (last_scan + forward);
    int64_t seek = (int64_t)(match_at - backward) - (int64_t)(last_pos + forward);
    if (emit_step(old, new, last_scan, last_pos, forward, extra, seek) != 0) return -1;

    last_scan = scan - backward;
    last_pos = match_at - backward;
    last_offset = match_at - scan;
  }
  return 0;
}

/* ---- exports ---- */

/* Frees everything: call before placing new inputs. */
EXPORT(bsdiff_reset) void bsdiff_reset(void) {
  heap_reset();
  patch = 0;
  patch_size = 0;
}

/* A block for the caller's inputs (old, then new); 0 when memory cannot grow. */
EXPORT(bsdiff_alloc) void *bsdiff_alloc(uint32_t size) { return heap_alloc(size); }

/* Diffs old[0, old_size) against new[0, new_size) (both allocated with bsdiff_alloc). Returns
 * the patch's address (its size from bsdiff_patch_size), or 0 when memory cannot grow. */
EXPORT(bsdiff_run) uint8_t *bsdiff_run(const uint8_t *old, int32_t old_size, const uint8_t *new, int32_t new_size) {
  if (old_size < 0 || new_size < 0) return 0;
  int32_t *sa = heap_alloc((uint64_t)old_size * sizeof(int32_t) + 4);
  if (!sa || sais_build(old, old_size, sa) != 0) return 0;
  patch = heap_alloc(0);
  patch_size = 0;
  if (!patch || diff_scan(sa, old, old_size, new, new_size) != 0) return 0;
  return patch;
}

EXPORT(bsdiff_patch_size) uint32_t bsdiff_patch_size(void) { return patch_size; }

/* Highest heap address reached since bsdiff_reset: the peak memory of the last run. */
EXPORT(bsdiff_heap_peak) uint32_t bsdiff_heap_peak(void) { return (uint32_t)heap_peak(); }

/* The suffix array of text[0, n) (allocated with bsdiff_alloc), for tests; 0 when memory
 * cannot grow. */
EXPORT(bsdiff_suffix_array) int32_t *bsdiff_suffix_array(const uint8_t *text, int32_t n) {
  if (n < 0) return 0;
  int32_t *sa = heap_alloc((uint64_t)n * sizeof(int32_t) + 4);
  if (!sa || sais_build(text, n, sa) != 0) return 0;
  return sa;
}
