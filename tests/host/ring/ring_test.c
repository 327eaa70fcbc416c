/*
 * Host tests of lib/ring: index arithmetic across the u32 wrap, corruption
 * detection, SQE and transfer-descriptor validation, and a kernel/user
 * conversation over a real ring page (budget, completion space, overflow,
 * userspace scribbling over the header).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <capos/abi.h>

#include "ring/ring.h"
#include "ring/validate.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SQ_MASK (CAPOS_RING_SQ_ENTRIES - 1)
#define CQ_MASK (CAPOS_RING_CQ_ENTRIES - 1)

/* A plausible live cap id and user buffer. */
#define CAP_A    capos_capid_make(3, 1)
#define CAP_B    capos_capid_make(4, 9)
#define BUF_ADDR 0x0000000010000000ull

/* --- Index arithmetic --------------------------------------------------- */

static void
test_queued(void **state)
{
	uint32_t n = 99;

	(void)state;
	assert_true(ring_queued(0, 0, 16, &n));
	assert_int_equal(n, 0);
	assert_true(ring_queued(5, 21, 16, &n));
	assert_int_equal(n, 16);
	/* Across the wrap of the free-running counters. */
	assert_true(ring_queued(0xfffffffau, 4, 16, &n));
	assert_int_equal(n, 10);
	assert_true(ring_queued(0xfffffff0u, 0, 16, &n));
	assert_int_equal(n, 16);
	/* More than the ring holds, or tail behind head. */
	n = 99;
	assert_false(ring_queued(5, 22, 16, &n));
	assert_false(ring_queued(0xfffffff0u, 1, 16, &n));
	assert_false(ring_queued(10, 9, 16, &n));
	assert_false(ring_queued(0, 0xffffffffu, 16, &n));
	assert_int_equal(n, 99); /* untouched on failure */
}

static void
test_snapshot(void **state)
{
	struct ring_snapshot s = {
	    .sq_head = 100, .sq_tail = 104, .cq_head = 7, .cq_tail = 10};

	(void)state;
	assert_int_equal(ring_check(&s), 0);
	assert_int_equal(ring_sq_pending(&s), 4);
	assert_int_equal(ring_cq_ready(&s), 3);
	assert_int_equal(ring_cq_space(&s), CAPOS_RING_CQ_ENTRIES - 3);

	s.sq_tail = s.sq_head + CAPOS_RING_SQ_ENTRIES + 1;
	assert_int_equal(ring_check(&s), CAPOS_RING_STATUS_SQ_CORRUPT);
	assert_int_equal(ring_sq_pending(&s), 0);
	assert_int_equal(ring_cq_ready(&s), 3);

	s.sq_tail = s.sq_head;
	s.cq_head = s.cq_tail + 1; /* consumer ahead of producer */
	assert_int_equal(ring_check(&s), CAPOS_RING_STATUS_CQ_CORRUPT);
	assert_int_equal(ring_cq_ready(&s), 0);
	assert_int_equal(ring_cq_space(&s), 0);

	s.sq_tail = s.sq_head - 1;
	assert_int_equal(ring_check(&s), CAPOS_RING_STATUS_SQ_CORRUPT |
	                                     CAPOS_RING_STATUS_CQ_CORRUPT);

	/* A full CQ is not corrupt, just full. */
	s.sq_tail = s.sq_head;
	s.cq_head = s.cq_tail - CAPOS_RING_CQ_ENTRIES;
	assert_int_equal(ring_check(&s), 0);
	assert_int_equal(ring_cq_space(&s), 0);
	assert_int_equal(ring_cq_ready(&s), CAPOS_RING_CQ_ENTRIES);
}

/* --- SQE validation ---------------------------------------------------- */

static struct capos_sqe
valid_sqe(uint8_t op)
{
	struct capos_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = op;
	s.user_data = 0xfeedfacecafebeefull;
	switch (op) {
	case CAPOS_OP_CALL:
		s.cap = CAP_A;
		s.method = 3;
		s.params_addr = BUF_ADDR;
		s.params_len = 128;
		s.result_addr = BUF_ADDR + 0x1000;
		s.result_len = 256;
		break;
	case CAPOS_OP_RECV:
		s.cap = CAP_A;
		s.result_addr = BUF_ADDR;
		s.result_len = 4096;
		break;
	case CAPOS_OP_RETURN:
		s.cap = CAP_A;
		s.call_id = 42;
		s.params_addr = BUF_ADDR;
		s.params_len = 64;
		break;
	case CAPOS_OP_RELEASE:
		s.cap = CAP_B;
		break;
	case CAPOS_OP_PARK:
		s.cap = CAP_A;
		s.word_addr = BUF_ADDR + 4;
		s.park_value = 0xffffffffu;
		s.timeout_ns = CAPOS_PARK_NO_TIMEOUT;
		break;
	case CAPOS_OP_UNPARK:
		s.cap = CAP_A;
		s.word_addr = BUF_ADDR + 4;
		s.unpark_count = 0xffffffffu;
		break;
	default:
		break;
	}
	return s;
}

