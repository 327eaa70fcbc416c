/*
 * Reading Cap'n Proto messages: following pointers with bounds checks, the
 * traversal budget and the nesting limit, then handing out readers.
 *
 * Every check is made on integer word offsets before a C pointer into the
 * segment is formed, so a hostile offset never produces an out-of-bounds
 * pointer value, not even transiently.
 */
#include "capnp/read.h"
#include "capnp/wire.h"

/* The target of a pointer once far pointers have been followed. */
struct target {
	uint64_t tag; /* struct/list pointer word describing it */
	struct capnp_seg seg;
	int64_t off; /* word offset of the content in seg */
};

void
capnp_msg_fail(struct capnp_msg *m, int err)
{
	if (m != NULL && m->err == CAPNP_OK)
		m->err = err;
}

/*
 * Charges words to the traversal budget.  Words are counted the way the
 * reference implementation counts them, including one word per element of
 * a list whose elements take no space, so a small message cannot make a
 * reader loop over a huge list.  Defaults (no message) are not charged.
 */
static bool
charge(struct capnp_msg *m, uint64_t words)
{
	if (m == NULL)
		return true;
	if (words > m->budget) {
		m->budget = 0;
		capnp_msg_fail(m, CAPNP_ERR_LIMIT);
		return false;
	}
	m->budget -= words;
	return true;
}

int
capnp_msg_init_segments(struct capnp_msg *m, const struct capnp_seg *segs,
                        uint32_t nseg)
{
	uint32_t n = nseg;

	capnp_msg_reset(m);
	if (nseg == 0 || nseg > CAPNP_MAX_SEGMENTS) {
		m->err = CAPNP_ERR_SEGMENTS;
		return m->err;
	}
	if (segs[0].words == 0) {
		m->err = CAPNP_ERR_ROOT;
		return m->err;
	}
	if (n > CAPNP_INLINE_SEGMENTS) {
		n = CAPNP_INLINE_SEGMENTS;
		m->table = segs;
	}
	memcpy(m->seg, segs, n * sizeof(*segs));
	m->nseg = nseg;
	return CAPNP_OK;
}

struct capnp_ref
capnp_msg_root_ref(struct capnp_msg *m)
{
	struct capnp_ref r = {m, {NULL, 0}, NULL, m->nesting};

	if (m->nseg > 0 && m->seg[0].words > 0) {
		r.seg = m->seg[0];
		r.p = m->seg[0].base;
	} else {
		capnp_msg_fail(m, CAPNP_ERR_ROOT);
	}
	return r;
}

struct capnp_ref
capnp_field(struct capnp_struct s, uint16_t index)
{
	struct capnp_ref r = {s.msg, s.seg, NULL, s.nesting};

	if (index < s.nptrs)
		r.p = s.ptrs + (size_t)index * 8;
	return r;
}

bool
capnp_ref_is_null(struct capnp_ref r)
{
	return r.p == NULL || capnp_load64(r.p) == 0;
}

static uint32_t
load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Segment id of the message, for a far pointer.  A default value (m NULL)
 * is one segment compiled into the program and has no far pointers.  An
 * empty segment is unknown, as in the reference implementation: nothing
 * can lie in it.
 */
static bool
seg_by_id(const struct capnp_msg *m, uint32_t id, struct capnp_seg *out)
{
	uint64_t off;
	uint32_t i;

	if (m == NULL || id >= m->nseg)
		return false;
	if (id < CAPNP_INLINE_SEGMENTS) {
		*out = m->seg[id];
	} else if (m->table != NULL) {
		*out = m->table[id];
	} else {
		i = id - id % CAPNP_INLINE_SEGMENTS;
		off = m->mark[id / CAPNP_INLINE_SEGMENTS];
		for (; i < id; i++)
			off += load32(m->sizes + 4 * (size_t)i);
		out->base = m->body + (size_t)off * 8;
		out->words = load32(m->sizes + 4 * (size_t)id);
	}
	return out->words > 0;
}

