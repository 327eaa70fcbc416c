/*
 * Completion records: how the kernel keeps its promise that every SQE it
 * takes gets exactly one CQE.
 *
 * An SQE answered while cap_enter processes it is posted at once.  One
 * that is answered later (Timer.sleep, a CALL on an endpoint, a RECV that
 * waits for a caller, ProcessHandle.wait) gets a record, and every later
 * event about it goes through that record:
 *
 *              completion_open               completion_post
 *     free  ------------------->  waiting  ------------------->  free
 *                                    |        (the answer, or a
 *                                    |         failure such as
 *                                    |         DISCONNECTED)
 *                                    |
 *                                    |  completion_cancel_cap (the holder
 *                                    |  released the cap the SQE named),
 *                                    |  completion_cancel_ring (the thread
 *                                    |  that owns the ring is gone): the
 *                                    |  object withdraws it, then CANCELLED
 *                                    +------------------------------->  free
 *
 * Only the record's owner posts it, and posting frees it, so a second
 * answer is impossible by construction.  The records of one ring live in
 * its own pool with one record per CQ slot: a record is only taken for an
 * SQE that holds a CQ reservation (every SQE taken from the ring does), so
 * taking one never fails and no pool is shared between rings.  Each ring
 * belongs to one thread (ipc/ring.h), and a record posts to the ring its
 * SQE came from, so a thread never sees another thread's completions.
 *
 * A moved cap does not cancel what was made through it: the operation
 * was made while the authority was held, and it completes normally.
 *
 * The kernel counts SQEs taken, CQEs completed (at once or through a
 * record) and records waiting; taken == completed + waiting always holds,
 * and the leak check after every boot test checks it (completion_audit).
 */
#ifndef IPC_COMPLETION_H
#define IPC_COMPLETION_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/capid.h>
#include <capos/ring.h>

#include "base/queue.h"
#include "mm/uaddr.h"

struct process;
struct completion;
struct kring;

struct completion_ops {
	const char *name;
	/*
	 * Cancellation: takes the record off the object's own queues and
	 * forgets it; the record is posted CANCELLED right after.  Runs
	 * with interrupts off; must not block and must not post the record.
	 */
	void (*withdraw)(struct completion *c);
};

struct completion {
	const struct completion_ops *ops; /* NULL: the record is free */
	struct kring *ring;               /* the ring that owes the CQE */
	struct process *proc;             /* the ring's process */
	uint64_t user_data;
	capos_capid_t cap;   /* the cap the SQE named */
	uint8_t index;       /* its place in the pool */
	uaddr_t result_addr; /* the SQE's result buffer */
	uint32_t result_len;
	void *obj;                         /* the object's state for it */
	uint64_t deadline_ns;              /* Timer.sleep, PARK: when due */
	uint64_t wait_key;                 /* PARK: the word, as a key */
	TAILQ_ENTRY(completion) wait_link; /* on the object's wait queue */
	TAILQ_ENTRY(completion) time_link; /* PARK: on the deadline list */
};

TAILQ_HEAD(completion_list, completion);

struct completion_pool {
	struct completion rec[CAPOS_RING_CQ_ENTRIES];
	uint32_t free;    /* bit i set: rec[i] is free */
	uint32_t waiting; /* records in use */
};

/* Sets up a pool in zeroed memory (a new process's). */
void completion_pool_init(struct completion_pool *pool);

/*
 * Opens the record of a taken SQE that will be answered later, in the
 * ring of the current thread (whose cap_enter is taking the SQE; p is its
 * process).  Cannot fail: the SQE holds a CQ reservation, and the pool
 * has a record for every one.  Safe with interrupts on or off.
 */
struct completion *completion_open(struct process *p,
                                   const struct capos_sqe *sqe,
                                   const struct completion_ops *ops, void *obj);

/*
 * Posts the record's CQE, wakes the ring's waiter when enough CQEs are
 * ready, and frees the record.  Safe from the timer interrupt.
 */
void completion_post(struct completion *c, int32_t result, uint64_t aux0);
/* completion_post for an answer whose waiter runs next (IPC's direct
 * handoff): woken straight into the scheduler's handoff slot. */
void completion_post_next(struct completion *c, int32_t result, uint64_t aux0);

/* The holder released cap: each operation any thread of p made through
 * it is withdrawn from its object and completes with KERR_CANCELLED. */
void completion_cancel_cap(struct process *p, capos_capid_t cap);

/* The ring's thread is going away: every operation of the ring that
 * still waits is withdrawn and completes with KERR_CANCELLED. */
void completion_cancel_ring(struct kring *r);

/*
 * Kernel-wide: taken == completed + waiting, and no ring ended with a
 * CQ reservation left over.  Returns true when it holds, and with no
 * process alive also that nothing is waiting; prints the numbers either
 * way.
 */
bool completion_audit(bool expect_idle);

#endif