static void
test_valid_sqes(void **state)
{
	static const uint8_t ops[] = {
	    CAPOS_OP_CALL, CAPOS_OP_RECV, CAPOS_OP_RETURN, CAPOS_OP_RELEASE,
	    CAPOS_OP_NOP,  CAPOS_OP_PARK, CAPOS_OP_UNPARK};
	struct capos_sqe s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		s = valid_sqe(ops[i]);
		assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
	}
	/* Limits are inclusive; absent buffers are (0, 0). */
	s = valid_sqe(CAPOS_OP_CALL);
	s.params_len = CAPOS_PARAMS_MAX;
	s.result_len = CAPOS_RESULT_MAX;
	s.xfer_count = CAPOS_XFER_MAX;
	s.xfer_addr = BUF_ADDR + 0x20000;
	s.method = 0xffff;
	assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
	s = valid_sqe(CAPOS_OP_CALL);
	s.params_addr = 0;
	s.params_len = 0;
	s.result_addr = 0;
	s.result_len = 0;
	assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
	/* A buffer may end exactly at the top of user space. */
	s.params_len = 16;
	s.params_addr = CAPOS_USER_END - 16;
	assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
	s = valid_sqe(CAPOS_OP_RETURN);
	s.flags = CAPOS_SQE_F_EXCEPTION;
	s.xfer_count = 1;
	s.xfer_addr = BUF_ADDR;
	assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
}

struct sqe_case {
	const char *name;
	uint8_t op;
	void (*mutate)(struct capos_sqe *s);
	int expect;
};

static void
z_all(struct capos_sqe *s)
{
	memset(s, 0, sizeof(*s));
}

static void
z_op8(struct capos_sqe *s)
{
	s->opcode = CAPOS_OP_COUNT;
}

static void
z_op255(struct capos_sqe *s)
{
	s->opcode = 255;
}

static void
z_park_zeroed(struct capos_sqe *s)
{
	memset(s, 0, sizeof(*s));
	s->opcode = CAPOS_OP_PARK;
}

static void
z_word_kernel(struct capos_sqe *s)
{
	s->word_addr = CAPOS_KERNEL_BASE;
}

static void
z_word_null(struct capos_sqe *s)
{
	s->word_addr = 0;
}

static void
z_word_last_bytes(struct capos_sqe *s)
{
	s->word_addr = CAPOS_USER_END - 2;
}

static void
z_word_ring(struct capos_sqe *s)
{
	s->word_addr = CAPOS_USER_RING_ADDR + 64;
}

static void
z_word_ring_last(struct capos_sqe *s)
{
	s->word_addr =
	    CAPOS_USER_RING_BASE + CAPOS_USER_RING_AREA_SIZE - sizeof(uint32_t);
}

static void
z_word_after_ring(struct capos_sqe *s)
{
	s->word_addr = CAPOS_USER_RING_BASE + CAPOS_USER_RING_AREA_SIZE;
}

static void
z_word_misaligned(struct capos_sqe *s)
{
	s->word_addr += 2;
}

static void
z_timeout_zero(struct capos_sqe *s)
{
	s->timeout_ns = 0;
}

static void
z_count_zero(struct capos_sqe *s)
{
	s->unpark_count = 0;
}

static void
z_count_one(struct capos_sqe *s)
{
	s->unpark_count = 1;
}

static void
z_unpark_timeout(struct capos_sqe *s)
{
	s->timeout_ns = 5;
}

static void
z_park_result(struct capos_sqe *s)
{
	s->result_addr = BUF_ADDR;
	s->result_len = 4;
}

static void
z_park_xfer(struct capos_sqe *s)
{
	s->xfer_count = 1;
}

static void
z_park_method(struct capos_sqe *s)
{
	s->method = 1;
}

static void
z_park_flag(struct capos_sqe *s)
{
	s->flags = CAPOS_SQE_F_EXCEPTION;
}

static void
z_bad_op_beats_flags(struct capos_sqe *s)
{
	s->opcode = 200;
	s->flags = 0xff;
}

static void
z_flag_unknown(struct capos_sqe *s)
{
	s->flags = 0x80;
}

static void
z_flag_exception(struct capos_sqe *s)
{
	s->flags = CAPOS_SQE_F_EXCEPTION;
}

static void
z_flags_beat_reserved(struct capos_sqe *s)
{
	s->flags = 0x40;
	s->reserved = 1;
}

static void
z_reserved(struct capos_sqe *s)
{
	s->reserved = 0x80000000u;
}

static void
z_cap(struct capos_sqe *s)
{
	s->cap = CAP_A;
}

static void
z_cap0(struct capos_sqe *s)
{
	s->cap = 0;
}

static void
z_cap_gen0(struct capos_sqe *s)
{
	s->cap = capos_capid_make(3, 0);
}

static void
z_method(struct capos_sqe *s)
{
	s->method = 1;
}

static void
z_call_id(struct capos_sqe *s)
{
	s->call_id = 1;
}

static void
z_call_id0(struct capos_sqe *s)
{
	s->call_id = 0;
}

static void
z_params_addr_only(struct capos_sqe *s)
{
	s->params_addr = BUF_ADDR;
	s->params_len = 0;
}

static void
z_params_len_only(struct capos_sqe *s)
{
	s->params_addr = 0;
	s->params_len = 8;
}

static void
z_params_set(struct capos_sqe *s)
{
	s->params_addr = BUF_ADDR;
	s->params_len = 8;
}

static void
z_params_too_long(struct capos_sqe *s)
{
	s->params_len = CAPOS_PARAMS_MAX + 1;
}

static void
z_params_kernel(struct capos_sqe *s)
{
	s->params_addr = CAPOS_KERNEL_DIRECT_MAP + 0x1000;
}

static void
z_params_below_base(struct capos_sqe *s)
{
	s->params_addr = CAPOS_USER_BASE - 8;
}

static void
z_params_past_end(struct capos_sqe *s)
{
	s->params_addr = CAPOS_USER_END - 8;
	s->params_len = 16;
}

static void
z_params_wrap(struct capos_sqe *s)
{
	s->params_addr = UINT64_MAX - 4;
	s->params_len = 16;
}

static void
z_too_long_beats_bad_addr(struct capos_sqe *s)
{
	s->params_addr = 0;
	s->params_len = UINT32_MAX;
}

static void
z_result_set(struct capos_sqe *s)
{
	s->result_addr = BUF_ADDR;
	s->result_len = 8;
}

