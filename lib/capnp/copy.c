/*
 * Deep copy of a value read from one message into a builder, as it is or
 * in canonical form.  The source is read through the ordinary checked
 * readers, so the copy is bounded by the source message's traversal
 * budget and nesting limit (which also bounds this recursion).
 *
 * Objects are allocated in the order they are visited: a struct, then
 * the whole subtree of its first pointer, then of the second, and so on;
 * a struct list's elements together, then their subtrees in element
 * order.  Into a one-segment builder that is the pre-order layout the
 * canonical form requires.  The canonical form also drops a struct's
 * trailing zero data words and trailing null pointers (a struct list
 * takes the largest element's sizes), writes empty structs as the
 * "offset -1" pointer, zeroes the padding after a list's last element
 * and refuses capabilities (CAPNP_ERR_CAP).
 */
#include "capnp/build.h"
#include "capnp/wire.h"

static void copy_ref(struct capnp_slot dst, struct capnp_ref src, bool canon);

/* Data words up to the last non-zero one. */
static uint16_t
data_words_used(struct capnp_struct s)
{
	uint32_t w = s.data_bytes / 8;

	while (w > 0 && capnp_load64(s.data + (size_t)(w - 1) * 8) == 0)
		w--;
	return (uint16_t)w;
}

/* Pointers up to the last non-null one. */
static uint16_t
ptrs_used(struct capnp_struct s)
{
	uint16_t n = s.nptrs;

	while (n > 0 && capnp_ref_is_null(capnp_field(s, n - 1)))
		n--;
	return n;
}

static void
copy_struct_body(struct capnp_struct_builder sb, struct capnp_struct s,
                 bool canon)
{
	uint32_t bytes =
	    s.data_bytes < sb.data_bytes ? s.data_bytes : sb.data_bytes;
	uint16_t n = s.nptrs < sb.nptrs ? s.nptrs : sb.nptrs, i;

	if (bytes > 0)
		memcpy(sb.data, s.data, bytes);
	for (i = 0; i < n; i++)
		copy_ref(capnp_bfield(sb, i), capnp_field(s, i), canon);
}

static void
copy_struct(struct capnp_slot dst, struct capnp_struct s, bool canon)
{
	uint16_t dw = (uint16_t)((s.data_bytes + 7) / 8), np = s.nptrs;

	if (canon) {
		dw = data_words_used(s);
		np = ptrs_used(s);
	}
	copy_struct_body(capnp_slot_init_struct(dst, dw, np), s, canon);
}

static void
copy_struct_list(struct capnp_slot dst, struct capnp_list l, bool canon)
{
	struct capnp_list_builder lb;
	struct capnp_struct e;
	uint16_t dw = (uint16_t)(l.data_bits / 64), np = l.nptrs;
	uint32_t i;

	if (canon) {
		dw = 0;
		np = 0;
		for (i = 0; i < l.len; i++) {
			e = capnp_elem_struct(l, i);
			if (data_words_used(e) > dw)
				dw = data_words_used(e);
			if (ptrs_used(e) > np)
				np = ptrs_used(e);
		}
	}
	lb = capnp_slot_init_struct_list(dst, l.len, dw, np);
	for (i = 0; i < lb.len && dst.b->err == CAPNP_OK; i++)
		copy_struct_body(capnp_belem_struct(lb, i),
		                 capnp_elem_struct(l, i), canon);
}

static void
copy_list(struct capnp_slot dst, struct capnp_list l, bool canon)
{
	struct capnp_list_builder lb;
	uint32_t i;

	if (l.esize == CAPNP_ESIZE_COMPOSITE) {
		copy_struct_list(dst, l, canon);
		return;
	}
	lb = capnp_slot_init_list(dst, (enum capnp_esize)l.esize, l.len);
	if (lb.ptr == NULL)
		return;
	if (l.esize == CAPNP_ESIZE_POINTER) {
		for (i = 0; i < lb.len && dst.b->err == CAPNP_OK; i++)
			copy_ref(capnp_belem(lb, i), capnp_elem(l, i), canon);
	} else if (l.esize == CAPNP_ESIZE_BIT) {
		memcpy(lb.ptr, l.ptr, ((size_t)l.len + 7) / 8);
		/* Bits past the end are padding; keep the copy's zero. */
		if (l.len % 8 != 0)
			lb.ptr[l.len / 8] &= (uint8_t)((1u << l.len % 8) - 1);
	} else if (l.esize != CAPNP_ESIZE_VOID) {
		memcpy(lb.ptr, l.ptr, (size_t)l.len * (l.step_bits / 8));
	}
}

static void
copy_ptr(struct capnp_slot dst, const struct capnp_ptr *src, bool canon)
{
	switch (src->type) {
	case CAPNP_PTR_NULL:
		capnp_slot_set_null(dst);
		break;
	case CAPNP_PTR_STRUCT:
		copy_struct(dst, src->u.s, canon);
		break;
	case CAPNP_PTR_LIST:
		copy_list(dst, src->u.l, canon);
		break;
	case CAPNP_PTR_CAP:
		if (canon)
			capnp_builder_fail(dst.b, CAPNP_ERR_CAP);
		else
			capnp_slot_set_cap(dst, src->u.cap);
		break;
	}
}

static void
copy_ref(struct capnp_slot dst, struct capnp_ref src, bool canon)
{
	struct capnp_ptr p;

	if (dst.b->err != CAPNP_OK)
		return;
	p = capnp_ref_any(src);
	copy_ptr(dst, &p, canon);
}

void
capnp_slot_copy(struct capnp_slot dst, const struct capnp_ptr *src)
{
	if (dst.p == NULL || dst.b->err != CAPNP_OK)
		return;
	copy_ptr(dst, src, false);
}

void
capnp_slot_copy_canonical(struct capnp_slot dst, const struct capnp_ptr *src)
{
	if (dst.p == NULL || dst.b->err != CAPNP_OK)
		return;
	copy_ptr(dst, src, true);
}

int
capnp_canonicalize(struct capnp_msg *m, void *out, size_t len, size_t *written)
{
	struct capnp_builder b;
	struct capnp_ptr root = {.type = CAPNP_PTR_STRUCT};
	int err;

	*written = 0;
	root.u.s = capnp_msg_root(m);
	if (capnp_msg_error(m) != CAPNP_OK)
		return capnp_msg_error(m);
	err = capnp_builder_init(&b, out, len, 0);
	if (err != CAPNP_OK)
		return err;
	capnp_slot_copy_canonical(capnp_builder_root(&b), &root);
	if (capnp_msg_error(m) != CAPNP_OK)
		return capnp_msg_error(m);
	if (capnp_builder_error(&b) != CAPNP_OK)
		return capnp_builder_error(&b);
	*written = capnp_builder_words(&b) * 8;
	return CAPNP_OK;
}
