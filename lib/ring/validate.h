/*
 * The static checks of an SQE (ring_sqe_validate, ring.h), and the one
 * table they follow: which fields each opcode reads (the table in
 * <capos/ring.h>); every other field must be zero.
 *
 * They are inline so that a caller that has already switched on the
 * opcode can run the checks of that opcode alone: with a constant
 * opcode, the table entry folds away and what is left is a few tests in
 * a row, not a walk through every rule (the kernel does this for every
 * SQE it takes).  ring_sqe_validate runs the same code for any opcode.
 */
#ifndef RING_VALIDATE_H
#define RING_VALIDATE_H

#include <stdint.h>

#include <capos/capid.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/ring.h>

/* The SQE fields an opcode reads (see the table in <capos/ring.h>). */
#define RING_USES_CAP     (1u << 0)
#define RING_USES_METHOD  (1u << 1)
#define RING_USES_PARAMS  (1u << 2)
#define RING_USES_RESULT  (1u << 3)
#define RING_USES_CALL_ID (1u << 4)
#define RING_USES_XFER    (1u << 5)
#define RING_USES_IFACE   (1u << 6) /* the word call_id shares */
#define RING_USES_WORD    (1u << 7) /* word_addr, in params_addr's place */
#define RING_USES_VALUE   (1u << 8) /* park_value/unpark_count: params_len's */
#define RING_USES_TIMEOUT (1u << 9) /* timeout_ns, in call_id's place */

struct ring_op_rule {
	uint8_t served; /* 0: reserved for a later ABI feature */
	uint16_t uses;  /* RING_USES_* */
	uint8_t flags;  /* CAPOS_SQE_F_* valid with this opcode */
};

/* Opcodes absent from the table (0 included) are CAPOS_E_BAD_OPCODE. */
static const struct ring_op_rule ring_op_rules[CAPOS_OP_COUNT] = {
    [CAPOS_OP_CALL] = {1,
                       RING_USES_CAP | RING_USES_METHOD | RING_USES_IFACE |
                           RING_USES_PARAMS | RING_USES_RESULT | RING_USES_XFER,
                       0},
    [CAPOS_OP_RECV] = {1, RING_USES_CAP | RING_USES_RESULT, 0},
    [CAPOS_OP_RETURN] = {1,
                         RING_USES_CAP | RING_USES_PARAMS | RING_USES_CALL_ID |
                             RING_USES_XFER,
                         CAPOS_SQE_F_EXCEPTION},
    [CAPOS_OP_RELEASE] = {1, RING_USES_CAP, 0},
    [CAPOS_OP_NOP] = {1, 0, 0},
    [CAPOS_OP_PARK] = {1,
                       RING_USES_CAP | RING_USES_WORD | RING_USES_VALUE |
                           RING_USES_TIMEOUT,
                       0},
    [CAPOS_OP_UNPARK] = {1, RING_USES_CAP | RING_USES_WORD | RING_USES_VALUE,
                         0},
};

/* Fields the opcode does not read must be zero, so that they can be given
 * a meaning for that opcode later without misreading old binaries.  The
 * fields are or-ed together and tested once. */
static inline __attribute__((always_inline)) int
ring_unused_fields_zero(const struct capos_sqe *sqe, uint16_t uses)
{
	uint64_t set = 0;

	if (!(uses & RING_USES_CAP))
		set |= sqe->cap;
	if (!(uses & RING_USES_METHOD))
		set |= sqe->method;
	if (!(uses & (RING_USES_PARAMS | RING_USES_WORD)))
		set |= sqe->params_addr;
	if (!(uses & (RING_USES_PARAMS | RING_USES_VALUE)))
		set |= sqe->params_len;
	if (!(uses & RING_USES_RESULT))
		set |= sqe->result_addr | sqe->result_len;
	if (!(uses & (RING_USES_CALL_ID | RING_USES_IFACE | RING_USES_TIMEOUT)))
		set |= sqe->call_id;
	if (!(uses & RING_USES_XFER))
		set |= sqe->xfer_addr | sqe->xfer_count;
	return set == 0;
}

static inline __attribute__((always_inline)) int
ring_check_buffer(uint64_t addr, uint32_t len, uint32_t max)
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
static inline __attribute__((always_inline)) int
ring_check_word(uint64_t addr)
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

/*
 * ring_sqe_validate for an SQE whose opcode is op, a known and served one
 * (the caller switched on sqe->opcode; op is that case's constant).  The
 * checks after the opcode's, in the order ring_sqe_validate documents.
 */
static inline __attribute__((always_inline)) int
ring_sqe_validate_op(const struct capos_sqe *sqe, uint8_t op)
{
	const struct ring_op_rule *rule = &ring_op_rules[op];
	int err;

	/* A rule's flags are known ones: one test covers both. */
	if (sqe->flags & ~(rule->flags & CAPOS_SQE_FLAGS_KNOWN))
		return CAPOS_E_BAD_FLAGS;
	if (sqe->reserved != 0)
		return CAPOS_E_BAD_FIELD;
	if (!ring_unused_fields_zero(sqe, rule->uses))
		return CAPOS_E_BAD_FIELD;

	if ((rule->uses & RING_USES_CAP) &&
	    !capos_capid_is_wellformed(sqe->cap))
		return CAPOS_E_BAD_CAP;
	if (rule->uses & RING_USES_PARAMS) {
		err = ring_check_buffer(sqe->params_addr, sqe->params_len,
		                        CAPOS_PARAMS_MAX);
		if (err != CAPOS_OK)
			return err;
	}
	if (rule->uses & RING_USES_RESULT) {
		err = ring_check_buffer(sqe->result_addr, sqe->result_len,
		                        CAPOS_RESULT_MAX);
		if (err != CAPOS_OK)
			return err;
	}
	if (rule->uses & RING_USES_WORD) {
		err = ring_check_word(sqe->word_addr);
		if (err != CAPOS_OK)
			return err;
	}
	/* Waking nobody is never what a program means. */
	if (op == CAPOS_OP_UNPARK && sqe->unpark_count == 0)
		return CAPOS_E_BAD_ARG;
	/* Call ids are issued from 1, so 0 can never name a call. */
	if ((rule->uses & RING_USES_CALL_ID) && sqe->call_id == 0)
		return CAPOS_E_BAD_CALL_ID;
	if (rule->uses & RING_USES_XFER) {
		if (sqe->xfer_count > CAPOS_XFER_MAX)
			return CAPOS_E_BAD_XFER;
		if (!capos_user_range_ok(sqe->xfer_addr,
		                         (uint64_t)sqe->xfer_count *
		                             sizeof(struct capos_xfer)))
			return CAPOS_E_BAD_BUFFER;
	}
	return CAPOS_OK;
}

#endif
