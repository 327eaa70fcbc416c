/*
 * Building Cap'n Proto messages: the arena of segments carved from the
 * caller's buffer, pointer placement (near, far, double-far) and the
 * struct, list and blob initialisers.
 */
#include "capnp/build.h"
#include "capnp/wire.h"

#define NO_SEG UINT32_MAX

void
capnp_builder_fail(struct capnp_builder *b, int err)
{
	if (b != NULL && b->err == CAPNP_OK)
		b->err = err;
}

static uint8_t *
seg_base(const struct capnp_builder *b, uint32_t seg)
{
	if (seg < CAPNP_BUILD_INLINE_SEGMENTS)
		return b->seg[seg].base;
	return (uint8_t *)b->ext[seg].base;
}

static uint32_t
seg_used(const struct capnp_builder *b, uint32_t seg)
{
	if (seg < CAPNP_BUILD_INLINE_SEGMENTS)
		return b->seg[seg].used;
	return b->ext[seg].words;
}

/* Segments lie back to back: one ends where the next one starts. */
static uint32_t
seg_cap(const struct capnp_builder *b, uint32_t seg)
{
	const uint8_t *end;

	if (seg < CAPNP_BUILD_INLINE_SEGMENTS)
		return b->seg[seg].cap;
	if (seg + 1 < b->nseg)
		end = b->ext[seg + 1].base;
	else
		end = b->buf + b->carved * 8;
	return (uint32_t)((size_t)(end - b->ext[seg].base) / 8);
}

static void
seg_set_used(struct capnp_builder *b, uint32_t seg, uint32_t used)
{
	if (seg < CAPNP_BUILD_INLINE_SEGMENTS)
		b->seg[seg].used = used;
	else
		b->ext[seg].words = used;
}

static uint8_t *
word_at(struct capnp_builder *b, uint32_t seg, uint32_t off)
{
	return seg_base(b, seg) + (size_t)off * 8;
}

static bool
seg_fits(const struct capnp_builder *b, uint32_t seg, uint32_t words)
{
	return seg_cap(b, seg) - seg_used(b, seg) >= words;
}

/* Takes words from segment seg, zeroed (the caller's buffer may be dirty). */
static bool
seg_take(struct capnp_builder *b, uint32_t seg, uint32_t words, uint32_t *off)
{
	uint32_t used = seg_used(b, seg);

	if (!seg_fits(b, seg, words))
		return false;
	*off = used;
	seg_set_used(b, seg, used + words);
	memset(word_at(b, seg, *off), 0, (size_t)words * 8);
	return true;
}

/*
 * The table of segments past the inline ones, carved from the end of the
 * buffer the first time it is needed.
 */
static bool
carve_table(struct capnp_builder *b)
{
	const size_t bytes =
	    CAPNP_BUILD_MAX_SEGMENTS * sizeof(struct capnp_seg);
	uintptr_t end = (uintptr_t)b->buf + b->buf_words * 8, at;

	if (end - (uintptr_t)b->buf < bytes + _Alignof(struct capnp_seg))
		return false;
	at = (end - bytes) & ~(uintptr_t)(_Alignof(struct capnp_seg) - 1);
	if (at < (uintptr_t)b->buf + b->carved * 8)
		return false;
	b->ext = (struct capnp_seg *)at;
	b->buf_words = (at - (uintptr_t)b->buf) / 8;
	return true;
}

static bool
new_seg(struct capnp_builder *b, uint32_t words, uint32_t *seg)
{
	size_t left, cap;

	if (b->seg_words == 0) {
		capnp_builder_fail(b, CAPNP_ERR_NOSPACE);
		return false;
	}
	if (b->nseg == CAPNP_BUILD_MAX_SEGMENTS) {
		capnp_builder_fail(b, CAPNP_ERR_SEGMENTS);
		return false;
	}
	if (b->nseg == CAPNP_BUILD_INLINE_SEGMENTS && !carve_table(b)) {
		capnp_builder_fail(b, CAPNP_ERR_NOSPACE);
		return false;
	}
	left = b->buf_words - b->carved;
	cap = b->seg_words > words ? b->seg_words : words;
	if (words > left) {
		capnp_builder_fail(b, CAPNP_ERR_NOSPACE);
		return false;
	}
	if (cap > left)
		cap = left;
	if (cap > CAPNP_MAX_SEGMENT_WORDS)
		cap = CAPNP_MAX_SEGMENT_WORDS;
	*seg = b->nseg++;
	if (*seg < CAPNP_BUILD_INLINE_SEGMENTS) {
		b->seg[*seg].base = b->buf + b->carved * 8;
		b->seg[*seg].used = 0;
		b->seg[*seg].cap = (uint32_t)cap;
	} else {
		b->ext[*seg].base = b->buf + b->carved * 8;
		b->ext[*seg].words = 0;
	}
	b->carved += cap;
	return true;
}

