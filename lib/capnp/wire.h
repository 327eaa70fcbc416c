/*
 * Cap'n Proto pointer words: the bit layout of struct, list, far and
 * capability pointers, and little-endian loads and stores.  Used by the
 * runtime itself and by tests that hand-craft messages.
 *
 * Bits 0-1 of a pointer word give its kind.  Struct and list pointers keep a
 * signed 30-bit word offset (from the end of the pointer) in bits 2-31.
 */
#ifndef CAPNP_WIRE_H
#define CAPNP_WIRE_H

#include "capnp/types.h"

enum capnp_kind {
	CAPNP_KIND_STRUCT = 0,
	CAPNP_KIND_LIST = 1,
	CAPNP_KIND_FAR = 2,
	CAPNP_KIND_OTHER = 3,
};

/*
 * Pointer words as constant expressions (usable in static initializers);
 * the inline functions below are the typed forms.
 */
#define CAPNP_PTR_OFFSET_FIELD(off) ((uint64_t)((uint32_t)(int32_t)(off) << 2))
#define CAPNP_STRUCT_PTR(off, data_words, ptrs)                                \
	(CAPNP_PTR_OFFSET_FIELD(off) |                                         \
	 (uint64_t)(uint16_t)(data_words) << 32 |                              \
	 (uint64_t)(uint16_t)(ptrs) << 48)
#define CAPNP_LIST_PTR(off, esize, count)                                      \
	(CAPNP_PTR_OFFSET_FIELD(off) | 1u | (uint64_t)((esize)&7) << 32 |      \
	 (uint64_t)(count) << 35)
#define CAPNP_FAR_PTR(double_far, pad_word, seg)                               \
	(2u | (uint64_t) !!(double_far) << 2 |                                 \
	 (uint64_t)((pad_word)&0x1fffffffu) << 3 | (uint64_t)(seg) << 32)
#define CAPNP_CAP_PTR(index) (3u | (uint64_t)(index) << 32)

static inline uint64_t
capnp_load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
capnp_store64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline enum capnp_kind
capnp_ptr_kind(uint64_t w)
{
	return (enum capnp_kind)(w & 3);
}

/* Signed word offset of a struct or list pointer (arithmetic shift). */
static inline int32_t
capnp_ptr_offset(uint64_t w)
{
	return (int32_t)(uint32_t)w >> 2;
}

/* Replaces the offset field, keeping kind and the upper half. */
static inline uint64_t
capnp_ptr_with_offset(uint64_t w, int32_t off)
{
	return (w & 0xffffffff00000003ull) | CAPNP_PTR_OFFSET_FIELD(off);
}

static inline uint64_t
capnp_struct_ptr(int32_t off, uint16_t data_words, uint16_t ptrs)
{
	return CAPNP_STRUCT_PTR(off, data_words, ptrs);
}

static inline uint16_t
capnp_struct_ptr_data_words(uint64_t w)
{
	return (uint16_t)(w >> 32);
}

static inline uint16_t
capnp_struct_ptr_ptrs(uint64_t w)
{
	return (uint16_t)(w >> 48);
}

/* count is the element count, or the word count for composite lists. */
static inline uint64_t
capnp_list_ptr(int32_t off, enum capnp_esize esize, uint32_t count)
{
	return CAPNP_LIST_PTR(off, esize, count);
}

static inline enum capnp_esize
capnp_list_ptr_esize(uint64_t w)
{
	return (enum capnp_esize)(w >> 32 & 7);
}

static inline uint32_t
capnp_list_ptr_count(uint64_t w)
{
	return (uint32_t)(w >> 35);
}

/*
 * Composite lists start with a tag word shaped like a struct pointer whose
 * offset field holds the element count.
 */
static inline uint32_t
capnp_tag_count(uint64_t w)
{
	return (uint32_t)w >> 2;
}

static inline uint64_t
capnp_far_ptr(bool double_far, uint32_t pad_word, uint32_t seg)
{
	return CAPNP_FAR_PTR(double_far, pad_word, seg);
}

static inline bool
capnp_far_is_double(uint64_t w)
{
	return (w >> 2 & 1) != 0;
}

static inline uint32_t
capnp_far_pad(uint64_t w)
{
	return (uint32_t)w >> 3;
}

static inline uint32_t
capnp_far_seg(uint64_t w)
{
	return (uint32_t)(w >> 32);
}

static inline uint64_t
capnp_cap_ptr(uint32_t index)
{
	return CAPNP_CAP_PTR(index);
}

/* A struct pointer with no content still must not read as null. */
#define CAPNP_EMPTY_STRUCT_PTR 0xfffffffcull

/* Bits one element of a non-composite list occupies, by element size. */
static inline uint32_t
capnp_esize_bits(enum capnp_esize esize)
{
	static const uint8_t bits[8] = {0, 1, 8, 16, 32, 64, 64, 0};

	return bits[esize & 7];
}

#endif
