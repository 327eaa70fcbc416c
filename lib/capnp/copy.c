/*
 * Deep copy of a value read from one message into a builder.  The source
 * is read through the ordinary checked readers, so the copy is bounded by
 * the source message's traversal budget and nesting limit (which also
 * bounds this recursion).
 */
#include "capnp/build.h"

static void copy_ref(struct capnp_slot dst, struct capnp_ref src);

static void
copy_struct_body(struct capnp_struct_builder sb, struct capnp_struct s)
{
	uint16_t i;

	if (s.data_bytes > 0 && sb.data != NULL)
		memcpy(sb.data, s.data, s.data_bytes);
	for (i = 0; i < s.nptrs; i++)
		copy_ref(capnp_bfield(sb, i), capnp_field(s, i));
}

static void
copy_struct(struct capnp_slot dst, struct capnp_struct s)
{
	uint16_t dw = (uint16_t)((s.data_bytes + 7) / 8);

	copy_struct_body(capnp_slot_init_struct(dst, dw, s.nptrs), s);
}

static void
copy_list(struct capnp_slot dst, struct capnp_list l)
{
	struct capnp_list_builder lb;
	uint32_t i;

	if (l.esize == CAPNP_ESIZE_COMPOSITE) {
		lb = capnp_slot_init_struct_list(
		    dst, l.len, (uint16_t)(l.data_bits / 64), l.nptrs);
		for (i = 0; i < lb.len && dst.b->err == CAPNP_OK; i++)
			copy_struct_body(capnp_belem_struct(lb, i),
			                 capnp_elem_struct(l, i));
		return;
	}
	lb = capnp_slot_init_list(dst, (enum capnp_esize)l.esize, l.len);
	if (lb.ptr == NULL)
		return;
	if (l.esize == CAPNP_ESIZE_POINTER) {
		for (i = 0; i < lb.len && dst.b->err == CAPNP_OK; i++)
			copy_ref(capnp_belem(lb, i), capnp_elem(l, i));
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
copy_ptr(struct capnp_slot dst, const struct capnp_ptr *src)
{
	switch (src->type) {
	case CAPNP_PTR_NULL:
		capnp_slot_set_null(dst);
		break;
	case CAPNP_PTR_STRUCT:
		copy_struct(dst, src->u.s);
		break;
	case CAPNP_PTR_LIST:
		copy_list(dst, src->u.l);
		break;
	case CAPNP_PTR_CAP:
		capnp_slot_set_cap(dst, src->u.cap);
		break;
	}
}

static void
copy_ref(struct capnp_slot dst, struct capnp_ref src)
{
	struct capnp_ptr p;

	if (dst.b->err != CAPNP_OK)
		return;
	p = capnp_ref_any(src);
	copy_ptr(dst, &p);
}

void
capnp_slot_copy(struct capnp_slot dst, const struct capnp_ptr *src)
{
	if (dst.p == NULL || dst.b->err != CAPNP_OK)
		return;
	copy_ptr(dst, src);
}