/* Takes words from the newest segment unless it is `avoid`, else a new one. */
static bool
take_elsewhere(struct capnp_builder *b, uint32_t words, uint32_t avoid,
               uint32_t *seg, uint32_t *off)
{
	uint32_t last = b->nseg - 1;

	if (last != avoid && seg_take(b, last, words, off)) {
		*seg = last;
		return true;
	}
	if (!new_seg(b, words, seg))
		return false;
	return seg_take(b, *seg, words, off);
}

/* The first segment, at the start of buf, and the root pointer in it. */
static int
builder_start(struct capnp_builder *b)
{
	size_t first = b->buf_words;
	uint32_t root;

	if (b->seg_words != 0 && b->seg_words < first)
		first = b->seg_words;
	if (first > CAPNP_MAX_SEGMENT_WORDS)
		first = CAPNP_MAX_SEGMENT_WORDS;
	if (first == 0) {
		b->err = CAPNP_ERR_NOSPACE;
		return b->err;
	}
	b->seg[0].base = b->buf;
	b->seg[0].used = 0;
	b->seg[0].cap = (uint32_t)first;
	b->carved = first;
	b->nseg = 1;
	seg_take(b, 0, 1, &root);
	return CAPNP_OK;
}

int
capnp_builder_init(struct capnp_builder *b, void *buf, size_t bytes,
                   uint32_t seg_words)
{
	capnp_builder_init_lazy(b, buf, bytes, seg_words);
	return builder_start(b);
}

struct capnp_seg
capnp_builder_segment(const struct capnp_builder *b, uint32_t i)
{
	struct capnp_seg s = {NULL, 0};

	if (i < b->nseg) {
		s.base = seg_base(b, i);
		s.words = seg_used(b, i);
	}
	return s;
}

size_t
capnp_builder_words(const struct capnp_builder *b)
{
	size_t words = 0;
	uint32_t i;

	for (i = 0; i < b->nseg; i++)
		words += seg_used(b, i);
	return words;
}

/*
 * Up to CAPNP_BUILD_INLINE_SEGMENTS segments go into the message's own
 * table; past that the buffer's table is completed and used in place.
 */
int
capnp_builder_to_msg(const struct capnp_builder *b, struct capnp_msg *m)
{
	struct capnp_seg segs[CAPNP_BUILD_INLINE_SEGMENTS];
	struct capnp_seg *table = segs;
	uint32_t i;

	if (b->nseg > CAPNP_BUILD_INLINE_SEGMENTS)
		table = b->ext;
	for (i = 0; i < b->nseg && i < CAPNP_BUILD_INLINE_SEGMENTS; i++) {
		table[i].base = b->seg[i].base;
		table[i].words = b->seg[i].used;
	}
	return capnp_msg_init_segments(m, table, b->nseg);
}

struct capnp_slot
capnp_builder_root(struct capnp_builder *b)
{
	struct capnp_slot sl = {b, 0, NULL};

	if (b->nseg == 0 && b->err == CAPNP_OK)
		builder_start(b); /* prepared by capnp_builder_init_lazy */
	if (b->nseg > 0)
		sl.p = seg_base(b, 0);
	return sl;
}

struct capnp_struct_builder
capnp_builder_init_root(struct capnp_builder *b, uint16_t data_words,
                        uint16_t ptrs)
{
	return capnp_slot_init_struct(capnp_builder_root(b), data_words, ptrs);
}

/*
 * Allocates `words` for the object a slot will point to and writes the
 * pointer to it; tag is that pointer with offset 0.  In order of
 * preference the object goes:
 *
 *   - into the slot's own segment: a near pointer;
 *   - into the newest segment after a one-word landing pad: a far pointer;
 *   - into the newest segment when only the object fits there, its
 *     two-word landing pad elsewhere: a double-far pointer;
 *   - into a new segment after a one-word landing pad: a far pointer.
 *
 * With CAPNP_BUILD_DOUBLE_FAR every object is reached through a two-word
 * pad instead.
 */