/* Resolves the pointer word at p (inside seg), following far pointers. */
static int
follow(struct capnp_msg *m, const struct capnp_seg *seg, const uint8_t *p,
       struct target *t)
{
	uint64_t w = capnp_load64(p);
	int64_t at = (int64_t)((size_t)(p - seg->base) / 8);
	struct capnp_seg ps, cs;
	const uint8_t *pad;
	uint64_t lw;
	uint32_t padw;

	if (capnp_ptr_kind(w) != CAPNP_KIND_FAR) {
		t->tag = w;
		t->seg = *seg;
		t->off = at + 1 + capnp_ptr_offset(w);
		return CAPNP_OK;
	}
	if (!seg_by_id(m, capnp_far_seg(w), &ps))
		return CAPNP_ERR_SEGMENT;
	padw = capnp_far_is_double(w) ? 2 : 1;
	if ((uint64_t)capnp_far_pad(w) + padw > ps.words)
		return CAPNP_ERR_BOUNDS;
	if (!charge(m, padw))
		return CAPNP_ERR_LIMIT;
	pad = ps.base + (size_t)capnp_far_pad(w) * 8;
	lw = capnp_load64(pad);
	if (!capnp_far_is_double(w)) {
		/* The landing pad is an ordinary pointer; no chains. */
		if (capnp_ptr_kind(lw) == CAPNP_KIND_FAR)
			return CAPNP_ERR_FAR;
		t->tag = lw;
		t->seg = ps;
		t->off = (int64_t)capnp_far_pad(w) + 1 + capnp_ptr_offset(lw);
		return CAPNP_OK;
	}
	/*
	 * Double-far: the pad's first word is a single far pointer to the
	 * content, its second word a tag describing it (offset unused).
	 */
	if (capnp_ptr_kind(lw) != CAPNP_KIND_FAR || capnp_far_is_double(lw))
		return CAPNP_ERR_FAR;
	t->tag = capnp_load64(pad + 8);
	if (capnp_ptr_kind(t->tag) == CAPNP_KIND_FAR)
		return CAPNP_ERR_FAR;
	if (!seg_by_id(m, capnp_far_seg(lw), &cs))
		return CAPNP_ERR_SEGMENT;
	t->seg = cs;
	t->off = capnp_far_pad(lw);
	return CAPNP_OK;
}

/*
 * Common start of every pointer read: null check, nesting check (for
 * structs and lists, as in the reference implementation), far pointers.
 * Returns false for null or on error (recorded in the message).  A far
 * pointer whose landing pad (or double-far tag) is a zero word is not
 * null: like the reference, the zero word is read as a struct pointer to
 * an empty struct (and refused where a list or blob is expected).
 */
static bool
deref(const struct capnp_ref *r, bool nest, struct target *t)
{
	int err;

	if (capnp_ref_is_null(*r))
		return false;
	if (nest && r->nesting <= 0) {
		capnp_msg_fail(r->msg, CAPNP_ERR_NESTING);
		return false;
	}
	err = follow(r->msg, &r->seg, r->p, t);
	if (err != CAPNP_OK) {
		capnp_msg_fail(r->msg, err);
		return false;
	}
	return true;
}

static bool
in_segment(const struct target *t, uint64_t words)
{
	return t->off >= 0 && (uint64_t)t->off + words <= t->seg.words;
}

static struct capnp_struct
empty_struct(struct capnp_msg *m, int nesting)
{
	struct capnp_struct s = {0};

	s.msg = m;
	s.nesting = (int16_t)nesting;
	return s;
}

static bool
struct_at(const struct capnp_ref *r, const struct target *t,
          struct capnp_struct *s)
{
	uint64_t dw = capnp_struct_ptr_data_words(t->tag);
	uint64_t pc = capnp_struct_ptr_ptrs(t->tag);

	if (capnp_ptr_kind(t->tag) != CAPNP_KIND_STRUCT) {
		capnp_msg_fail(r->msg, CAPNP_ERR_TYPE);
		return false;
	}
	if (!in_segment(t, dw + pc)) {
		capnp_msg_fail(r->msg, CAPNP_ERR_BOUNDS);
		return false;
	}
	if (!charge(r->msg, dw + pc))
		return false;
	s->seg = t->seg;
	s->data = t->seg.base + (size_t)t->off * 8;
	s->data_bytes = (uint32_t)(dw * 8);
	s->ptrs = s->data + dw * 8;
	s->nptrs = (uint16_t)pc;
	return true;
}

