/*
 * The whole-message check (validate.h).  Recursion is one level per
 * pointer followed, so the nesting limit bounds the stack as it does for
 * copy.c's walk; loops stop at the first error.
 */
#include "capnp/validate.h"

static void walk_ref(struct capnp_ref r);

static void
walk_struct(struct capnp_struct s)
{
	uint16_t i;

	for (i = 0; i < s.nptrs && s.msg->err == CAPNP_OK; i++)
		walk_ref(capnp_field(s, i));
}

static void
walk_list(struct capnp_list l)
{
	uint32_t i;

	/* Following the list's pointer charged and bounds-checked it whole;
	 * only pointers inside it lead further. */
	if (l.nptrs == 0)
		return;
	if (l.esize == CAPNP_ESIZE_COMPOSITE) {
		for (i = 0; i < l.len && l.msg->err == CAPNP_OK; i++)
			walk_struct(capnp_elem_struct(l, i));
	} else if (l.esize == CAPNP_ESIZE_POINTER) {
		for (i = 0; i < l.len && l.msg->err == CAPNP_OK; i++)
			walk_ref(capnp_elem(l, i));
	}
}

static void
walk_ref(struct capnp_ref r)
{
	struct capnp_ptr p = capnp_ref_any(r);

	if (p.type == CAPNP_PTR_STRUCT && p.u.s.msg != NULL)
		walk_struct(p.u.s);
	else if (p.type == CAPNP_PTR_LIST && p.u.l.msg != NULL)
		walk_list(p.u.l);
}

int
capnp_msg_validate_walk(struct capnp_msg *m)
{
	uint64_t budget = m->budget;

	if (m->err != CAPNP_OK)
		return m->err;
	walk_ref(capnp_msg_root_ref(m));
	if (m->err != CAPNP_OK)
		return m->err;
	m->budget = budget;
	return CAPNP_OK;
}
