/*
 * The kernel side of a process's capability ring: cap_enter processes the
 * pending SQEs and waits for completions.  Objects that finish a call
 * later post its CQE through its completion record (ipc/completion.h),
 * which ends in ring_post.
 */
#ifndef IPC_RING_H
#define IPC_RING_H

#include <stdint.h>

struct process;
struct capos_cqe;

/* Reads the kernel argument irqtrace (time interrupts-off stretches). */
void ring_trace_init(void);

/* The cap_enter system call; returns CQEs ready or a negative error. */
int64_t cap_enter(uint64_t min_complete, uint64_t timeout_ns);

/*
 * Posts the CQE of an SQE taken earlier (its slot was reserved then),
 * counts it, and wakes the process's waiter when enough completions are
 * ready.  Interrupts must be off.  Only completion_post calls it.
 */
void ring_post(struct process *p, const struct capos_cqe *cqe);

#endif