static void
z_result_too_long(struct capos_sqe *s)
{
	s->result_len = CAPOS_RESULT_MAX + 1;
}

static void
z_result_null(struct capos_sqe *s)
{
	s->result_addr = 0;
}

static void
z_result_noncanonical(struct capos_sqe *s)
{
	s->result_addr = 0x0000800000000000ull;
}

static void
z_xfer_set(struct capos_sqe *s)
{
	s->xfer_addr = BUF_ADDR;
	s->xfer_count = 1;
}

static void
z_xfer_count_only(struct capos_sqe *s)
{
	s->xfer_count = 1;
}

static void
z_xfer_too_many(struct capos_sqe *s)
{
	s->xfer_addr = BUF_ADDR;
	s->xfer_count = CAPOS_XFER_MAX + 1;
}

static void
z_xfer_huge_count(struct capos_sqe *s)
{
	s->xfer_addr = BUF_ADDR;
	s->xfer_count = UINT32_MAX;
}

static void
z_xfer_addr_only(struct capos_sqe *s)
{
	s->xfer_addr = BUF_ADDR;
}

static void
z_xfer_past_end(struct capos_sqe *s)
{
	s->xfer_addr = CAPOS_USER_END - sizeof(struct capos_xfer);
	s->xfer_count = 2;
}