static bool
ref_struct(struct capnp_ref r, struct capnp_struct *s)
{
	struct target t;

	*s = empty_struct(r.msg, r.nesting - 1);
	if (!deref(&r, true, &t))
		return false;
	if (struct_at(&r, &t, s))
		return true;
	*s = empty_struct(r.msg, r.nesting - 1);
	return false;
}

struct capnp_struct
capnp_ref_struct(struct capnp_ref r)
{
	struct capnp_struct s;

	ref_struct(r, &s);
	return s;
}

struct capnp_struct
capnp_ref_struct_default(struct capnp_ref r, const struct capnp_seg *def)
{
	struct capnp_struct s;
	struct capnp_ref d = {NULL, *def, def->base, r.nesting};

	if (ref_struct(r, &s))
		return s;
	ref_struct(d, &s);
	return s;
}

static struct capnp_list
empty_list(struct capnp_msg *m, int nesting)
{
	struct capnp_list l = {0};

	l.msg = m;
	l.nesting = (int16_t)nesting;
	return l;
}

static bool
list_at(const struct capnp_ref *r, const struct target *t, struct capnp_list *l)
{
	enum capnp_esize es = capnp_list_ptr_esize(t->tag);
	uint64_t count = capnp_list_ptr_count(t->tag);
	uint64_t words, tag, per, n;

	if (capnp_ptr_kind(t->tag) != CAPNP_KIND_LIST) {
		capnp_msg_fail(r->msg, CAPNP_ERR_TYPE);
		return false;
	}
	if (es == CAPNP_ESIZE_COMPOSITE) {
		/* count is the element words, after a one-word tag. */
		if (!in_segment(t, 1 + count)) {
			capnp_msg_fail(r->msg, CAPNP_ERR_BOUNDS);
			return false;
		}
		if (!charge(r->msg, 1 + count))
			return false;
		tag = capnp_load64(t->seg.base + (size_t)t->off * 8);
		if (capnp_ptr_kind(tag) != CAPNP_KIND_STRUCT) {
			capnp_msg_fail(r->msg, CAPNP_ERR_TYPE);
			return false;
		}
		n = capnp_tag_count(tag);
		per = (uint64_t)capnp_struct_ptr_data_words(tag) +
		      capnp_struct_ptr_ptrs(tag);
		if (n * per > count) {
			capnp_msg_fail(r->msg, CAPNP_ERR_BOUNDS);
			return false;
		}
		if (per == 0 && !charge(r->msg, n))
			return false;
		l->ptr = t->seg.base + ((size_t)t->off + 1) * 8;
		l->len = (uint32_t)n;
		l->step_bits = (uint32_t)(per * 64);
		l->data_bits = capnp_struct_ptr_data_words(tag) * 64u;
		l->nptrs = capnp_struct_ptr_ptrs(tag);
	} else {
		words = (count * capnp_esize_bits(es) + 63) / 64;
		if (!in_segment(t, words)) {
			capnp_msg_fail(r->msg, CAPNP_ERR_BOUNDS);
			return false;
		}
		if (!charge(r->msg, words))
			return false;
		if (es == CAPNP_ESIZE_VOID && !charge(r->msg, count))
			return false;
		l->ptr = t->seg.base + (size_t)t->off * 8;
		l->len = (uint32_t)count;
		l->step_bits = capnp_esize_bits(es);
		if (es == CAPNP_ESIZE_POINTER) {
			l->data_bits = 0;
			l->nptrs = 1;
		} else {
			l->data_bits = l->step_bits;
			l->nptrs = 0;
		}
	}
	l->seg = t->seg;
	l->esize = (uint8_t)es;
	return true;
}

/*
 * Whether a list can be read as a list of `want`: the reference rules,
 * under which a list of structs can stand in for a list of its first field
 * and a primitive list for a list of one-field structs.  Bit lists mix with
 * nothing.
 */
