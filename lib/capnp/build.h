/*
 * Building Cap'n Proto messages in a caller's buffer.
 *
 * The builder carves segments out of one caller-provided buffer: with
 * seg_words == 0 the whole buffer is segment 0; otherwise each segment holds
 * seg_words words (more if one object needs it) and an object that does
 * not fit where its pointer lives goes to another segment behind a far
 * pointer: a single-far one when its one-word landing pad fits just
 * before it, a double-far one (a two-word pad in yet another segment)
 * when the object only just fits in the newest segment.  When
 * the buffer or the segment table is full the builder records
 * CAPNP_ERR_NOSPACE / CAPNP_ERR_SEGMENTS and every later operation is a
 * no-op; a caller builds the whole message and checks
 * capnp_builder_error() once.  Nothing is written outside the buffer.
 *
 * Struct and list builders are small values passed by value.  A pointer
 * slot (struct capnp_slot) is a struct's pointer field or an element of a
 * pointer list; initialising a slot twice leaves the first object as
 * unreachable garbage in the buffer.
 */
#ifndef CAPNP_BUILD_H
#define CAPNP_BUILD_H

#include "capnp/read.h"

/* Testing aid: route every pointer through a double-far landing pad. */
#define CAPNP_BUILD_DOUBLE_FAR 1u

struct capnp_bseg {
	uint8_t *base;
	uint32_t used; /* words */
	uint32_t cap;  /* words */
};

/*
 * Segments are carved from buf in order, each right after the previous
 * one.  Segments 0 to CAPNP_BUILD_INLINE_SEGMENTS - 1 are described in
 * seg[].  When a message needs more, a table of CAPNP_BUILD_MAX_SEGMENTS
 * entries is carved from the end of buf (8 KiB, aligned) and ext points
 * at it: ext[i].base and ext[i].words (the words used) describe segment
 * i >= CAPNP_BUILD_INLINE_SEGMENTS, whose capacity reaches to the next
 * segment's base (or to the end of what is carved).  A reader of the
 * built message (capnp_builder_to_msg) uses that table in place.
 */
struct capnp_builder {
	uint8_t *buf;
	size_t buf_words; /* usable words: the table, if any, lies beyond */
	size_t carved;    /* words of buf handed to segments */
	uint32_t seg_words;
	uint32_t nseg;
	unsigned flags;
	int err;
	struct capnp_seg *ext;
	struct capnp_bseg seg[CAPNP_BUILD_INLINE_SEGMENTS];
};

struct capnp_struct_builder {
	struct capnp_builder *b;
	uint8_t *data;
	uint8_t *ptrs;
	uint32_t seg;
	uint32_t data_bytes;
	uint16_t nptrs;
};

struct capnp_list_builder {
	struct capnp_builder *b;
	uint8_t *ptr;
	uint32_t seg;
	uint32_t len;
	uint32_t step_bits;
	uint32_t data_bits;
	uint16_t nptrs;
	uint8_t esize;
};

struct capnp_slot {
	struct capnp_builder *b;
	uint32_t seg;
	uint8_t *p; /* NULL: writes are dropped */
};

/*
 * Starts a message in buf (bytes / 8 words are used; buf needs no
 * particular alignment).  Returns CAPNP_OK or CAPNP_ERR_NOSPACE.
 */
int capnp_builder_init(struct capnp_builder *b, void *buf, size_t bytes,
                       uint32_t seg_words);

/*
 * Prepares a message in buf without writing it: the first segment and
 * its root pointer are set up when the root is first asked for
 * (capnp_builder_root, capnp_builder_init_root), with the same outcome as
 * capnp_builder_init then.  Until that the builder has no segment
 * (capnp_builder_words is 0; capnp_frame_write refuses it).  For a server
 * that prepares results for every call although most answers are empty:
 * this is a few stores.
 */
static inline void
capnp_builder_init_lazy(struct capnp_builder *b, void *buf, size_t bytes,
                        uint32_t seg_words)
{
	b->buf = (uint8_t *)buf;
	b->buf_words = bytes / 8;
	b->carved = 0;
	b->seg_words = seg_words;
	b->nseg = 0;
	b->flags = 0;
	b->err = CAPNP_OK;
	b->ext = NULL;
}

void capnp_builder_fail(struct capnp_builder *b, int err);

static inline int
capnp_builder_error(const struct capnp_builder *b)
{
	return b->err;
}

/* Words used so far in all segments. */
size_t capnp_builder_words(const struct capnp_builder *b);

/* Segment i (< b->nseg) as built so far: its base and the words used. */
struct capnp_seg capnp_builder_segment(const struct capnp_builder *b,
                                       uint32_t i);

