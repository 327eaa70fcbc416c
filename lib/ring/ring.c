/*
 * Capability ring protocol, kernel side.  See ring.h for the trust rules.
 */
#include "ring/ring.h"

#include "base/mem.h"

#include <capos/capid.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/version.h>

/* --- Index arithmetic --------------------------------------------------- */

/* --- SQE validation ----------------------------------------------------- */

/* The SQE fields an opcode reads (see the table in <capos/ring.h>). */
#define USES_CAP     (1u << 0)
#define USES_METHOD  (1u << 1)
#define USES_PARAMS  (1u << 2)
#define USES_RESULT  (1u << 3)
#define USES_CALL_ID (1u << 4)
#define USES_XFER    (1u << 5)
#define USES_IFACE   (1u << 6) /* the word call_id shares */
#define USES_WORD    (1u << 7) /* word_addr, in params_addr's place */
#define USES_VALUE   (1u << 8) /* park_value/unpark_count: params_len's */
#define USES_TIMEOUT (1u << 9) /* timeout_ns, in call_id's place */

struct op_rule {
	uint8_t served; /* 0: reserved for a later ABI feature */
	uint16_t uses;  /* USES_* */
	uint8_t flags;  /* CAPOS_SQE_F_* valid with this opcode */
};

/* Opcodes absent from the table (0 included) are CAPOS_E_BAD_OPCODE. */
static const struct op_rule op_rules[CAPOS_OP_COUNT] = {
    [CAPOS_OP_CALL] = {1,
                       USES_CAP | USES_METHOD | USES_IFACE | USES_PARAMS |
                           USES_RESULT | USES_XFER,
                       0},
    [CAPOS_OP_RECV] = {1, USES_CAP | USES_RESULT, 0},
    [CAPOS_OP_RETURN] = {1, USES_CAP | USES_PARAMS | USES_CALL_ID | USES_XFER,
                         CAPOS_SQE_F_EXCEPTION},
    [CAPOS_OP_RELEASE] = {1, USES_CAP, 0},
    [CAPOS_OP_NOP] = {1, 0, 0},
    [CAPOS_OP_PARK] = {1, USES_CAP | USES_WORD | USES_VALUE | USES_TIMEOUT, 0},
    [CAPOS_OP_UNPARK] = {1, USES_CAP | USES_WORD | USES_VALUE, 0},
};

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

/* Fields the opcode does not read must be zero, so that they can be given
 * a meaning for that opcode later without misreading old binaries. */
static int
unused_fields_zero(const struct capos_sqe *sqe, uint16_t uses)
{
	if (!(uses & USES_CAP) && sqe->cap != 0)
		return 0;
	if (!(uses & USES_METHOD) && sqe->method != 0)
		return 0;
	if (!(uses & (USES_PARAMS | USES_WORD)) && sqe->params_addr != 0)
		return 0;
	if (!(uses & (USES_PARAMS | USES_VALUE)) && sqe->params_len != 0)
		return 0;
	if (!(uses & USES_RESULT) &&
	    (sqe->result_addr != 0 || sqe->result_len != 0))
		return 0;
	if (!(uses & (USES_CALL_ID | USES_IFACE | USES_TIMEOUT)) &&
	    sqe->call_id != 0)
		return 0;
	if (!(uses & USES_XFER) &&
	    (sqe->xfer_addr != 0 || sqe->xfer_count != 0))
		return 0;
	return 1;
}

static int
check_buffer(uint64_t addr, uint32_t len, uint32_t max)
{
	if (len > max)
		return CAPOS_E_TOO_LONG;
	if (!capos_user_range_ok(addr, len))
		return CAPOS_E_BAD_BUFFER;
	return CAPOS_OK;
}

/* A parking word: four bytes of user memory outside the ring pages (the
 * kernel writes those; a word there would change under the waiter), then
 * aligned, so that it never straddles a page. */
static int
check_word(uint64_t addr)
{
	if (!capos_user_range_ok(addr, sizeof(uint32_t)))
		return CAPOS_E_BAD_BUFFER;
	if (addr >= CAPOS_USER_RING_BASE &&
	    addr - CAPOS_USER_RING_BASE < CAPOS_USER_RING_AREA_SIZE)
		return CAPOS_E_BAD_BUFFER;
	if (addr % CAPOS_PARK_WORD_ALIGN != 0)
		return CAPOS_E_BAD_ARG;
	return CAPOS_OK;
}