static uint8_t *
place(struct capnp_slot sl, uint64_t tag, uint32_t words, uint32_t *oseg)
{
	struct capnp_builder *b = sl.b;
	uint32_t at, seg, off, padseg, padoff, last;

	if (sl.p == NULL || b->err != CAPNP_OK)
		return NULL;
	at = (uint32_t)((size_t)(sl.p - seg_base(b, sl.seg)) / 8);
	last = b->nseg - 1;
	if ((b->flags & CAPNP_BUILD_DOUBLE_FAR) != 0) {
		if (!take_elsewhere(b, words, NO_SEG, &seg, &off))
			return NULL;
	} else if (seg_take(b, sl.seg, words, &off)) {
		capnp_store64(sl.p, capnp_ptr_with_offset(
		                        tag, (int32_t)off - (int32_t)at - 1));
		*oseg = sl.seg;
		return word_at(b, sl.seg, off);
	} else if (last != sl.seg && !seg_fits(b, last, words + 1) &&
	           seg_take(b, last, words, &off)) {
		/* Only the object fits there: its pad goes elsewhere. */
		seg = last;
	} else {
		if (!take_elsewhere(b, words + 1, sl.seg, &seg, &off))
			return NULL;
		capnp_store64(word_at(b, seg, off), tag);
		capnp_store64(sl.p, capnp_far_ptr(false, off, seg));
		*oseg = seg;
		return word_at(b, seg, off + 1);
	}
	if (!take_elsewhere(b, 2, NO_SEG, &padseg, &padoff))
		return NULL;
	capnp_store64(word_at(b, padseg, padoff),
	              capnp_far_ptr(false, off, seg));
	capnp_store64(word_at(b, padseg, padoff) + 8, tag);
	capnp_store64(sl.p, capnp_far_ptr(true, padoff, padseg));
	*oseg = seg;
	return word_at(b, seg, off);
}

struct capnp_struct_builder
capnp_slot_init_struct(struct capnp_slot sl, uint16_t data_words, uint16_t ptrs)
{
	struct capnp_struct_builder sb = {sl.b, NULL, NULL, 0, 0, 0};
	uint32_t words = (uint32_t)data_words + ptrs;
	uint8_t *obj;

	if (sl.p == NULL || sl.b->err != CAPNP_OK)
		return sb;
	if (words == 0) {
		/* Offset -1 keeps the pointer distinct from null. */
		capnp_store64(sl.p, CAPNP_EMPTY_STRUCT_PTR);
		return sb;
	}
	obj = place(sl, capnp_struct_ptr(0, data_words, ptrs), words, &sb.seg);
	if (obj == NULL)
		return sb;
	sb.data = obj;
	sb.data_bytes = (uint32_t)data_words * 8;
	sb.ptrs = obj + sb.data_bytes;
	sb.nptrs = ptrs;
	return sb;
}

struct capnp_list_builder
capnp_slot_init_list(struct capnp_slot sl, enum capnp_esize esize, uint32_t n)
{
	struct capnp_list_builder lb = {sl.b, NULL, 0, 0, 0, 0, 0, 0};
	uint32_t bits = capnp_esize_bits(esize);
	uint8_t *obj;

	if (sl.p == NULL)
		return lb;
	if (esize == CAPNP_ESIZE_COMPOSITE || n > CAPNP_MAX_LIST_ELEMENTS) {
		capnp_builder_fail(sl.b, CAPNP_ERR_RANGE);
		return lb;
	}
	obj = place(sl, capnp_list_ptr(0, esize, n),
	            (uint32_t)(((uint64_t)n * bits + 63) / 64), &lb.seg);
	if (obj == NULL)
		return lb;
	lb.ptr = obj;
	lb.len = n;
	lb.step_bits = bits;
	lb.esize = (uint8_t)esize;
	if (esize == CAPNP_ESIZE_POINTER) {
		lb.nptrs = 1;
	} else {
		lb.data_bits = bits;
	}
	return lb;
}

struct capnp_list_builder
capnp_slot_init_struct_list(struct capnp_slot sl, uint32_t n,
                            uint16_t data_words, uint16_t ptrs)
{
	struct capnp_list_builder lb = {sl.b, NULL, 0, 0, 0, 0, 0, 0};
	uint64_t per = (uint64_t)data_words + ptrs;
	uint8_t *obj;

	if (sl.p == NULL)
		return lb;
	if (n > CAPNP_MAX_LIST_ELEMENTS || n * per > CAPNP_MAX_LIST_ELEMENTS) {
		capnp_builder_fail(sl.b, CAPNP_ERR_RANGE);
		return lb;
	}
	obj = place(
	    sl, capnp_list_ptr(0, CAPNP_ESIZE_COMPOSITE, (uint32_t)(n * per)),
	    (uint32_t)(1 + n * per), &lb.seg);
	if (obj == NULL)
		return lb;
	/* The tag's offset field carries the element count. */
	capnp_store64(obj, capnp_struct_ptr((int32_t)n, data_words, ptrs));
	lb.ptr = obj + 8;
	lb.len = n;
	lb.step_bits = (uint32_t)(per * 64);
	lb.data_bits = (uint32_t)data_words * 64;
	lb.nptrs = ptrs;
	lb.esize = CAPNP_ESIZE_COMPOSITE;
	return lb;
}