static const struct sqe_case sqe_cases[] = {
    {"zeroed SQE", CAPOS_OP_NOP, z_all, CAPOS_E_BAD_OPCODE},
    {"opcode one past the last", CAPOS_OP_NOP, z_op8, CAPOS_E_BAD_OPCODE},
    {"opcode 255", CAPOS_OP_NOP, z_op255, CAPOS_E_BAD_OPCODE},
    {"PARK zeroed: no cap", CAPOS_OP_PARK, z_park_zeroed, CAPOS_E_BAD_CAP},
    {"PARK word in the kernel", CAPOS_OP_PARK, z_word_kernel,
     CAPOS_E_BAD_BUFFER},
    {"PARK word at 0", CAPOS_OP_PARK, z_word_null, CAPOS_E_BAD_BUFFER},
    {"PARK word past user end", CAPOS_OP_PARK, z_word_last_bytes,
     CAPOS_E_BAD_BUFFER},
    {"PARK word in a ring page", CAPOS_OP_PARK, z_word_ring,
     CAPOS_E_BAD_BUFFER},
    {"PARK word at the ring area's end", CAPOS_OP_PARK, z_word_ring_last,
     CAPOS_E_BAD_BUFFER},
    {"PARK word just past the ring area", CAPOS_OP_PARK, z_word_after_ring,
     CAPOS_OK},
    {"PARK word misaligned", CAPOS_OP_PARK, z_word_misaligned, CAPOS_E_BAD_ARG},
    {"PARK timeout 0", CAPOS_OP_PARK, z_timeout_zero, CAPOS_OK},
    {"PARK result buffer", CAPOS_OP_PARK, z_park_result, CAPOS_E_BAD_FIELD},
    {"PARK xfer", CAPOS_OP_PARK, z_park_xfer, CAPOS_E_BAD_FIELD},
    {"PARK method", CAPOS_OP_PARK, z_park_method, CAPOS_E_BAD_FIELD},
    {"PARK flag", CAPOS_OP_PARK, z_park_flag, CAPOS_E_BAD_FLAGS},
    {"UNPARK count 0", CAPOS_OP_UNPARK, z_count_zero, CAPOS_E_BAD_ARG},
    {"UNPARK count 1", CAPOS_OP_UNPARK, z_count_one, CAPOS_OK},
    {"UNPARK timeout", CAPOS_OP_UNPARK, z_unpark_timeout, CAPOS_E_BAD_FIELD},
    {"UNPARK word misaligned", CAPOS_OP_UNPARK, z_word_misaligned,
     CAPOS_E_BAD_ARG},
    {"UNPARK word in a ring page", CAPOS_OP_UNPARK, z_word_ring,
     CAPOS_E_BAD_BUFFER},
    {"bad opcode checked first", CAPOS_OP_NOP, z_bad_op_beats_flags,
     CAPOS_E_BAD_OPCODE},
    {"unknown flag", CAPOS_OP_CALL, z_flag_unknown, CAPOS_E_BAD_FLAGS},
    {"EXCEPTION flag on CALL", CAPOS_OP_CALL, z_flag_exception,
     CAPOS_E_BAD_FLAGS},
    {"EXCEPTION flag on NOP", CAPOS_OP_NOP, z_flag_exception,
     CAPOS_E_BAD_FLAGS},
    {"flags checked before reserved", CAPOS_OP_NOP, z_flags_beat_reserved,
     CAPOS_E_BAD_FLAGS},
    {"reserved nonzero on NOP", CAPOS_OP_NOP, z_reserved, CAPOS_E_BAD_FIELD},
    {"reserved nonzero on CALL", CAPOS_OP_CALL, z_reserved, CAPOS_E_BAD_FIELD},
    {"NOP with a cap", CAPOS_OP_NOP, z_cap, CAPOS_E_BAD_FIELD},
    {"NOP with params", CAPOS_OP_NOP, z_params_set, CAPOS_E_BAD_FIELD},
    {"NOP with a result buffer", CAPOS_OP_NOP, z_result_set, CAPOS_E_BAD_FIELD},
    {"NOP with a call id", CAPOS_OP_NOP, z_call_id, CAPOS_E_BAD_FIELD},
    {"NOP with transfers", CAPOS_OP_NOP, z_xfer_set, CAPOS_E_BAD_FIELD},
    {"NOP with a method", CAPOS_OP_NOP, z_method, CAPOS_E_BAD_FIELD},
    {"CALL cap 0", CAPOS_OP_CALL, z_cap0, CAPOS_E_BAD_CAP},
    {"CALL cap generation 0", CAPOS_OP_CALL, z_cap_gen0, CAPOS_E_BAD_CAP},
    {"CALL with an interface id", CAPOS_OP_CALL, z_call_id, CAPOS_OK},
    {"CALL params address without length", CAPOS_OP_CALL, z_params_addr_only,
     CAPOS_E_BAD_BUFFER},
    {"CALL params length without address", CAPOS_OP_CALL, z_params_len_only,
     CAPOS_E_BAD_BUFFER},
    {"CALL params over limit", CAPOS_OP_CALL, z_params_too_long,
     CAPOS_E_TOO_LONG},
    {"CALL params in kernel space", CAPOS_OP_CALL, z_params_kernel,
     CAPOS_E_BAD_BUFFER},
    {"CALL params in NULL guard", CAPOS_OP_CALL, z_params_below_base,
     CAPOS_E_BAD_BUFFER},
    {"CALL params past user end", CAPOS_OP_CALL, z_params_past_end,
     CAPOS_E_BAD_BUFFER},
    {"CALL params wrap", CAPOS_OP_CALL, z_params_wrap, CAPOS_E_BAD_BUFFER},
    {"length limit checked before address", CAPOS_OP_CALL,
     z_too_long_beats_bad_addr, CAPOS_E_TOO_LONG},
    {"CALL result over limit", CAPOS_OP_CALL, z_result_too_long,
     CAPOS_E_TOO_LONG},
    {"CALL result NULL", CAPOS_OP_CALL, z_result_null, CAPOS_E_BAD_BUFFER},
    {"CALL result non-canonical", CAPOS_OP_CALL, z_result_noncanonical,
     CAPOS_E_BAD_BUFFER},
    {"CALL transfer count without address", CAPOS_OP_CALL, z_xfer_count_only,
     CAPOS_E_BAD_BUFFER},
    {"CALL transfer address without count", CAPOS_OP_CALL, z_xfer_addr_only,
     CAPOS_E_BAD_BUFFER},
    {"CALL too many transfers", CAPOS_OP_CALL, z_xfer_too_many,
     CAPOS_E_BAD_XFER},
    {"CALL transfer count huge", CAPOS_OP_CALL, z_xfer_huge_count,
     CAPOS_E_BAD_XFER},
    {"CALL transfers past user end", CAPOS_OP_CALL, z_xfer_past_end,
     CAPOS_E_BAD_BUFFER},
    {"RECV with a method", CAPOS_OP_RECV, z_method, CAPOS_E_BAD_FIELD},
    {"RECV with params", CAPOS_OP_RECV, z_params_set, CAPOS_E_BAD_FIELD},
    {"RECV with a call id", CAPOS_OP_RECV, z_call_id, CAPOS_E_BAD_FIELD},
    {"RECV with transfers", CAPOS_OP_RECV, z_xfer_set, CAPOS_E_BAD_FIELD},
    {"RECV cap 0", CAPOS_OP_RECV, z_cap0, CAPOS_E_BAD_CAP},
    {"RECV result over limit", CAPOS_OP_RECV, z_result_too_long,
     CAPOS_E_TOO_LONG},
    {"RETURN call id 0", CAPOS_OP_RETURN, z_call_id0, CAPOS_E_BAD_CALL_ID},
    {"RETURN with a result buffer", CAPOS_OP_RETURN, z_result_set,
     CAPOS_E_BAD_FIELD},
    {"RETURN with a method", CAPOS_OP_RETURN, z_method, CAPOS_E_BAD_FIELD},
    {"RETURN cap 0", CAPOS_OP_RETURN, z_cap0, CAPOS_E_BAD_CAP},
    {"RETURN payload over limit", CAPOS_OP_RETURN, z_params_too_long,
     CAPOS_E_TOO_LONG},
    {"RELEASE cap 0", CAPOS_OP_RELEASE, z_cap0, CAPOS_E_BAD_CAP},
    {"RELEASE with a method", CAPOS_OP_RELEASE, z_method, CAPOS_E_BAD_FIELD},
    {"RELEASE with params", CAPOS_OP_RELEASE, z_params_set, CAPOS_E_BAD_FIELD},
    {"RELEASE with a result buffer", CAPOS_OP_RELEASE, z_result_set,
     CAPOS_E_BAD_FIELD},
    {"RELEASE with a call id", CAPOS_OP_RELEASE, z_call_id, CAPOS_E_BAD_FIELD},
    {"RELEASE with transfers", CAPOS_OP_RELEASE, z_xfer_set, CAPOS_E_BAD_FIELD},
};

/* As the kernel checks an SQE: a case per opcode, each running the
 * checks of its own opcode (a constant, so the rule table folds away). */
static int
validate_by_case(const struct capos_sqe *s)
{
	switch (s->opcode) {
	case CAPOS_OP_CALL:
		return ring_sqe_validate_op(s, CAPOS_OP_CALL);
	case CAPOS_OP_RECV:
		return ring_sqe_validate_op(s, CAPOS_OP_RECV);
	case CAPOS_OP_RETURN:
		return ring_sqe_validate_op(s, CAPOS_OP_RETURN);
	case CAPOS_OP_RELEASE:
		return ring_sqe_validate_op(s, CAPOS_OP_RELEASE);
	case CAPOS_OP_NOP:
		return ring_sqe_validate_op(s, CAPOS_OP_NOP);
	case CAPOS_OP_PARK:
		return ring_sqe_validate_op(s, CAPOS_OP_PARK);
	case CAPOS_OP_UNPARK:
		return ring_sqe_validate_op(s, CAPOS_OP_UNPARK);
	default:
		return ring_sqe_validate(s);
	}
}

