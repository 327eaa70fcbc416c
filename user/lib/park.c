/*
 * PARK and UNPARK through the process's ParkSpace, on the calling
 * thread's own ring.  The ParkSpace is found once, by interface, among
 * whatever the CapSet holds: every ParkSpace of a process names the same
 * (process-private) space, so any one will do.
 */
#include "capos.h"
#include "internal.h"

#include "capos.capnp.h"

enum { PARK_UNKNOWN, PARK_FOUND, PARK_ABSENT };

static capos_capid_t park_cap;
static uint32_t park_state;

/* Threads that race here find the same entry and store the same values. */
static int
park_space(capos_capid_t *cap)
{
	uint32_t state = __atomic_load_n(&park_state, __ATOMIC_ACQUIRE);
	capos_capid_t found;

	if (state == PARK_UNKNOWN) {
		state = PARK_ABSENT;
		if (capos_capset_find_interface(capos_ParkSpace_TYPE_ID,
		                                &found) == 0) {
			__atomic_store_n(&park_cap, found, __ATOMIC_RELAXED);
			state = PARK_FOUND;
		}
		__atomic_store_n(&park_state, state, __ATOMIC_RELEASE);
	}
	if (state != PARK_FOUND)
		return CAPOS_E_NOT_SUPPORTED;
	*cap = __atomic_load_n(&park_cap, __ATOMIC_RELAXED);
	return 0;
}

bool
capos_park_available(void)
{
	capos_capid_t cap;

	return park_space(&cap) == 0;
}

static int
park_op(struct capos_sqe *sqe)
{
	struct capos_cqe cqe;
	int err = park_space(&sqe->cap);

	if (err)
		return err;
	sqe->user_data = capos_next_tag();
	err = capos_submit(sqe);
	if (!err)
		err = capos_wait(sqe->user_data, CAPOS_TIMEOUT_INFINITE, &cqe);
	return err ? err : cqe.result;
}

int
capos_park(uint32_t *word, uint32_t expected, uint64_t timeout_ns)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_PARK,
	    .word_addr = (uint64_t)(uintptr_t)word,
	    .park_value = expected,
	    .timeout_ns = timeout_ns,
	};

	return park_op(&sqe);
}

int
capos_unpark(uint32_t *word, uint32_t count)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_UNPARK,
	    .word_addr = (uint64_t)(uintptr_t)word,
	    .unpark_count = count,
	};

	return park_op(&sqe);
}
