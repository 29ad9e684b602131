/* Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan 2009): linear time. */
#ifndef OSTREE_TS_SAIS_H
#define OSTREE_TS_SAIS_H

#include <stdint.h>

/* Fills sa[0, n) with the suffixes of text[0, n) in lexicographic order (a shorter suffix sorts
 * before the longer ones it prefixes). Work memory: n/8 bytes plus one bucket array per
 * recursion level, taken from the heap and released before returning. 0 on success, -1 when
 * memory cannot grow. */
int sais_build(const uint8_t *text, int32_t n, int32_t *sa);

#endif
