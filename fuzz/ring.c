/*
 * libFuzzer target for the ring protocol (lib/ring).  The input is a
 * script of what userspace and the kernel do to one ring page: userspace
 * writes any index, entry or header word at any moment; the kernel syncs,
 * takes a batch of SQEs the way kernel/ipc does (ring_sq_batch, then
 * ring_sq_take_batched that many times, or the checking ring_sq_take),
 * validates the copies, and posts their
 * completions, in any order.  Checked after every step:
 *   - a batch never exceeds its budget, the pending SQEs or the CQE
 *     room left after earlier reservations, and each SQE of it is taken;
 *   - a taken SQE is the bytes the slot held, and sq_head never passes
 *     the sq_tail the kernel saw;
 *   - cq_reserved counts exactly the taken SQEs not yet completed and
 *     never exceeds the CQ;
 *   - the indices on the page are the kernel's own after it publishes
 *     them, and nothing userspace writes changes the kernel's copies;
 *   - while userspace only consumes CQEs that were posted, every
 *     completion is posted (none is ever lost).
 * Raw SQEs and transfer lists from the input also go through
 * ring_sqe_validate and ring_xfer_validate, whose answers are checked
 * against the rules in ring.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <capos/capid.h>
#include <capos/errors.h>
#include <capos/layout.h>

#include "ring/ring.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

static struct capos_ring_page page;
static struct ring ring;

/* The script being read. */
struct input {
	const uint8_t *p;
	size_t left;
};

static int
take_bytes(struct input *in, void *out, size_t n)
{
	if (in->left < n)
		return 0;
	memcpy(out, in->p, n);
	in->p += n;
	in->left -= n;
	return 1;
}

static uint8_t
u8(struct input *in)
{
	uint8_t v = 0;

	take_bytes(in, &v, 1);
	return v;
}

static uint32_t
u32(struct input *in)
{
	uint32_t v = 0;

	take_bytes(in, &v, 4);
	return v;
}

/* What the model knows besides struct ring. */
struct model {
	uint32_t owed;    /* taken SQEs not yet completed */
	int honest;       /* cq_head only ever moved over posted CQEs */
	uint32_t cq_head; /* the last value userspace wrote */
};

static void
check_state(const struct model *md)
{
	CHECK(ring.cq_reserved == md->owed);
	CHECK(ring.cq_reserved <= CAPOS_RING_CQ_ENTRIES);
	/* The kernel never takes what the snapshot did not show. */
	CHECK(ring.seen_sq_tail - ring.sq_head <= CAPOS_RING_SQ_ENTRIES ||
	      ring.status != 0);
	CHECK(ring.page == &page);
}

static void
check_sqe_validate(const struct capos_sqe *sqe)
{
	int r = ring_sqe_validate(sqe);

	if (r != CAPOS_OK) {
		CHECK(r < 0);
		return;
	}
	CHECK(strcmp(ring_opcode_name(sqe->opcode), "INVALID") != 0);
	CHECK((sqe->flags & ~CAPOS_SQE_FLAGS_KNOWN) == 0);
	CHECK(sqe->reserved == 0);
	if (sqe->opcode == CAPOS_OP_PARK || sqe->opcode == CAPOS_OP_UNPARK) {
		/* A word outside the ring pages, aligned; no buffers. */
		CHECK(capos_capid_is_wellformed(sqe->cap));
		CHECK(capos_user_range_ok(sqe->word_addr, 4));
		CHECK(sqe->word_addr % CAPOS_PARK_WORD_ALIGN == 0);
		CHECK(sqe->word_addr - CAPOS_USER_RING_BASE >=
		      CAPOS_USER_RING_AREA_SIZE);
		CHECK(sqe->result_addr == 0 && sqe->result_len == 0);
		CHECK(sqe->xfer_addr == 0 && sqe->xfer_count == 0);
		if (sqe->opcode == CAPOS_OP_UNPARK)
			CHECK(sqe->unpark_count != 0 && sqe->timeout_ns == 0);
		return;
	}
	if (sqe->opcode != CAPOS_OP_NOP)
		CHECK(capos_capid_is_wellformed(sqe->cap));
	else
		CHECK(sqe->cap == 0 && sqe->params_len == 0 &&
		      sqe->result_len == 0 && sqe->xfer_count == 0);
	CHECK(sqe->params_len <= CAPOS_PARAMS_MAX);
	CHECK(sqe->result_len <= CAPOS_RESULT_MAX);
	CHECK(capos_user_range_ok(sqe->params_addr, sqe->params_len));
	CHECK(capos_user_range_ok(sqe->result_addr, sqe->result_len));
	CHECK(sqe->xfer_count <= CAPOS_XFER_MAX);
	CHECK(
	    capos_user_range_ok(sqe->xfer_addr, (uint64_t)sqe->xfer_count *
	                                            sizeof(struct capos_xfer)));
	if (sqe->opcode == CAPOS_OP_RETURN)
		CHECK(sqe->call_id != 0);
	else
		CHECK(sqe->call_id == 0);
}