static void
run_sqe_case(void **state)
{
	const struct sqe_case *c = *state;
	struct capos_sqe s = valid_sqe(c->op);
	int got;

	assert_int_equal(ring_sqe_validate(&s), CAPOS_OK);
	c->mutate(&s);
	got = ring_sqe_validate(&s);
	if (got != c->expect)
		fail_msg("%s: got %s, expected %s", c->name,
		         capos_error_name(got), capos_error_name(c->expect));
	assert_int_equal(validate_by_case(&s), got);
}

/* Random SQEs: whatever validates must satisfy every static rule, and
 * the per-opcode checks give the same answer as ring_sqe_validate. */
static void
test_validate_random(void **state)
{
	static const uint64_t addrs[] = {
	    0,
	    BUF_ADDR,
	    CAPOS_USER_BASE,
	    CAPOS_USER_END - 64,
	    CAPOS_KERNEL_BASE,
	    UINT64_MAX - 8,
	    1,
	};
	static const uint32_t lens[] = {
	    0, 1, 64, CAPOS_PARAMS_MAX, CAPOS_PARAMS_MAX + 1, UINT32_MAX};
	uint64_t rng = 0x853c49e6748fea9bull;
	uint32_t accepted = 0, i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		struct capos_sqe s;
		uint8_t *b = (uint8_t *)&s;
		size_t k;

		for (k = 0; k < sizeof(s); k++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			b[k] = (uint8_t)rng;
		}
		/* Bias toward values that can pass, field by field. */
		s.opcode = (uint8_t)(rng % (CAPOS_OP_COUNT + 1));
		s.flags = (rng >> 8) % 4 ? 0 : s.flags;
		s.reserved = (rng >> 10) % 8 ? 0 : s.reserved;
		s.method = (rng >> 12) % 2 ? 0 : s.method;
		s.cap = (rng >> 13) % 4 ? CAP_A : s.cap;
		s.call_id = (rng >> 15) % 2 ? 0 : (rng >> 16) % 3;
		s.params_addr = addrs[(rng >> 20) % ARRAY_SIZE(addrs)];
		s.params_len = lens[(rng >> 24) % ARRAY_SIZE(lens)];
		s.result_addr = addrs[(rng >> 28) % ARRAY_SIZE(addrs)];
		s.result_len = lens[(rng >> 32) % ARRAY_SIZE(lens)];
		s.xfer_addr = addrs[(rng >> 36) % ARRAY_SIZE(addrs)];
		s.xfer_count = (uint32_t)((rng >> 40) % 11);

		assert_int_equal(validate_by_case(&s), ring_sqe_validate(&s));
		if (ring_sqe_validate(&s) != CAPOS_OK)
			continue;
		accepted++;
		assert_true(s.opcode >= CAPOS_OP_CALL &&
		            s.opcode <= CAPOS_OP_UNPARK);
		assert_int_equal(s.flags & ~CAPOS_SQE_FLAGS_KNOWN, 0);
		assert_int_equal(s.reserved, 0);
		if (s.opcode == CAPOS_OP_PARK || s.opcode == CAPOS_OP_UNPARK) {
			/* A word: user memory outside the rings, aligned. */
			assert_true(capos_user_range_ok(s.word_addr, 4));
			assert_int_equal(s.word_addr % 4, 0);
			assert_false(s.word_addr >= CAPOS_USER_RING_BASE &&
			             s.word_addr <
			                 CAPOS_USER_RING_BASE +
			                     CAPOS_USER_RING_AREA_SIZE);
			assert_true(capos_capid_is_wellformed(s.cap));
			assert_int_equal(s.result_addr | s.result_len, 0);
			assert_int_equal(s.xfer_addr | s.xfer_count, 0);
			if (s.opcode == CAPOS_OP_UNPARK)
				assert_int_not_equal(s.unpark_count, 0);
			continue;
		}
		assert_true(s.params_len <= CAPOS_PARAMS_MAX);
		assert_true(s.result_len <= CAPOS_RESULT_MAX);
		assert_true(s.xfer_count <= CAPOS_XFER_MAX);
		assert_true(capos_user_range_ok(s.params_addr, s.params_len));
		assert_true(capos_user_range_ok(s.result_addr, s.result_len));
		assert_true(capos_user_range_ok(
		    s.xfer_addr, s.xfer_count * sizeof(struct capos_xfer)));
		if (s.opcode != CAPOS_OP_NOP)
			assert_true(capos_capid_is_wellformed(s.cap));
		else
			assert_int_equal(s.cap, 0);
		/* The word is RETURN's call id and CALL's interface id. */
		if (s.opcode == CAPOS_OP_RETURN)
			assert_int_not_equal(s.call_id, 0);
		else if (s.opcode != CAPOS_OP_CALL)
			assert_int_equal(s.call_id, 0);
	}
	assert_true(accepted > 100);
}

static void
test_xfer_validate(void **state)
{
	struct capos_xfer x[CAPOS_XFER_MAX + 1];
	uint32_t i;

	(void)state;
	memset(x, 0, sizeof(x));
	for (i = 0; i < CAPOS_XFER_MAX + 1; i++) {
		x[i].cap = capos_capid_make(i, 1);
		x[i].mode = i % 2 ? CAPOS_XFER_MOVE : CAPOS_XFER_COPY;
	}
	assert_int_equal(ring_xfer_validate(x, 0), CAPOS_OK);
	assert_int_equal(ring_xfer_validate(x, CAPOS_XFER_MAX), CAPOS_OK);
	assert_int_equal(ring_xfer_validate(x, CAPOS_XFER_MAX + 1),
	                 CAPOS_E_BAD_XFER);

	x[2].mode = 0;
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);
	x[2].mode = 3;
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);
	/* The bad entry is only seen when it is within n. */
	assert_int_equal(ring_xfer_validate(x, 2), CAPOS_OK);
	x[2].mode = CAPOS_XFER_MOVE;

	x[1].reserved = 1;
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);
	x[1].reserved = 0;

	x[3].cap = 0;
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);
	x[3].cap = capos_capid_make(3, 0);
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);

	/* The same cap twice, whatever the modes. */
	x[3].cap = x[0].cap;
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_E_BAD_XFER);
	x[3].cap = capos_capid_make(3, 1);
	assert_int_equal(ring_xfer_validate(x, 4), CAPOS_OK);
}