static bool
list_compatible(const struct capnp_list *l, enum capnp_esize want)
{
	switch (want) {
	case CAPNP_ESIZE_VOID:
		return true;
	case CAPNP_ESIZE_BIT:
		return l->esize == CAPNP_ESIZE_BIT;
	case CAPNP_ESIZE_BYTE:
	case CAPNP_ESIZE_2:
	case CAPNP_ESIZE_4:
	case CAPNP_ESIZE_8:
		return l->esize != CAPNP_ESIZE_BIT &&
		       l->data_bits >= capnp_esize_bits(want);
	case CAPNP_ESIZE_POINTER:
		return l->nptrs >= 1;
	case CAPNP_ESIZE_COMPOSITE:
		return l->esize != CAPNP_ESIZE_BIT;
	}
	return false;
}

static bool
ref_list(struct capnp_ref r, enum capnp_esize want, struct capnp_list *l)
{
	struct target t;

	*l = empty_list(r.msg, r.nesting - 1);
	if (!deref(&r, true, &t))
		return false;
	if (list_at(&r, &t, l)) {
		if (list_compatible(l, want))
			return true;
		capnp_msg_fail(r.msg, CAPNP_ERR_TYPE);
	}
	*l = empty_list(r.msg, r.nesting - 1);
	return false;
}

struct capnp_list
capnp_ref_list(struct capnp_ref r, enum capnp_esize want)
{
	struct capnp_list l;

	ref_list(r, want, &l);
	return l;
}

struct capnp_list
capnp_ref_list_default(struct capnp_ref r, enum capnp_esize want,
                       const struct capnp_seg *def)
{
	struct capnp_list l;
	struct capnp_ref d = {NULL, *def, def->base, r.nesting};

	if (ref_list(r, want, &l))
		return l;
	ref_list(d, want, &l);
	return l;
}

/* A byte list; for blobs, which do not count against nesting. */
static bool
ref_bytes(struct capnp_ref r, const uint8_t **p, uint32_t *len)
{
	struct target t;
	uint32_t count;

	if (!deref(&r, false, &t))
		return false;
	if (capnp_ptr_kind(t.tag) != CAPNP_KIND_LIST ||
	    capnp_list_ptr_esize(t.tag) != CAPNP_ESIZE_BYTE) {
		capnp_msg_fail(r.msg, CAPNP_ERR_TYPE);
		return false;
	}
	count = capnp_list_ptr_count(t.tag);
	if (!in_segment(&t, ((uint64_t)count + 7) / 8)) {
		capnp_msg_fail(r.msg, CAPNP_ERR_BOUNDS);
		return false;
	}
	if (!charge(r.msg, ((uint64_t)count + 7) / 8))
		return false;
	*p = t.seg.base + (size_t)t.off * 8;
	*len = count;
	return true;
}

struct capnp_text
capnp_ref_text_default(struct capnp_ref r, const char *def, uint32_t len)
{
	struct capnp_text out = {def, len};
	const uint8_t *p;
	uint32_t n;

	if (!ref_bytes(r, &p, &n))
		return out;
	if (n == 0 || p[n - 1] != 0) {
		capnp_msg_fail(r.msg, CAPNP_ERR_TEXT);
		return out;
	}
	out.str = (const char *)p;
	out.len = n - 1;
	return out;
}

struct capnp_text
capnp_ref_text(struct capnp_ref r)
{
	return capnp_ref_text_default(r, "", 0);
}

struct capnp_data
capnp_ref_data_default(struct capnp_ref r, const uint8_t *def, uint32_t len)
{
	struct capnp_data out = {def, len};

	if (!ref_bytes(r, &out.ptr, &out.len)) {
		out.ptr = def;
		out.len = len;
	}
	return out;
}

struct capnp_data
capnp_ref_data(struct capnp_ref r)
{
	return capnp_ref_data_default(r, NULL, 0);
}

/* Capabilities are never reached through far pointers. */
uint32_t
capnp_ref_cap(struct capnp_ref r)
{
	uint64_t w;

	if (capnp_ref_is_null(r))
		return CAPNP_NO_CAP;
	w = capnp_load64(r.p);
	if (capnp_ptr_kind(w) != CAPNP_KIND_OTHER) {
		capnp_msg_fail(r.msg, CAPNP_ERR_TYPE);
		return CAPNP_NO_CAP;
	}
	if ((uint32_t)w != CAPNP_KIND_OTHER) {
		capnp_msg_fail(r.msg, CAPNP_ERR_POINTER);
		return CAPNP_NO_CAP;
	}
	return (uint32_t)(w >> 32);
}