static uint8_t *
init_bytes(struct capnp_slot sl, size_t n)
{
	uint32_t seg;

	if (sl.p == NULL)
		return NULL;
	if (n > CAPNP_MAX_LIST_ELEMENTS) {
		capnp_builder_fail(sl.b, CAPNP_ERR_RANGE);
		return NULL;
	}
	return place(sl, capnp_list_ptr(0, CAPNP_ESIZE_BYTE, (uint32_t)n),
	             (uint32_t)((n + 7) / 8), &seg);
}

void
capnp_slot_set_text(struct capnp_slot sl, const char *s, size_t len)
{
	uint8_t *p;

	if (len >= CAPNP_MAX_LIST_ELEMENTS) {
		capnp_builder_fail(sl.b, CAPNP_ERR_RANGE);
		return;
	}
	/* The NUL terminator is part of the encoded text. */
	p = init_bytes(sl, len + 1);
	if (p != NULL && len > 0)
		memcpy(p, s, len);
}

void
capnp_slot_set_data(struct capnp_slot sl, const void *data, size_t len)
{
	uint8_t *p = init_bytes(sl, len);

	if (p != NULL && len > 0)
		memcpy(p, data, len);
}

void
capnp_slot_set_cap(struct capnp_slot sl, uint32_t index)
{
	if (sl.p != NULL && sl.b->err == CAPNP_OK)
		capnp_store64(sl.p, capnp_cap_ptr(index));
}

void
capnp_slot_set_null(struct capnp_slot sl)
{
	if (sl.p != NULL && sl.b->err == CAPNP_OK)
		capnp_store64(sl.p, 0);
}

struct capnp_slot
capnp_bfield(struct capnp_struct_builder sb, uint16_t index)
{
	struct capnp_slot sl = {sb.b, sb.seg, NULL};

	if (index < sb.nptrs)
		sl.p = sb.ptrs + (size_t)index * 8;
	else if (sb.data != NULL || sb.ptrs != NULL)
		capnp_builder_fail(sb.b, CAPNP_ERR_RANGE);
	return sl;
}

/* List elements. */

static uint8_t *
belem_at(const struct capnp_list_builder *lb, uint32_t i, uint32_t bits)
{
	if (i >= lb->len || lb->data_bits < bits) {
		capnp_builder_fail(lb->b, CAPNP_ERR_RANGE);
		return NULL;
	}
	return lb->ptr + (size_t)((uint64_t)i * lb->step_bits / 8);
}

struct capnp_slot
capnp_belem(struct capnp_list_builder lb, uint32_t i)
{
	struct capnp_slot sl = {lb.b, lb.seg, NULL};
	uint8_t *e = belem_at(&lb, i, 0);

	if (e == NULL)
		return sl;
	if (lb.nptrs == 0) {
		capnp_builder_fail(lb.b, CAPNP_ERR_RANGE);
		return sl;
	}
	sl.p = e + lb.data_bits / 8;
	return sl;
}

struct capnp_struct_builder
capnp_belem_struct(struct capnp_list_builder lb, uint32_t i)
{
	struct capnp_struct_builder sb = {lb.b, NULL, NULL, lb.seg, 0, 0};
	uint8_t *e = belem_at(&lb, i, 0);

	if (e == NULL || lb.esize == CAPNP_ESIZE_BIT)
		return sb;
	sb.data = e;
	sb.data_bytes = lb.data_bits / 8;
	sb.ptrs = e + sb.data_bytes;
	sb.nptrs = lb.nptrs;
	return sb;
}

void
capnp_belem_set_bool(struct capnp_list_builder lb, uint32_t i, bool v)
{
	uint64_t bit = (uint64_t)i * lb.step_bits;
	uint8_t *p;

	if (belem_at(&lb, i, 1) == NULL)
		return;
	p = lb.ptr + bit / 8;
	*p = (uint8_t)((*p & ~(1u << bit % 8)) | (unsigned)v << bit % 8);
}

void
capnp_belem_set_u8(struct capnp_list_builder lb, uint32_t i, uint8_t v)
{
	uint8_t *p = belem_at(&lb, i, 8);

	if (p != NULL)
		*p = v;
}

void
capnp_belem_set_u16(struct capnp_list_builder lb, uint32_t i, uint16_t v)
{
	uint8_t *p = belem_at(&lb, i, 16);

	if (p != NULL)
		memcpy(p, &v, sizeof(v));
}

void
capnp_belem_set_u32(struct capnp_list_builder lb, uint32_t i, uint32_t v)
{
	uint8_t *p = belem_at(&lb, i, 32);

	if (p != NULL)
		memcpy(p, &v, sizeof(v));
}

void
capnp_belem_set_u64(struct capnp_list_builder lb, uint32_t i, uint64_t v)
{
	uint8_t *p = belem_at(&lb, i, 64);

	if (p != NULL)
		memcpy(p, &v, sizeof(v));
}
