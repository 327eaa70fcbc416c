/*
 * Capability ring protocol, kernel side.  See ring.h for the trust rules.
 */
#include "ring/ring.h"
#include "ring/validate.h"

#include "base/mem.h"

#include <capos/capid.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/version.h>

/* --- SQE validation ----------------------------------------------------- */

static const char *const op_names[CAPOS_OP_COUNT] = {
    [CAPOS_OP_CALL] = "CALL",     [CAPOS_OP_RECV] = "RECV",
    [CAPOS_OP_RETURN] = "RETURN", [CAPOS_OP_RELEASE] = "RELEASE",
    [CAPOS_OP_NOP] = "NOP",       [CAPOS_OP_PARK] = "PARK",
    [CAPOS_OP_UNPARK] = "UNPARK",
};

static int
is_known_opcode(uint8_t op)
{
	return op < CAPOS_OP_COUNT && op_names[op] != NULL;
}

int
ring_sqe_validate(const struct capos_sqe *sqe)
{
	if (!is_known_opcode(sqe->opcode))
		return CAPOS_E_BAD_OPCODE;
	if (!ring_op_rules[sqe->opcode].served)
		return CAPOS_E_RESERVED_OP;
	return ring_sqe_validate_op(sqe, sqe->opcode);
}

int
ring_xfer_validate(const struct capos_xfer *x, uint32_t n)
{
	uint32_t i, j;

	if (n > CAPOS_XFER_MAX)
		return CAPOS_E_BAD_XFER;
	for (i = 0; i < n; i++) {
		if (x[i].mode != CAPOS_XFER_COPY &&
		    x[i].mode != CAPOS_XFER_MOVE)
			return CAPOS_E_BAD_XFER;
		if (x[i].reserved != 0)
			return CAPOS_E_BAD_XFER;
		if (!capos_capid_is_wellformed(x[i].cap))
			return CAPOS_E_BAD_XFER;
		/* Listing a cap twice would let one SQE move a cap and copy
		 * it too, or move it twice; n is at most 32, so compare pairs. */
		for (j = 0; j < i; j++)
			if (x[j].cap == x[i].cap)
				return CAPOS_E_BAD_XFER;
	}
	return CAPOS_OK;
}

const char *
ring_opcode_name(uint8_t opcode)
{
	if (!is_known_opcode(opcode))
		return "INVALID";
	return op_names[opcode];
}

/* --- Ring page operations ----------------------------------------------- */

void
ring_init(struct ring *r, struct capos_ring_page *page)
{
	struct capos_ring_header *h = &page->hdr;

	memset(page, 0, sizeof(*page));
	h->magic = CAPOS_RING_MAGIC;
	h->abi_major = CAPOS_ABI_MAJOR;
	h->abi_minor = CAPOS_ABI_MINOR;
	h->sq_entries = CAPOS_RING_SQ_ENTRIES;
	h->cq_entries = CAPOS_RING_CQ_ENTRIES;
	h->sqe_offset = CAPOS_RING_SQE_OFFSET;
	h->cqe_offset = CAPOS_RING_CQE_OFFSET;

	memset(r, 0, sizeof(*r));
	r->page = page;
}

int
ring_sq_take(struct ring *r, struct capos_sqe *out)
{
	const struct capos_sqe *slot;

	if (ring_sq_batch(r, 1) == 0)
		return -1;
	slot = &r->page->sq[r->sq_head & (CAPOS_RING_SQ_ENTRIES - 1)];
	/* The one read of the shared entry; everything after works on
	 * *out, whatever userspace writes into the slot meanwhile.  (A plain
	 * structure copy: the compiler inlines it.) */
	*out = *slot;
	r->sq_head++;
	r->cq_reserved++;
	ring_publish_index(&r->page->hdr.sq_head, r->sq_head);
	return 0;
}
