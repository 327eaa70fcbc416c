/*
 * Reading Cap'n Proto messages.
 *
 * A struct capnp_msg holds the segment table, the remaining traversal
 * budget and a sticky error.  Readers (struct capnp_struct, struct
 * capnp_list) are small values that point into the segments; they are
 * passed by value and stay valid as long as the segments do.
 *
 * Following a pointer checks it against its segment, charges the words it
 * covers to the traversal budget and one level of nesting; any failure
 * records the first error in the message and yields the default (a null
 * struct, an empty list, empty text), exactly like a null pointer.  So a
 * caller reads every field it needs and checks capnp_msg_error() once.
 */
#ifndef CAPNP_READ_H
#define CAPNP_READ_H

#include "capnp/types.h"

struct capnp_msg {
	uint32_t nseg;
	int err;
	uint64_t budget; /* traversal words left */
	int nesting;     /* depth allowed below the root pointer */
	/*
	 * Segments 0 to CAPNP_INLINE_SEGMENTS - 1 are in seg[].  Later ones
	 * are in the caller's table (capnp_msg_init_segments), or are found
	 * from the frame: sizes holds each segment's u32 size in words,
	 * body is segment 0's first byte, and mark[k] is the word offset
	 * from body of segment k * CAPNP_INLINE_SEGMENTS, so a lookup adds
	 * at most CAPNP_INLINE_SEGMENTS - 1 sizes.
	 */
	const struct capnp_seg *table;
	const uint8_t *sizes;
	const uint8_t *body;
	uint64_t mark[CAPNP_MAX_SEGMENTS / CAPNP_INLINE_SEGMENTS];
	struct capnp_seg seg[CAPNP_INLINE_SEGMENTS];
};

/* A struct being read; data and pointer sections may be empty. */
struct capnp_struct {
	struct capnp_msg *msg; /* NULL for a schema default */
	struct capnp_seg seg;  /* the segment it lies in */
	const uint8_t *data;
	const uint8_t *ptrs;
	uint32_t data_bytes;
	uint16_t nptrs;
	int16_t nesting;
};

/*
 * A list being read.  Element i starts at bit i * step_bits from ptr; it
 * has data_bits of data followed by nptrs pointers.  A primitive list reads
 * as a list of one-field structs and a struct list as a list of its first
 * field, which is how the encoding allows schemas to evolve.
 */
struct capnp_list {
	struct capnp_msg *msg;
	struct capnp_seg seg;
	const uint8_t *ptr;
	uint32_t len;
	uint32_t step_bits;
	uint32_t data_bits;
	uint16_t nptrs;
	uint8_t esize;
	int16_t nesting;
};

/* Where a pointer lives: a struct's pointer field or a list element. */
struct capnp_ref {
	struct capnp_msg *msg;
	struct capnp_seg seg;
	const uint8_t *p; /* NULL: reads as a null pointer */
	int nesting;
};

enum capnp_ptr_type {
	CAPNP_PTR_NULL,
	CAPNP_PTR_STRUCT,
	CAPNP_PTR_LIST,
	CAPNP_PTR_CAP,
};

/* Any pointer, decoded. */
struct capnp_ptr {
	enum capnp_ptr_type type;
	union {
		struct capnp_struct s;
		struct capnp_list l;
		uint32_t cap;
	} u;
};

/*
 * Message set-up.  _frame parses the stream framing (segment table) at the
 * start of buf; *used (may be NULL) gets the framed message's length so a
 * stream can go on.  _segment reads one unframed segment of bytes / 8
 * words.  _segments copies a caller's segment table (its first
 * CAPNP_INLINE_SEGMENTS entries; a longer table is used in place and must
 * outlive the message).  The segments are not copied and must outlive
 * every reader.  A message needs a root pointer: an empty first segment
 * is refused with CAPNP_ERR_ROOT, as the reference implementation does.
 */
int capnp_msg_init_frame(struct capnp_msg *m, const void *buf, size_t len,
                         size_t *used);
int capnp_msg_init_segments(struct capnp_msg *m, const struct capnp_seg *segs,
                            uint32_t nseg);

/* An empty message with the default limits (for the runtime's own use). */
static inline void
capnp_msg_reset(struct capnp_msg *m)
{
	m->nseg = 0;
	m->err = CAPNP_OK;
	m->budget = CAPNP_DEFAULT_TRAVERSAL_WORDS;
	m->nesting = CAPNP_DEFAULT_NESTING;
	m->table = NULL;
	m->sizes = NULL;
	m->body = NULL;
}

/* Inline, as the next two, because a server opens a message per call. */
static inline int
capnp_msg_init_segment(struct capnp_msg *m, const void *buf, size_t bytes)
{
	capnp_msg_reset(m);
	if (bytes % 8 != 0 || bytes / 8 > UINT32_MAX) {
		m->err = CAPNP_ERR_FRAME;
		return m->err;
	}
	if (bytes == 0) {
		m->err = CAPNP_ERR_ROOT;
		return m->err;
	}
	m->seg[0].base = buf;
	m->seg[0].words = (uint32_t)(bytes / 8);
	m->nseg = 1;
	return CAPNP_OK;
}