static void
test_names(void **state)
{
	int a, b;

	(void)state;
	assert_string_equal(ring_opcode_name(CAPOS_OP_CALL), "CALL");
	assert_string_equal(ring_opcode_name(CAPOS_OP_UNPARK), "UNPARK");
	assert_string_equal(ring_opcode_name(0), "INVALID");
	assert_string_equal(ring_opcode_name(CAPOS_OP_COUNT), "INVALID");
	assert_string_equal(ring_opcode_name(255), "INVALID");

	/* Every defined code has its own name. */
	for (a = CAPOS_OK; a >= CAPOS_E_TRUNCATED; a--) {
		const char *na = capos_error_name(a);

		if (a < CAPOS_E_RING_CORRUPT && a > CAPOS_E_APP_EXCEPTION) {
			assert_string_equal(na, "CAPOS_E_UNKNOWN");
			continue;
		}
		assert_string_not_equal(na, "CAPOS_E_UNKNOWN");
		for (b = a - 1; b >= CAPOS_E_TRUNCATED; b--)
			assert_string_not_equal(na, capos_error_name(b));
	}
	assert_true(capos_error_is_transport(CAPOS_E_BAD_OPCODE));
	assert_true(capos_error_is_transport(CAPOS_E_RING_CORRUPT));
	assert_true(capos_error_is_transport(CAPOS_E_TRANSPORT_LAST));
	assert_false(capos_error_is_transport(CAPOS_OK));
	assert_false(capos_error_is_transport(5));
	assert_false(capos_error_is_transport(CAPOS_E_APP_EXCEPTION));
	assert_false(capos_error_is_transport(CAPOS_E_TRUNCATED));
}

/* --- Kernel and user over one page ------------------------------------- */

static _Alignas(4096) struct capos_ring_page page;

/* The userspace side, written the way a runtime would. */
static void
user_submit(struct capos_ring_page *p, const struct capos_sqe *sqe)
{
	uint32_t tail = p->hdr.sq_tail;

	p->sq[tail & SQ_MASK] = *sqe;
	__atomic_store_n(&p->hdr.sq_tail, tail + 1, __ATOMIC_RELEASE);
}

static void
user_nop(struct capos_ring_page *p, uint64_t user_data)
{
	struct capos_sqe s = valid_sqe(CAPOS_OP_NOP);

	s.user_data = user_data;
	user_submit(p, &s);
}

static int
user_reap(struct capos_ring_page *p, struct capos_cqe *out)
{
	uint32_t head = p->hdr.cq_head;

	if (head == __atomic_load_n(&p->hdr.cq_tail, __ATOMIC_ACQUIRE))
		return 0;
	*out = p->cq[head & CQ_MASK];
	p->hdr.cq_head = head + 1;
	return 1;
}

/* The kernel side: one pass, answering every SQE with its validation
 * result, as cap_enter would for opcodes that complete at once. */
static uint32_t
kernel_pass(struct ring *r, uint32_t budget)
{
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	uint32_t n, i;

	ring_sync(r, &snap);
	n = ring_sq_batch(r, budget);
	for (i = 0; i < n; i++) {
		struct capos_cqe cqe = {0};

		/* As cap_enter takes them: checked once for the batch. */
		ring_sq_take_batched(r, &sqe);
		cqe.user_data = sqe.user_data;
		cqe.result = ring_sqe_validate(&sqe);
		assert_int_equal(ring_cq_post(r, &cqe), 0);
	}
	return n;
}

static void
test_init_header(void **state)
{
	struct ring r;

	(void)state;
	memset(&page, 0xa5, sizeof(page));
	ring_init(&r, &page);
	assert_memory_equal(&page.hdr.magic, "CRNG", 4);
	assert_int_equal(page.hdr.magic, CAPOS_RING_MAGIC);
	assert_int_equal(page.hdr.abi_major, CAPOS_ABI_MAJOR);
	assert_int_equal(page.hdr.abi_minor, CAPOS_ABI_MINOR);
	assert_int_equal(page.hdr.sq_entries, CAPOS_RING_SQ_ENTRIES);
	assert_int_equal(page.hdr.cq_entries, CAPOS_RING_CQ_ENTRIES);
	assert_int_equal(page.hdr.sqe_offset, CAPOS_RING_SQE_OFFSET);
	assert_int_equal(page.hdr.cqe_offset, CAPOS_RING_CQE_OFFSET);
	/* Everything after the setup fields starts out zero. */
	{
		const uint8_t *b = (const uint8_t *)&page;
		size_t k;

		for (k = offsetof(struct capos_ring_header, pad0);
		     k < sizeof(page); k++)
			if (b[k] != 0)
				fail_msg("byte %zu not zeroed", k);
	}
	assert_ptr_equal(r.page, &page);
	assert_int_equal(r.sq_head, 0);
	assert_int_equal(r.cq_tail, 0);
}

