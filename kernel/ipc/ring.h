/*
 * The kernel side of a thread's capability ring: cap_enter processes the
 * pending SQEs of the calling thread's ring and waits for completions.
 * Objects that finish a call later post its CQE through its completion
 * record (ipc/completion.h), which ends in ring_post on the ring the SQE
 * came from.
 *
 * Every user thread owns one ring: its page, mapped in its process's
 * address space, the records of its SQEs answered later, and its
 * cap_enter wait state.  Capabilities stay per process: any thread may
 * name any cap of its process, and a RELEASE cancels what every thread
 * made through the cap.
 */
#ifndef IPC_RING_H
#define IPC_RING_H

#include <stdint.h>

#include "ipc/completion.h"
#include "mm/uaddr.h"
#include "ring/ring.h"

struct process;
struct thread;
struct capos_cqe;

struct kring {
	struct ring ring;      /* lib/ring's view of the shared page */
	struct process *proc;  /* whose address space maps it */
	struct thread *waiter; /* the owner, while blocked in cap_enter */
	uint32_t wait_min;     /* its min_complete */
	uaddr_t addr;          /* where the page is mapped */
	/* The records of SQEs taken from this ring and answered later. */
	struct completion_pool completions;
};

/* Reads the kernel argument irqtrace (time interrupts-off stretches). */
void ring_trace_init(void);

/* The cap_enter system call; returns CQEs ready or a negative error. */
int64_t cap_enter(uint64_t min_complete, uint64_t timeout_ns);

/*
 * A new ring for a thread of p: a zeroed page mapped writable at va (the
 * frame is charged to p's frame limit) and its records.  NULL when the
 * page or memory cannot be had.
 */
struct kring *ring_create(struct process *p, uaddr_t va);

/*
 * The ring's thread is gone: every operation it still waits on is
 * withdrawn and completes CANCELLED (the CQE is lost with the ring, but
 * the promise of one CQE per SQE is kept and counted), then the page is
 * unmapped and the ring freed.  p's caps must still be there (a cancelled
 * CALL gives reserved caps back).
 */
void ring_destroy(struct kring *r);

/*
 * Posts the CQE of an SQE taken earlier (its slot was reserved then),
 * counts it, and wakes the ring's waiter when enough completions are
 * ready.  Interrupts must be off.  Only completion_post calls it.
 */
void ring_post(struct kring *r, const struct capos_cqe *cqe);
/* ring_post, and the waiter it wakes runs next (IPC's direct handoff). */
void ring_post_next(struct kring *r, const struct capos_cqe *cqe);

#endif
