/*
 * hostile: abuses the ring with random bytes, then faults.  Every random
 * SQE must be answered by exactly one CQE carrying the very error the
 * ring's validation rules give for it (lib/ring, the same rules the
 * kernel runs), corrupted indices must be reported with the right status
 * bit and recovered from, and the final privileged instruction must end
 * only this process (exit 141); the supervisor then checks that every
 * frame came back.  KTEST lines.
 */
#include "capos.h"

#include "ring/ring.h"

#define ROUNDS 200

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* A random SQE, made plausible at random so that some get past the
 * first checks and reach the later ones. */
static void
random_sqe(struct capos_sqe *s)
{
	uint64_t *w = (uint64_t *)(void *)s;
	unsigned i;

	for (i = 0; i < sizeof(*s) / 8; i++)
		w[i] = rnd();
	if (rnd() & 1)
		s->opcode = (uint8_t)(rnd() % (CAPOS_OP_COUNT + 1));
	if (rnd() & 1)
		s->flags = 0;
	if (rnd() & 1)
		s->reserved = 0;
	if (rnd() & 1) {
		s->call_id = 0;
		s->xfer_addr = 0;
		s->xfer_count = 0;
	}
	if (rnd() & 1) {
		s->params_addr = 0;
		s->params_len = 0;
	}
	/* Cap ids stay random: a live one is never made up. */
	if ((rnd() & 3) == 0)
		s->cap |= 1u << 31; /* generation high: never issued */
}

/* The one answer the kernel may give a random SQE: its validation error,
 * or, for one that passes validation, BAD_CAP for an opcode naming a cap
 * (no random id is live) and 0 for NOP. */
static int32_t
expected(const struct capos_sqe *s)
{
	int32_t err = ring_sqe_validate(s);

	if (err)
		return err;
	return s->opcode == CAPOS_OP_NOP ? 0 : CAPOS_E_BAD_CAP;
}

static void
random_rounds(struct capos_ring_page *r)
{
	static struct capos_sqe sent[CAPOS_RING_SQ_ENTRIES];
	uint32_t wrong = 0, missing = 0, extra = 0, untaken = 0, total = 0;
	int round;

	for (round = 0; round < ROUNDS; round++) {
		uint32_t k = (uint32_t)(rnd() % (CAPOS_RING_SQ_ENTRIES + 1));
		uint32_t tail = r->hdr.sq_tail, j, seen = 0;
		bool got[CAPOS_RING_SQ_ENTRIES] = {false};

		for (j = 0; j < k; j++) {
			random_sqe(&sent[j]);
			sent[j].user_data = ((uint64_t)round << 8) | j;
			r->sq[(tail + j) & (CAPOS_RING_SQ_ENTRIES - 1)] =
			    sent[j];
		}
		__atomic_store_n(&r->hdr.sq_tail, tail + k, __ATOMIC_RELEASE);
		capos_sys_cap_enter(0, 0);
		untaken += r->hdr.sq_head != tail + k;
		while (r->hdr.cq_head !=
		       __atomic_load_n(&r->hdr.cq_tail, __ATOMIC_ACQUIRE)) {
			struct capos_cqe c =
			    r->cq[r->hdr.cq_head & (CAPOS_RING_CQ_ENTRIES - 1)];

			r->hdr.cq_head++;
			j = (uint32_t)(c.user_data & 0xff);
			if ((c.user_data >> 8) != (uint64_t)round || j >= k ||
			    got[j]) {
				extra++;
				continue;
			}
			got[j] = true;
			seen++;
			wrong += c.result != expected(&sent[j]);
		}
		missing += k - seen;
		total += k;
	}
	ktest_check(untaken == 0, "random_sqes.every_published_sqe_taken",
	            "%u rounds left SQEs behind", untaken);
	ktest_check(missing == 0 && extra == 0,
	            "random_sqes.exactly_one_cqe_per_sqe",
	            "%u of %u without a CQE, %u CQEs unasked or repeated",
	            missing, total, extra);
	ktest_check(wrong == 0, "random_sqes.each_answered_with_its_error",
	            "%u of %u answered with another code", wrong, total);
	printf("hostile: %u random SQEs in %d rounds\n", total, ROUNDS);
}

static void
corrupt_indices(struct capos_ring_page *r)
{
	uint32_t sq_bad = 0, cq_bad = 0, unrepaired = 0, args = 0;
	int round;
	int64_t n;

	for (round = 0; round < ROUNDS / 4; round++) {
		uint32_t head = r->hdr.sq_head, cq = r->hdr.cq_head;

		/* The SQ tail beyond the ring, or behind the kernel. */
		r->hdr.sq_tail = head + CAPOS_RING_SQ_ENTRIES + 1 +
		                 (uint32_t)(rnd() % 100000);
		if (round & 1)
			r->hdr.sq_tail = head - 1 - (uint32_t)(rnd() % 1000);
		n = capos_sys_cap_enter(0, 0);
		sq_bad += n != CAPOS_E_RING_CORRUPT ||
		          r->hdr.status != CAPOS_RING_STATUS_SQ_CORRUPT;
		r->hdr.sq_tail = head;
		/* The CQ head past the kernel's tail. */
		r->hdr.cq_head = r->hdr.cq_tail + 1 + (uint32_t)(rnd() % 1000);
		n = capos_sys_cap_enter(0, 0);
		cq_bad += n != CAPOS_E_RING_CORRUPT ||
		          r->hdr.status != CAPOS_RING_STATUS_CQ_CORRUPT;
		r->hdr.cq_head = cq;
		n = capos_sys_cap_enter(0, 0);
		unrepaired += n != 0 || r->hdr.status != 0;
		/* min_complete above the CQ, whatever the timeout. */
		n = capos_sys_cap_enter(CAPOS_RING_CQ_ENTRIES + 1 +
		                            (uint32_t)(rnd() % 1000),
		                        rnd() % 3000000);
		args += n != CAPOS_E_BAD_ARG;
	}
	ktest_check(sq_bad == 0, "sq_tail_out_of_range.ring_corrupt_sq_bit",
	            "%u rounds answered otherwise", sq_bad);
	ktest_check(cq_bad == 0, "cq_head_past_tail.ring_corrupt_cq_bit",
	            "%u rounds answered otherwise", cq_bad);
	ktest_check(unrepaired == 0, "indices_repaired.ring_usable_again",
	            "%u rounds still corrupt", unrepaired);
	ktest_check(args == 0, "min_complete_over_cq.bad_arg",
	            "%u rounds answered otherwise", args);
}

int
main(void)
{
	struct capos_ring_page *r = capos_ring();

	ktest_prefix("hostile.");
	random_rounds(r);
	corrupt_indices(r);
	printf("hostile: the kernel answered every abuse; now executing a "
	       "privileged instruction\n");
	__asm__ volatile("cli");
	printf("hostile: still alive after cli?\n");
	return 0;
}