static void
test_round_trip(void **state)
{
	struct ring r;
	struct capos_cqe c;
	struct capos_sqe bad;
	uint32_t i;

	(void)state;
	ring_init(&r, &page);
	user_nop(&page, 1);
	user_nop(&page, 2);
	bad = valid_sqe(CAPOS_OP_CALL);
	bad.cap = 0;
	bad.user_data = 3;
	user_submit(&page, &bad);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 3);
	assert_int_equal(page.hdr.sq_head, 3);
	assert_int_equal(page.hdr.cq_tail, 3);
	assert_int_equal(r.cq_reserved, 0);
	for (i = 1; i <= 3; i++) {
		assert_true(user_reap(&page, &c));
		assert_int_equal(c.user_data, i);
		assert_int_equal(c.result, i < 3 ? CAPOS_OK : CAPOS_E_BAD_CAP);
	}
	assert_false(user_reap(&page, &c));
	/* Nothing pending: a pass does nothing. */
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 0);
	assert_int_equal(page.hdr.status, 0);
	assert_int_equal(page.hdr.cq_overflow, 0);
}

static void
test_budget(void **state)
{
	struct ring r;
	uint32_t i;

	(void)state;
	ring_init(&r, &page);
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		user_nop(&page, i);
	assert_int_equal(kernel_pass(&r, 5), 5);
	assert_int_equal(kernel_pass(&r, 5), 5);
	assert_int_equal(kernel_pass(&r, 100), CAPOS_RING_SQ_ENTRIES - 10);
	assert_int_equal(page.hdr.sq_head, CAPOS_RING_SQ_ENTRIES);
}

/* An SQE is only taken when its completion is sure to fit: completions
 * already waiting and completions owed both count. */
static void
test_cq_space_limits_taking(void **state)
{
	struct ring r;
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	struct capos_cqe c;
	uint32_t i;

	(void)state;
	ring_init(&r, &page);
	/* Fill the CQ without reaping: 32 completions in two rounds. */
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		user_nop(&page, i);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 16);
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		user_nop(&page, 16 + i);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 16);
	/* CQ full: new SQEs stay queued, and are not lost. */
	user_nop(&page, 100);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 0);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_take(&r, &sqe), -1);
	assert_int_equal(ring_sq_pending(&snap), 1);
	assert_int_equal(ring_cq_ready(&snap), CAPOS_RING_CQ_ENTRIES);
	assert_int_equal(page.hdr.status, 0);

	/* Reaping one makes room for exactly one. */
	assert_true(user_reap(&page, &c));
	assert_int_equal(c.user_data, 0);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);

	/* Taken but not yet completed (a RECV waiting for a caller)
	 * still holds its slot: leave 10 completions unread, take 16
	 * SQEs without completing them, and only 32 - 10 - 16 more may
	 * be taken. */
	for (i = 0; i < CAPOS_RING_CQ_ENTRIES - 10; i++)
		assert_true(user_reap(&page, &c));
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		user_nop(&page, 200 + i);
	ring_sync(&r, &snap);
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		assert_int_equal(ring_sq_take(&r, &sqe), 0);
	assert_int_equal(r.cq_reserved, CAPOS_RING_SQ_ENTRIES);
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		user_nop(&page, 300 + i);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_batch(&r, 100),
	                 CAPOS_RING_CQ_ENTRIES - 10 - CAPOS_RING_SQ_ENTRIES);
	/* Every owed completion fits when it comes. */
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++) {
		struct capos_cqe done = {.user_data = 200 + i};

		assert_int_equal(ring_cq_post(&r, &done), 0);
	}
	assert_int_equal(page.hdr.cq_overflow, 0);
	assert_int_equal(r.cq_reserved, 0);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_batch(&r, 100),
	                 CAPOS_RING_CQ_ENTRIES - 10 - CAPOS_RING_SQ_ENTRIES);
}

/* Free-running indices keep working across the u32 wrap. */
static void
test_index_wrap(void **state)
{
	const uint32_t start = 0xfffffff5u;
	struct ring r;
	struct capos_cqe c;
	uint64_t next_sent = 0, next_seen = 0;
	uint32_t round, k;

	(void)state;
	ring_init(&r, &page);
	r.sq_head = start;
	r.cq_tail = start;
	page.hdr.sq_head = start;
	page.hdr.sq_tail = start;
	page.hdr.cq_head = start;
	page.hdr.cq_tail = start;
	for (round = 0; round < 50; round++) {
		uint32_t burst = 1 + round % CAPOS_RING_SQ_ENTRIES;

		for (k = 0; k < burst; k++)
			user_nop(&page, next_sent++);
		assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), burst);
		while (user_reap(&page, &c)) {
			assert_int_equal(c.user_data, next_seen);
			assert_int_equal(c.result, CAPOS_OK);
			next_seen++;
		}
	}
	assert_int_equal(next_seen, next_sent);
	assert_true(r.sq_head < start); /* it did wrap */
	assert_int_equal(page.hdr.status, 0);
}

static void
test_sq_corruption(void **state)
{
	struct ring r;
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	struct capos_cqe c;

	(void)state;
	ring_init(&r, &page);
	user_nop(&page, 1);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);
	assert_true(user_reap(&page, &c));

	/* Tail pushed beyond the ring. */
	page.hdr.sq_tail = r.sq_head + CAPOS_RING_SQ_ENTRIES + 1;
	assert_int_equal(ring_sync(&r, &snap), CAPOS_RING_STATUS_SQ_CORRUPT);
	assert_int_equal(page.hdr.status, CAPOS_RING_STATUS_SQ_CORRUPT);
	assert_int_equal(ring_sq_batch(&r, RING_SQ_BUDGET), 0);
	assert_int_equal(ring_sq_take(&r, &sqe), -1);
	assert_int_equal(page.hdr.sq_head, 1);

	/* Tail moved behind the kernel's head. */
	page.hdr.sq_tail = r.sq_head - 1;
	assert_int_equal(ring_sync(&r, &snap), CAPOS_RING_STATUS_SQ_CORRUPT);
	assert_int_equal(ring_sq_take(&r, &sqe), -1);

	/* Repaired: the status clears and the ring works again. */
	page.hdr.sq_tail = r.sq_head;
	user_nop(&page, 2);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);
	assert_int_equal(page.hdr.status, 0);
	assert_true(user_reap(&page, &c));
	assert_int_equal(c.user_data, 2);
}