int
ring_sqe_validate(const struct capos_sqe *sqe)
{
	const struct op_rule *rule;
	int err;

	if (!is_known_opcode(sqe->opcode))
		return CAPOS_E_BAD_OPCODE;
	rule = &op_rules[sqe->opcode];
	if (!rule->served)
		return CAPOS_E_RESERVED_OP;
	if (sqe->flags & ~CAPOS_SQE_FLAGS_KNOWN)
		return CAPOS_E_BAD_FLAGS;
	if (sqe->flags & ~rule->flags)
		return CAPOS_E_BAD_FLAGS;
	if (sqe->reserved != 0)
		return CAPOS_E_BAD_FIELD;
	if (!unused_fields_zero(sqe, rule->uses))
		return CAPOS_E_BAD_FIELD;

	if ((rule->uses & USES_CAP) && !capos_capid_is_wellformed(sqe->cap))
		return CAPOS_E_BAD_CAP;
	if (rule->uses & USES_PARAMS) {
		err = check_buffer(sqe->params_addr, sqe->params_len,
		                   CAPOS_PARAMS_MAX);
		if (err != CAPOS_OK)
			return err;
	}
	if (rule->uses & USES_RESULT) {
		err = check_buffer(sqe->result_addr, sqe->result_len,
		                   CAPOS_RESULT_MAX);
		if (err != CAPOS_OK)
			return err;
	}
	if (rule->uses & USES_WORD) {
		err = check_word(sqe->word_addr);
		if (err != CAPOS_OK)
			return err;
	}
	/* Waking nobody is never what a program means. */
	if (sqe->opcode == CAPOS_OP_UNPARK && sqe->unpark_count == 0)
		return CAPOS_E_BAD_ARG;
	/* Call ids are issued from 1, so 0 can never name a call. */
	if ((rule->uses & USES_CALL_ID) && sqe->call_id == 0)
		return CAPOS_E_BAD_CALL_ID;
	if (rule->uses & USES_XFER) {
		if (sqe->xfer_count > CAPOS_XFER_MAX)
			return CAPOS_E_BAD_XFER;
		if (!capos_user_range_ok(sqe->xfer_addr,
		                         (uint64_t)sqe->xfer_count *
		                             sizeof(struct capos_xfer)))
			return CAPOS_E_BAD_BUFFER;
	}
	return CAPOS_OK;
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
		 * it too, or move it twice; n is tiny, so compare pairs. */
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

/* Loads of the indices userspace writes, and stores of the ones it reads.
 * Acquire/release order them against the entries they guard: an SQE is
 * read only after the sq_tail that published it, and a CQE is complete
 * before the cq_tail that publishes it. */
static uint32_t
load_user_index(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void
publish_index(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

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

/* Published every time: userspace may have overwritten the word. */
static void
set_status(struct ring *r, uint32_t status)
{
	r->status = status;
	publish_index(&r->page->hdr.status, status);
}

uint32_t
ring_sync(struct ring *r, struct ring_snapshot *snap)
{
	struct capos_ring_header *h = &r->page->hdr;

	r->seen_sq_tail = load_user_index(&h->sq_tail);
	r->seen_cq_head = load_user_index(&h->cq_head);
	snap->sq_head = r->sq_head;
	snap->sq_tail = r->seen_sq_tail;
	snap->cq_head = r->seen_cq_head;
	snap->cq_tail = r->cq_tail;
	set_status(r, ring_check(snap));
	return r->status;
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
	publish_index(&r->page->hdr.sq_head, r->sq_head);
	return 0;
}

int
ring_cq_post(struct ring *r, const struct capos_cqe *cqe)
{
	struct capos_ring_header *h = &r->page->hdr;
	struct ring_snapshot s;

	if (r->cq_reserved > 0)
		r->cq_reserved--;
	/* Userspace may have consumed more since the last sync. */
	r->seen_cq_head = load_user_index(&h->cq_head);
	s = ring_seen(r);
	if (ring_cq_space(&s) == 0) {
		set_status(r, ring_check(&s));
		r->cq_overflow++;
		publish_index(&h->cq_overflow, r->cq_overflow);
		return -1;
	}
	r->page->cq[r->cq_tail & (CAPOS_RING_CQ_ENTRIES - 1)] = *cqe;
	r->cq_tail++;
	publish_index(&h->cq_tail, r->cq_tail);
	return 0;
}