static inline void
capnp_msg_set_limits(struct capnp_msg *m, uint64_t traversal_words, int nesting)
{
	m->budget = traversal_words;
	if (nesting < 0)
		nesting = 0;
	if (nesting > INT16_MAX)
		nesting = INT16_MAX;
	m->nesting = nesting;
}

static inline int
capnp_msg_error(const struct capnp_msg *m)
{
	return m->err;
}

void capnp_msg_fail(struct capnp_msg *m, int err);

/* The root pointer: segment 0, word 0. */
struct capnp_ref capnp_msg_root_ref(struct capnp_msg *m);
struct capnp_struct capnp_msg_root(struct capnp_msg *m);

/*
 * Pointer accessors.  The _default forms read a value from def (a segment
 * whose word 0 is a root pointer, produced by the generator from the
 * schema) when the pointer is null or invalid.  Reading a default is not
 * charged to the message's traversal budget; readers into a default have
 * msg NULL.
 */
struct capnp_ref capnp_field(struct capnp_struct s, uint16_t index);
bool capnp_ref_is_null(struct capnp_ref r);
struct capnp_struct capnp_ref_struct(struct capnp_ref r);
struct capnp_struct capnp_ref_struct_default(struct capnp_ref r,
                                             const struct capnp_seg *def);
struct capnp_list capnp_ref_list(struct capnp_ref r, enum capnp_esize want);
struct capnp_list capnp_ref_list_default(struct capnp_ref r,
                                         enum capnp_esize want,
                                         const struct capnp_seg *def);
struct capnp_text capnp_ref_text(struct capnp_ref r);
struct capnp_text capnp_ref_text_default(struct capnp_ref r, const char *def,
                                         uint32_t len);
struct capnp_data capnp_ref_data(struct capnp_ref r);
struct capnp_data capnp_ref_data_default(struct capnp_ref r, const uint8_t *def,
                                         uint32_t len);
uint32_t capnp_ref_cap(struct capnp_ref r);
struct capnp_ptr capnp_ref_any(struct capnp_ref r);

/* List elements. */
struct capnp_ref capnp_elem(struct capnp_list l, uint32_t i);
struct capnp_struct capnp_elem_struct(struct capnp_list l, uint32_t i);
bool capnp_elem_bool(struct capnp_list l, uint32_t i);
uint8_t capnp_elem_u8(struct capnp_list l, uint32_t i);
uint16_t capnp_elem_u16(struct capnp_list l, uint32_t i);
uint32_t capnp_elem_u32(struct capnp_list l, uint32_t i);
uint64_t capnp_elem_u64(struct capnp_list l, uint32_t i);

static inline uint32_t
capnp_list_len(struct capnp_list l)
{
	return l.len;
}

/*
 * Data fields by byte offset (bools by bit offset).  A field beyond the
 * data section reads as 0, which is how older messages give newer fields
 * their default; generated code XORs the schema default in.
 */
static inline bool
capnp_get_bool(struct capnp_struct s, uint32_t bit)
{
	if (bit / 8 >= s.data_bytes)
		return false;
	return (s.data[bit / 8] >> (bit % 8) & 1) != 0;
}

static inline uint8_t
capnp_get_u8(struct capnp_struct s, uint32_t off)
{
	if ((uint64_t)off + 1 > s.data_bytes)
		return 0;
	return s.data[off];
}

static inline uint16_t
capnp_get_u16(struct capnp_struct s, uint32_t off)
{
	uint16_t v;

	if ((uint64_t)off + 2 > s.data_bytes)
		return 0;
	memcpy(&v, s.data + off, sizeof(v));
	return v;
}

static inline uint32_t
capnp_get_u32(struct capnp_struct s, uint32_t off)
{
	uint32_t v;

	if ((uint64_t)off + 4 > s.data_bytes)
		return 0;
	memcpy(&v, s.data + off, sizeof(v));
	return v;
}

static inline uint64_t
capnp_get_u64(struct capnp_struct s, uint32_t off)
{
	uint64_t v;

	if ((uint64_t)off + 8 > s.data_bytes)
		return 0;
	memcpy(&v, s.data + off, sizeof(v));
	return v;
}

#if CAPNP_HAVE_FLOAT
static inline float
capnp_f32_from_bits(uint32_t bits)
{
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

static inline double
capnp_f64_from_bits(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static inline uint32_t
capnp_f32_to_bits(float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

static inline uint64_t
capnp_f64_to_bits(double d)
{
	uint64_t bits;

	memcpy(&bits, &d, sizeof(bits));
	return bits;
}
#endif

#endif
