/*
 * Checking a whole message before anything reads it: every pointer from
 * the root down is followed once through the checked readers, so a
 * message that passes has no pointer out of bounds, no malformed far
 * pointer, no cycle deeper than the nesting limit and no amplification
 * past the traversal budget.  What a walk without the schema cannot see
 * (text without its NUL, a list of the wrong element size for its field)
 * still shows up as the message's error when the field is read.
 */
#ifndef CAPNP_VALIDATE_H
#define CAPNP_VALIDATE_H

#include "capnp/read.h"

/* The walk behind capnp_msg_validate; call that instead. */
int capnp_msg_validate_walk(struct capnp_msg *m);

/*
 * Returns 0, or the message's first error.  Bounded by the message's
 * traversal budget and nesting limit; on success the budget is given back,
 * so the reads that follow have all of it.  A message whose root pointer
 * is null (empty params) costs one load.
 */
static inline int
capnp_msg_validate(struct capnp_msg *m)
{
	uint64_t root;

	if (m->err == CAPNP_OK && m->nseg > 0 && m->seg[0].words > 0) {
		memcpy(&root, m->seg[0].base, sizeof(root));
		if (root == 0)
			return CAPNP_OK;
	}
	return capnp_msg_validate_walk(m);
}

#endif
