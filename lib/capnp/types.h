/*
 * Cap'n Proto wire-format runtime: the types shared by readers, builders
 * and framing.  Everything here is freestanding: no allocation, no libc
 * beyond base/mem.h, errors as values.
 *
 * A message is a set of segments, each an array of 64-bit little-endian
 * words.  Readers see segments as (base, words) ranges and check every
 * pointer against them; builders carve segments out of one caller buffer.
 */
#ifndef CAPNP_TYPES_H
#define CAPNP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Hosted builds take memcpy and friends from libc directly, so that
 * generated headers compile in strict ISO C (-std=c11 -Wpedantic), where
 * base/mem.h's POSIX extras are not declared.
 */
#if __STDC_HOSTED__
#include <string.h>
#else
#include "base/mem.h"
#endif

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "the runtime loads wire words with plain memcpy");

/*
 * Floating-point accessors exist only where the compiler may use FP
 * registers: kernel code is built with -mno-sse -mno-80387 and gets the
 * raw-bits accessors only.
 */
#if defined(__SSE2__) || !defined(__x86_64__)
#define CAPNP_HAVE_FLOAT 1
#else
#define CAPNP_HAVE_FLOAT 0
#endif

/*
 * Most segments a message being read may have: 512, the reference
 * implementation's default.  A reader keeps the first
 * CAPNP_INLINE_SEGMENTS in its own table and finds the others in the
 * caller's table or the frame's segment sizes, so struct capnp_msg stays
 * small enough for a kernel stack.
 */
#ifndef CAPNP_MAX_SEGMENTS
#define CAPNP_MAX_SEGMENTS 512
#endif
#define CAPNP_INLINE_SEGMENTS 32
_Static_assert(CAPNP_MAX_SEGMENTS % CAPNP_INLINE_SEGMENTS == 0,
               "segment marks cover whole groups");

/*
 * Most segments a builder creates: as many as a reader accepts.  The
 * first CAPNP_BUILD_INLINE_SEGMENTS are described in the builder itself;
 * a message that needs more keeps its segment table at the end of the
 * caller's buffer (see struct capnp_builder).
 */
#ifndef CAPNP_BUILD_MAX_SEGMENTS
#define CAPNP_BUILD_MAX_SEGMENTS CAPNP_MAX_SEGMENTS
#endif
#define CAPNP_BUILD_INLINE_SEGMENTS 32
_Static_assert(CAPNP_BUILD_MAX_SEGMENTS <= CAPNP_MAX_SEGMENTS,
               "a reader accepts every message a builder makes");
_Static_assert(CAPNP_BUILD_INLINE_SEGMENTS <= CAPNP_BUILD_MAX_SEGMENTS,
               "the inline table is a prefix of the whole table");

/*
 * Default read limits, the same as the reference implementation: 8 Mi
 * words (64 MiB) of traversal and 64 levels of pointer nesting.
 */
#define CAPNP_DEFAULT_TRAVERSAL_WORDS (8u * 1024 * 1024)
#define CAPNP_DEFAULT_NESTING         64

/*
 * Largest segment a builder creates: pointer offsets are 30-bit signed
 * word counts and far-pointer pad offsets 29-bit unsigned.
 */
#define CAPNP_MAX_SEGMENT_WORDS ((1u << 29) - 1)

/* Largest list element count the encoding can express (29 bits). */
#define CAPNP_MAX_LIST_ELEMENTS ((1u << 29) - 1)

/* Returned by capability accessors when the pointer holds no capability. */
#define CAPNP_NO_CAP UINT32_MAX

/* Errors are negative; the first one in a message or builder sticks. */
enum capnp_err {
	CAPNP_OK = 0,
	CAPNP_ERR_BOUNDS = -1,  /* pointer target outside its segment */
	CAPNP_ERR_LIMIT = -2,   /* traversal limit exhausted */
	CAPNP_ERR_NESTING = -3, /* nesting limit exceeded (or a cycle) */
	CAPNP_ERR_TYPE = -4,    /* pointer kind or list element size mismatch */
	CAPNP_ERR_FAR = -5,     /* malformed far pointer or landing pad */
	CAPNP_ERR_SEGMENT = -6, /* segment id out of range */
	CAPNP_ERR_TEXT = -7,    /* text not NUL-terminated */
	CAPNP_ERR_FRAME = -8,   /* truncated or inconsistent stream framing */
	CAPNP_ERR_SEGMENTS = -9, /* more segments than the limit */
	CAPNP_ERR_NOSPACE = -10, /* builder buffer full */
	CAPNP_ERR_RANGE = -11,   /* index or size out of range (caller bug) */
	CAPNP_ERR_POINTER = -12, /* unknown "other" pointer */
	CAPNP_ERR_ROOT = -13,    /* no root pointer (empty first segment) */
	CAPNP_ERR_PACKED = -14,  /* packed input ends inside a word or run */
	CAPNP_ERR_CAP = -15,     /* capability in a canonical message */
};

/* Encoded list element sizes, as on the wire. */
enum capnp_esize {
	CAPNP_ESIZE_VOID = 0,
	CAPNP_ESIZE_BIT = 1,
	CAPNP_ESIZE_BYTE = 2,
	CAPNP_ESIZE_2 = 3,
	CAPNP_ESIZE_4 = 4,
	CAPNP_ESIZE_8 = 5,
	CAPNP_ESIZE_POINTER = 6,
	CAPNP_ESIZE_COMPOSITE = 7,
};

/* One segment of a message being read. */
struct capnp_seg {
	const uint8_t *base;
	uint32_t words;
};

/* A text value: str is NUL-terminated, len excludes the NUL. */
struct capnp_text {
	const char *str;
	uint32_t len;
};

/* A data value; ptr may be NULL when len is 0. */
struct capnp_data {
	const uint8_t *ptr;
	uint32_t len;
};

const char *capnp_strerror(int err);

#endif