struct capnp_ptr
capnp_ref_any(struct capnp_ref r)
{
	struct capnp_ptr out = {.type = CAPNP_PTR_NULL};
	struct target t;

	if (capnp_ref_is_null(r))
		return out;
	if (capnp_ptr_kind(capnp_load64(r.p)) == CAPNP_KIND_OTHER) {
		out.u.cap = capnp_ref_cap(r);
		if (out.u.cap != CAPNP_NO_CAP)
			out.type = CAPNP_PTR_CAP;
		return out;
	}
	if (!deref(&r, true, &t))
		return out;
	switch (capnp_ptr_kind(t.tag)) {
	case CAPNP_KIND_STRUCT:
		out.u.s = empty_struct(r.msg, r.nesting - 1);
		if (struct_at(&r, &t, &out.u.s))
			out.type = CAPNP_PTR_STRUCT;
		break;
	case CAPNP_KIND_LIST:
		out.u.l = empty_list(r.msg, r.nesting - 1);
		if (list_at(&r, &t, &out.u.l))
			out.type = CAPNP_PTR_LIST;
		break;
	default:
		capnp_msg_fail(r.msg, CAPNP_ERR_FAR);
		break;
	}
	return out;
}

struct capnp_struct
capnp_msg_root(struct capnp_msg *m)
{
	return capnp_ref_struct(capnp_msg_root_ref(m));
}

/* List elements. */

static bool
elem_ok(const struct capnp_list *l, uint32_t i)
{
	if (i >= l->len) {
		capnp_msg_fail(l->msg, CAPNP_ERR_RANGE);
		return false;
	}
	return true;
}

static const uint8_t *
elem_at(const struct capnp_list *l, uint32_t i)
{
	return l->ptr + (size_t)((uint64_t)i * l->step_bits / 8);
}

struct capnp_ref
capnp_elem(struct capnp_list l, uint32_t i)
{
	struct capnp_ref r = {l.msg, l.seg, NULL, l.nesting};

	if (elem_ok(&l, i) && l.nptrs > 0)
		r.p = elem_at(&l, i) + l.data_bits / 8;
	return r;
}

struct capnp_struct
capnp_elem_struct(struct capnp_list l, uint32_t i)
{
	struct capnp_struct s = empty_struct(l.msg, l.nesting);

	if (!elem_ok(&l, i) || l.esize == CAPNP_ESIZE_BIT)
		return s;
	s.seg = l.seg;
	s.data = elem_at(&l, i);
	s.data_bytes = l.data_bits / 8;
	s.ptrs = s.data + s.data_bytes;
	s.nptrs = l.nptrs;
	return s;
}

bool
capnp_elem_bool(struct capnp_list l, uint32_t i)
{
	uint64_t bit = (uint64_t)i * l.step_bits;

	if (!elem_ok(&l, i) || l.data_bits < 1)
		return false;
	return (l.ptr[bit / 8] >> (bit % 8) & 1) != 0;
}

uint8_t
capnp_elem_u8(struct capnp_list l, uint32_t i)
{
	if (!elem_ok(&l, i) || l.data_bits < 8)
		return 0;
	return *elem_at(&l, i);
}

uint16_t
capnp_elem_u16(struct capnp_list l, uint32_t i)
{
	uint16_t v;

	if (!elem_ok(&l, i) || l.data_bits < 16)
		return 0;
	memcpy(&v, elem_at(&l, i), sizeof(v));
	return v;
}

uint32_t
capnp_elem_u32(struct capnp_list l, uint32_t i)
{
	uint32_t v;

	if (!elem_ok(&l, i) || l.data_bits < 32)
		return 0;
	memcpy(&v, elem_at(&l, i), sizeof(v));
	return v;
}

uint64_t
capnp_elem_u64(struct capnp_list l, uint32_t i)
{
	uint64_t v;

	if (!elem_ok(&l, i) || l.data_bits < 64)
		return 0;
	memcpy(&v, elem_at(&l, i), sizeof(v));
	return v;
}