static void
check_xfer_validate(const struct capos_xfer *x, uint32_t n)
{
	int r = ring_xfer_validate(x, n);
	int ok = n <= CAPOS_XFER_MAX;
	uint32_t i, j;

	for (i = 0; ok && i < n; i++) {
		if ((x[i].mode != CAPOS_XFER_COPY &&
		     x[i].mode != CAPOS_XFER_MOVE) ||
		    x[i].reserved != 0 || !capos_capid_is_wellformed(x[i].cap))
			ok = 0;
		for (j = 0; j < i; j++)
			if (x[j].cap == x[i].cap)
				ok = 0;
	}
	CHECK(r == (ok ? CAPOS_OK : CAPOS_E_BAD_XFER));
}

/* The kernel's pass over the SQ: a batch, each SQE copied and checked. */
static void
kernel_take(struct model *md, uint32_t budget)
{
	struct ring_snapshot s = {ring.sq_head, ring.seen_sq_tail,
	                          ring.seen_cq_head, ring.cq_tail};
	uint32_t n = ring_sq_batch(&ring, budget), i;
	struct capos_sqe want, got;

	CHECK(n <= budget);
	CHECK(n <= ring_sq_pending(&s));
	CHECK(n + ring.cq_reserved <= ring_cq_space(&s) || n == 0);
	if (ring_check(&s) != 0)
		CHECK(n == 0);
	for (i = 0; i < n; i++) {
		uint32_t head = ring.sq_head;

		want = page.sq[head & (CAPOS_RING_SQ_ENTRIES - 1)];
		/* cap_enter's way (checked once per batch) on odd budgets,
		 * the checking take on even ones. */
		if (budget & 1)
			ring_sq_take_batched(&ring, &got);
		else
			CHECK(ring_sq_take(&ring, &got) == 0);
		CHECK(memcmp(&want, &got, sizeof(got)) == 0);
		CHECK(ring.sq_head == head + 1);
		CHECK(page.hdr.sq_head == ring.sq_head);
		md->owed++;
		check_sqe_validate(&got);
		check_state(md);
	}
	/* The batch was all there was to take, within the budget. */
	if (n < budget)
		CHECK(ring_sq_take(&ring, &got) != 0);
}

