/*
 * Kernel counters: how many SQEs of each opcode were processed and how
 * many completions ended in each error.  Printed on the console with
 * counters_print() (at the end of a self-test run, and on demand).
 */
#ifndef CORE_COUNTERS_H
#define CORE_COUNTERS_H

#include <stdint.h>

#include "core/kerr.h"
#include <capos/ring.h>

#define COUNTER_ERRORS 66 /* indexed by -error, 0..65 */

/* The IPC fast path (ipc/fastpath.c): the CALLs and RETURNs that took
 * it, and for each one that did not, the first guard that failed. */
enum ipc_path {
	IPC_FAST_CALL,
	IPC_FAST_RETURN,
	IPC_SLOW_XFER,        /* transfer descriptors present */
	IPC_SLOW_BIG,         /* params over IPC_FAST_PARAMS_MAX */
	IPC_SLOW_NOT_WAITING, /* no RECV waiting; the caller gave up */
	IPC_SLOW_BUFFER,      /* a buffer too small, bad, or across a page */
	IPC_SLOW_OTHER,       /* dead, a limit, a new caller, a call id not
	                    in the index, no cached call record */
	/* Not a way off the fast path: a buffer translation it had kept
	 * that a mapping change made stale, so it looked the buffer up
	 * again. */
	IPC_FAST_STALE,
	IPC_PATH_COUNT
};

struct kcounters {
	uint64_t sqe_by_opcode[CAPOS_OP_COUNT + 1]; /* last: unknown */
	uint64_t cqe_by_error[COUNTER_ERRORS];      /* [0]: successes */
	uint64_t cap_enter_calls;
	uint64_t cap_enter_blocks;
	uint64_t ring_corruptions;
	uint64_t syscalls_unknown;
	uint64_t user_faults;
	/* The completion promise (ipc/completion.h): taken == completed +
	 * waiting, always. */
	uint64_t sqe_taken;
	uint64_t sqe_completed;
	uint64_t completions_waiting;
	uint64_t cq_reservations_lost; /* left at a process's end: 0 */
	/* The longest stretch of cap_enter with interrupts off, in TSC
	 * cycles (instructions under QEMU's instruction counting). */
	uint64_t irq_off_max;
	uint64_t ipc_path[IPC_PATH_COUNT];
	uint64_t tlb_shootdowns; /* rounds of IPIs that flushed other CPUs */
	uint64_t resched_ipis;
};

extern struct kcounters kcounters;

static inline void
count_sqe(uint8_t opcode)
{
	kcounters
	    .sqe_by_opcode[opcode < CAPOS_OP_COUNT ? opcode : CAPOS_OP_COUNT]++;
}

static inline void
count_result(int32_t result)
{
	if (result >= 0)
		kcounters.cqe_by_error[0]++;
	else if (-result < COUNTER_ERRORS)
		kcounters.cqe_by_error[-result]++;
}

void counters_print(void);

#endif
