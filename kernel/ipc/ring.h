/*
 * The kernel side of a process's capability ring: cap_enter processes the
 * pending SQEs and waits for completions; objects that finish a call later
 * (Timer.sleep) post their CQE through ring_complete.
 */
#ifndef IPC_RING_H
#define IPC_RING_H

#include <stdint.h>

struct process;

/* The cap_enter system call; returns CQEs ready or a negative error. */
int64_t cap_enter(uint64_t min_complete, uint64_t timeout_ns);

/*
 * Posts the CQE of a call that completed after its SQE was processed
 * (its slot was reserved then) and wakes the process's waiter when
 * enough completions are ready.  Safe from the timer interrupt.
 */
void ring_complete(struct process *p, uint64_t user_data, int32_t result,
		   uint64_t aux0);

#endif