static void
kernel_post(struct model *md, struct input *in)
{
	struct capos_cqe cqe;
	uint32_t tail = ring.cq_tail, ovf = ring.cq_overflow;
	int r;

	if (md->owed == 0)
		return; /* the kernel posts only for SQEs it took */
	memset(&cqe, 0, sizeof(cqe));
	take_bytes(in, &cqe, sizeof(cqe));
	r = ring_cq_post(&ring, &cqe);
	md->owed--;
	if (r == 0) {
		CHECK(ring.cq_tail == tail + 1);
		CHECK(page.hdr.cq_tail == ring.cq_tail);
		CHECK(memcmp(&page.cq[tail & (CAPOS_RING_CQ_ENTRIES - 1)], &cqe,
		             sizeof(cqe)) == 0);
		CHECK(ring.cq_overflow == ovf);
	} else {
		CHECK(r == -1);
		CHECK(!md->honest);
		CHECK(ring.cq_tail == tail);
		CHECK(ring.cq_overflow == ovf + 1);
		CHECK(page.hdr.cq_overflow == ring.cq_overflow);
	}
	check_state(md);
}

/* Userspace moves cq_head; honest when it only consumes posted CQEs. */
static void
user_cq_head(struct model *md, uint32_t v)
{
	if (v - md->cq_head > ring.cq_tail - md->cq_head)
		md->honest = 0;
	md->cq_head = v;
	page.hdr.cq_head = v;
}

/* Userspace scribbles over words the kernel owns: its copies stay. */
static void
user_scribble(struct input *in)
{
	struct ring before = ring;

	page.hdr.sq_head = u32(in);
	page.hdr.cq_tail = u32(in);
	page.hdr.cq_overflow = u32(in);
	page.hdr.status = u32(in);
	CHECK(memcmp(&before, &ring, sizeof(ring)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct model md = {0, 1, 0};
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	struct capos_xfer x[CAPOS_XFER_MAX + 2];
	uint32_t st, n;
	int steps = 0;

	ring_init(&ring, &page);
	while (in.left > 0 && steps++ < 4096) {
		switch (u8(&in) % 9) {
		case 0: /* userspace publishes SQEs */
			page.hdr.sq_tail = ring.sq_head + u8(&in) % 80;
			break;
		case 1: /* userspace writes any sq_tail */
			page.hdr.sq_tail = u32(&in);
			break;
		case 2: /* userspace consumes CQEs (or lies) */
			n = u8(&in);
			user_cq_head(&md,
			             n < 200 ? md.cq_head + n % 40 : u32(&in));
			break;
		case 3: /* userspace writes an SQE slot */
			n = u8(&in);
			memset(&sqe, 0, sizeof(sqe));
			take_bytes(&in, &sqe, sizeof(sqe));
			page.sq[n % CAPOS_RING_SQ_ENTRIES] = sqe;
			break;
		case 4:
			st = ring_sync(&ring, &snap);
			CHECK(st == ring_check(&snap));
			CHECK(page.hdr.status == st && ring.status == st);
			CHECK(snap.sq_head == ring.sq_head &&
			      snap.cq_tail == ring.cq_tail &&
			      snap.sq_tail == page.hdr.sq_tail &&
			      snap.cq_head == page.hdr.cq_head);
			if (md.honest)
				CHECK(!(st & CAPOS_RING_STATUS_CQ_CORRUPT));
			check_state(&md);
			break;
		case 5:
			kernel_take(&md, u8(&in) % (RING_SQ_BUDGET + 4));
			break;
		case 6:
			kernel_post(&md, &in);
			break;
		case 7:
			user_scribble(&in);
			break;
		case 8: /* static validation of raw descriptors */
			memset(&sqe, 0, sizeof(sqe));
			take_bytes(&in, &sqe, sizeof(sqe));
			check_sqe_validate(&sqe);
			n = u8(&in) % (CAPOS_XFER_MAX + 3);
			memset(x, 0, sizeof(x));
			take_bytes(&in, x, n * sizeof(x[0]));
			check_xfer_validate(x, n);
			break;
		}
	}
	/* Completing everything owed must work while userspace was honest. */
	while (md.owed > 0) {
		struct input none = {NULL, 0};

		if (md.honest)
			user_cq_head(&md, ring.cq_tail);
		kernel_post(&md, &none);
	}
	CHECK(ring.cq_reserved == 0);
	return 0;
}