static void
test_cq_corruption_counts_overflow(void **state)
{
	struct ring r;
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	struct capos_cqe c = {0}, before;

	(void)state;
	ring_init(&r, &page);
	user_nop(&page, 1);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_take(&r, &sqe), 0);

	/* Userspace moves cq_head past the kernel's tail before the
	 * completion is posted. */
	page.hdr.cq_head = 5;
	before = page.cq[0];
	c.user_data = sqe.user_data;
	assert_int_equal(ring_cq_post(&r, &c), -1);
	assert_int_equal(page.hdr.cq_overflow, 1);
	assert_int_equal(r.cq_overflow, 1);
	assert_int_equal(page.hdr.cq_tail, 0);
	assert_int_equal(page.hdr.status, CAPOS_RING_STATUS_CQ_CORRUPT);
	assert_memory_equal(&page.cq[0], &before, sizeof(before));
	assert_int_equal(r.cq_reserved, 0);

	/* Nothing more is taken while the CQ is corrupt... */
	user_nop(&page, 2);
	assert_int_equal(ring_sync(&r, &snap), CAPOS_RING_STATUS_CQ_CORRUPT);
	assert_int_equal(ring_sq_batch(&r, RING_SQ_BUDGET), 0);
	/* ...and everything works once it is repaired. */
	page.hdr.cq_head = 0;
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);
	assert_int_equal(page.hdr.status, 0);
	assert_true(user_reap(&page, &c));
	assert_int_equal(c.user_data, 2);
	assert_int_equal(page.hdr.cq_overflow, 1);
}

/* The kernel never trusts what userspace writes into the kernel-owned
 * words: it keeps its own copies and republishes them. */
static void
test_kernel_words_not_trusted(void **state)
{
	struct ring r;
	struct capos_cqe c;

	(void)state;
	ring_init(&r, &page);
	user_nop(&page, 1);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);
	assert_true(user_reap(&page, &c));

	page.hdr.sq_head = 1000;
	page.hdr.cq_tail = 77;
	page.hdr.status = 0xffffffffu;
	page.hdr.sq_entries = 4096; /* line 0 is never read back */
	user_nop(&page, 2);
	assert_int_equal(kernel_pass(&r, RING_SQ_BUDGET), 1);
	assert_int_equal(page.hdr.sq_head, 2);
	assert_int_equal(page.hdr.cq_tail, 2);
	assert_int_equal(page.hdr.status, 0);
	assert_int_equal(page.cq[1].user_data, 2);
}

/* ring_sq_take hands out a private copy: later writes to the shared slot
 * cannot change what the kernel validated. */
static void
test_take_copies(void **state)
{
	struct ring r;
	struct ring_snapshot snap;
	struct capos_sqe sqe, orig = valid_sqe(CAPOS_OP_CALL);

	(void)state;
	ring_init(&r, &page);
	user_submit(&page, &orig);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_take(&r, &sqe), 0);
	assert_int_equal(ring_sqe_validate(&sqe), CAPOS_OK);
	page.sq[0].params_addr = CAPOS_KERNEL_BASE;
	page.sq[0].params_len = CAPOS_PARAMS_MAX * 2;
	assert_memory_equal(&sqe, &orig, sizeof(sqe));
}

/* A snapshot never lets the kernel take an SQE published after it. */
static void
test_take_bounded_by_snapshot(void **state)
{
	struct ring r;
	struct ring_snapshot snap;
	struct capos_sqe sqe;

	(void)state;
	ring_init(&r, &page);
	user_nop(&page, 1);
	ring_sync(&r, &snap);
	user_nop(&page, 2);
	assert_int_equal(ring_sq_take(&r, &sqe), 0);
	assert_int_equal(sqe.user_data, 1);
	assert_int_equal(ring_sq_take(&r, &sqe), -1);
	ring_sync(&r, &snap);
	assert_int_equal(ring_sq_take(&r, &sqe), 0);
	assert_int_equal(sqe.user_data, 2);
}

/* --- Runner ------------------------------------------------------------ */

static const struct CMUnitTest fixed_tests[] = {
    cmocka_unit_test(test_queued),
    cmocka_unit_test(test_snapshot),
    cmocka_unit_test(test_valid_sqes),
    cmocka_unit_test(test_validate_random),
    cmocka_unit_test(test_xfer_validate),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_init_header),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_budget),
    cmocka_unit_test(test_cq_space_limits_taking),
    cmocka_unit_test(test_index_wrap),
    cmocka_unit_test(test_sq_corruption),
    cmocka_unit_test(test_cq_corruption_counts_overflow),
    cmocka_unit_test(test_kernel_words_not_trusted),
    cmocka_unit_test(test_take_copies),
    cmocka_unit_test(test_take_bounded_by_snapshot),
};

static struct CMUnitTest tests[ARRAY_SIZE(fixed_tests) + ARRAY_SIZE(sqe_cases)];

int
main(void)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(fixed_tests); i++)
		tests[n++] = fixed_tests[i];
	for (i = 0; i < ARRAY_SIZE(sqe_cases); i++) {
		tests[n].name = sqe_cases[i].name;
		tests[n].test_func = run_sqe_case;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n].initial_state = (void *)&sqe_cases[i];
		n++;
	}
	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