/* Reads the message built so far (segments stay in the caller's buffer). */
int capnp_builder_to_msg(const struct capnp_builder *b, struct capnp_msg *m);

struct capnp_slot capnp_builder_root(struct capnp_builder *b);
struct capnp_struct_builder capnp_builder_init_root(struct capnp_builder *b,
                                                    uint16_t data_words,
                                                    uint16_t ptrs);

struct capnp_slot capnp_bfield(struct capnp_struct_builder sb, uint16_t index);
struct capnp_slot capnp_belem(struct capnp_list_builder lb, uint32_t i);
struct capnp_struct_builder capnp_belem_struct(struct capnp_list_builder lb,
                                               uint32_t i);

struct capnp_struct_builder capnp_slot_init_struct(struct capnp_slot sl,
                                                   uint16_t data_words,
                                                   uint16_t ptrs);
/* A list of n elements of size esize (not COMPOSITE). */
struct capnp_list_builder
capnp_slot_init_list(struct capnp_slot sl, enum capnp_esize esize, uint32_t n);
/* A list of n structs (always encoded as a composite list). */
struct capnp_list_builder capnp_slot_init_struct_list(struct capnp_slot sl,
                                                      uint32_t n,
                                                      uint16_t data_words,
                                                      uint16_t ptrs);
void capnp_slot_set_text(struct capnp_slot sl, const char *s, size_t len);
void capnp_slot_set_data(struct capnp_slot sl, const void *p, size_t len);
void capnp_slot_set_cap(struct capnp_slot sl, uint32_t index);
void capnp_slot_set_null(struct capnp_slot sl);
/* Deep-copies a value read from any message (bounded by its limits). */
void capnp_slot_copy(struct capnp_slot sl, const struct capnp_ptr *src);
/*
 * The same in canonical form (docs/capnp.md): into a builder of one
 * segment (seg_words 0) whose slot is the next thing allocated, the
 * words are those of `capnp convert binary:canonical`.  A capability
 * fails with CAPNP_ERR_CAP.
 */
void capnp_slot_copy_canonical(struct capnp_slot sl,
                               const struct capnp_ptr *src);
/*
 * Writes the canonical form of m's root struct to out: one unframed
 * segment, *written bytes.  Fails with m's error, or the builder's
 * (CAPNP_ERR_NOSPACE when len is too small, CAPNP_ERR_CAP).
 */
int capnp_canonicalize(struct capnp_msg *m, void *out, size_t len,
                       size_t *written);

static inline void
capnp_set_bool(struct capnp_struct_builder sb, uint32_t bit, bool v)
{
	if (bit / 8 >= sb.data_bytes) {
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
		return;
	}
	sb.data[bit / 8] = (uint8_t)((sb.data[bit / 8] & ~(1u << bit % 8)) |
	                             (unsigned)v << bit % 8);
}

static inline void
capnp_set_u8(struct capnp_struct_builder sb, uint32_t off, uint8_t v)
{
	if ((uint64_t)off + 1 > sb.data_bytes) {
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
		return;
	}
	sb.data[off] = v;
}

static inline void
capnp_set_u16(struct capnp_struct_builder sb, uint32_t off, uint16_t v)
{
	if ((uint64_t)off + 2 > sb.data_bytes) {
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
		return;
	}
	memcpy(sb.data + off, &v, sizeof(v));
}

static inline void
capnp_set_u32(struct capnp_struct_builder sb, uint32_t off, uint32_t v)
{
	if ((uint64_t)off + 4 > sb.data_bytes) {
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
		return;
	}
	memcpy(sb.data + off, &v, sizeof(v));
}

static inline void
capnp_set_u64(struct capnp_struct_builder sb, uint32_t off, uint64_t v)
{
	if ((uint64_t)off + 8 > sb.data_bytes) {
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
		return;
	}
	memcpy(sb.data + off, &v, sizeof(v));
}

void capnp_belem_set_bool(struct capnp_list_builder lb, uint32_t i, bool v);
void capnp_belem_set_u8(struct capnp_list_builder lb, uint32_t i, uint8_t v);
void capnp_belem_set_u16(struct capnp_list_builder lb, uint32_t i, uint16_t v);
void capnp_belem_set_u32(struct capnp_list_builder lb, uint32_t i, uint32_t v);
void capnp_belem_set_u64(struct capnp_list_builder lb, uint32_t i, uint64_t v);

static inline uint32_t
capnp_blist_len(struct capnp_list_builder lb)
{
	return lb.len;
}

#endif
