/*
 * Helpers for unit tests that hand-craft Cap'n Proto messages word by
 * word, with the pointer encoders of capnp/wire.h.
 */
#ifndef TESTS_CAPNP_WORDS_H
#define TESTS_CAPNP_WORDS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "capnp/capnp.h"
#include "capnp/wire.h"

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

/* Little-endian text in one word, e.g. TEXT8('h', 'i', 0). */
#define TEXT8(...) text8((const char[8]){__VA_ARGS__})

static inline uint64_t
text8(const char c[8])
{
	uint64_t w;

	memcpy(&w, c, 8);
	return w;
}

/* A one-segment message over a word array. */
static inline void
msg_words(struct capnp_msg *m, const uint64_t *w, size_t n)
{
	assert_int_equal(capnp_msg_init_segment(m, w, n * 8), CAPNP_OK);
}

/* A two-segment message. */
static inline void
msg_two(struct capnp_msg *m, const uint64_t *a, size_t na, const uint64_t *b,
        size_t nb)
{
	struct capnp_seg segs[2] = {
	    {(const uint8_t *)a, (uint32_t)na},
	    {(const uint8_t *)b, (uint32_t)nb},
	};

	assert_int_equal(capnp_msg_init_segments(m, segs, 2), CAPNP_OK);
}

#endif
