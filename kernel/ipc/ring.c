/*
 * Ring processing.  Every SQE is copied out of the shared page before it
 * is looked at (lib/ring does the copying and index bookkeeping), checked
 * statically (ring_sqe_validate), then against the process: the cap must
 * be live, every buffer inside user space, mapped, and writable where the
 * kernel writes — all before the call has any effect.  Each taken SQE gets
 * exactly one CQE: posted here at once, or later through its completion
 * record (ipc/completion.h).
 *
 * Interrupts: the ring's indices and completion records are also touched
 * by the timer interrupt (sleeps completing), so the batch loop runs with
 * interrupts off; every step that copies user memory or does work in
 * proportion to a message or an object (CALL, RECV, RETURN, RELEASE) runs
 * with them on, so what is left with them off per SQE is taking it,
 * checking it and posting its CQE (docs/abi.md, "Interrupts and the
 * ring").
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kobj/kobject.h"
#include "kobj/exception.h"
#include "kobj/park.h"
#include "ipc/completion.h"
#include "ipc/call.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "ipc/ring.h"
#include "ipc/transfer.h"
#include "ring/validate.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "mm/kheap.h"
#include "mm/aspace.h"

#include "core/kerr.h"
#include <capos/syscall.h>

/* CALL, RECV and RETURN: the cap's object serves them (kobj/kobject.h),
 * except the IPC fast path's two shapes, which are recognised here by
 * their object's operations and sent to it without their call. */
static int32_t
do_object_op(struct process *p, const struct capos_sqe *sqe,
             struct capos_cqe *cqe)
{
	const struct cap_slot *slot;
	const struct kobject_ops *ops;
	int32_t (*op)(struct kobject *, struct kcall *);
	struct kobject *obj;
	struct kcall c;
	int err;

	err = cap_lookup(&p->caps, sqe->cap, &slot);
	if (err)
		return kerr_from_cap(err);
	obj = slot->object;
	ops = obj->ops;
	c.caller = p;
	c.sqe = sqe;
	c.cqe = cqe;
	/* The fast path's two shapes reach it without the object
	 * operation's call (ipc/endpoint.h). */
	if (ops == &endpoint_client_ops && sqe->opcode == CAPOS_OP_CALL) {
		struct endpoint *ep =
		    (struct endpoint *)((char *)obj -
		                        offsetof(struct endpoint, client));

		if (fastpath_call(ep, 0, &c))
			return KCALL_PENDING;
		return endpoint_forward_general(ep, 0, &c);
	}
	if (ops == &endpoint_owner_ops && sqe->opcode == CAPOS_OP_RETURN) {
		struct endpoint *ep =
		    (struct endpoint *)((char *)obj -
		                        offsetof(struct endpoint, owner));

		if (ep->server != p)
			return KERR_NOT_SUPPORTED;
		if (fastpath_return(ep, &c))
			return 0;
		return endpoint_return_general(ep, &c);
	}
	op = sqe->opcode == CAPOS_OP_CALL   ? ops->call
	     : sqe->opcode == CAPOS_OP_RECV ? ops->recv
	                                    : ops->ret;
	if (!op)
		return KERR_NOT_SUPPORTED;
	return op(obj, &c);
}

/* What was made through the released cap and still waits is cancelled
 * first; operations made through other copies of the cap go on. */
static int32_t
do_release(struct process *p, const struct capos_sqe *sqe)
{
	struct cap_slot old;
	int err = cap_remove(&p->caps, sqe->cap, &old);

	if (err)
		return kerr_from_cap(err);
	completion_cancel_cap(p, sqe->cap);
	kobject_put(old.object);
	return 0;
}

/*
 * The bound on work with interrupts off (docs/abi.md, "Interrupts and the
 * ring"): with the kernel argument irqtrace, every stretch of cap_enter
 * between disabling and enabling them is timed with the TSC, which under
 * instruction counting counts instructions, and the longest is kept in
 * kcounters.irq_off_max.  Off, it costs a test per stretch.
 */
static bool irq_trace;
static uint64_t irq_off_since;

void
ring_trace_init(void)
{
	irq_trace = karg_flag("irqtrace");
}

static inline uint64_t
tsc_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
irq_off_mark(void)
{
	if (__builtin_expect(irq_trace, 0))
		irq_off_since = tsc_now();
}

static inline void
irq_off_done(void)
{
	uint64_t span;

	if (__builtin_expect(!irq_trace, 1))
		return;
	span = tsc_now() - irq_off_since;
	if (span > kcounters.irq_off_max)
		kcounters.irq_off_max = span;
}

/* Posts a CQE of ring r (interrupts off): the one path every CQE takes,
 * at once (ring_process) or through a completion record (ring_post). */
static inline void
post(struct kring *r, const struct capos_cqe *cqe)
{
	count_result(cqe->result);
	kcounters.sqe_completed++;
	ring_cq_post(&r->ring, cqe);
}

/* CALL, RECV, RETURN and RELEASE copy memory and do work in proportion
 * to a message or an object (a RELEASE cancels what waited on the cap and
 * may end an object, an endpoint failing its queued calls): they run
 * with interrupts on. */
static int32_t
object_work(struct process *p, const struct capos_sqe *sqe,
            struct capos_cqe *cqe)
{
	int32_t err;

	irq_off_done();
	sti();
	err = sqe->opcode == CAPOS_OP_RELEASE ? do_release(p, sqe)
	                                      : do_object_op(p, sqe, cqe);
	cli();
	irq_off_mark();
	return err;
}

/*
 * Each case checks the SQE as its own opcode (ring_sqe_validate_op, which
 * a constant opcode turns into that opcode's few tests), then acts on it.
 * lib/ring answers in ABI codes, which are kinds as they are.
 */
static int32_t
process_sqe(struct process *p, const struct capos_sqe *sqe,
            struct capos_cqe *cqe)
{
	int32_t err;

	switch (sqe->opcode) {
	case CAPOS_OP_NOP:
		return ring_sqe_validate_op(sqe, CAPOS_OP_NOP);
	case CAPOS_OP_PARK:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_PARK);
		/* Reads one word and queues: short, and interrupts stay
		 * off so that no UNPARK or timeout slips in between. */
		return err ? err : park_op(p, sqe);
	case CAPOS_OP_UNPARK:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_UNPARK);
		return err ? err : unpark_op(p, sqe);
	case CAPOS_OP_CALL:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_CALL);
		break;
	case CAPOS_OP_RECV:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_RECV);
		break;
	case CAPOS_OP_RETURN:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_RETURN);
		break;
	case CAPOS_OP_RELEASE:
		err = ring_sqe_validate_op(sqe, CAPOS_OP_RELEASE);
		break;
	default:
		/* BAD_OPCODE or RESERVED_OP: every served opcode has its
		 * case above. */
		err = ring_sqe_validate(sqe);
		return err ? err : KERR_BAD_OPCODE;
	}
	return err ? err : object_work(p, sqe, cqe);
}

/* Takes and completes up to one budget of SQEs of a ring that ring_sync
 * found sound.  Called with interrupts off. */
static void
ring_process(struct process *p, struct kring *r)
{
	struct capos_sqe sqe;
	uint32_t n, batch;

	/* The SQEs that are there and whose CQEs will fit, within the
	 * budget: checked once, taken without further checks. */
	batch = ring_sq_batch(&r->ring, RING_SQ_BUDGET);
	for (n = 0; n < batch; n++) {
		struct capos_cqe cqe;
		int32_t result;

		ring_sq_take_batched(&r->ring, &sqe);
		count_sqe(sqe.opcode);
		cqe.user_data = sqe.user_data;
		cqe.flags = 0;
		cqe.aux0 = 0;
		cqe.aux1 = 0;
		result = process_sqe(p, &sqe, &cqe);
		if (result == KCALL_PENDING) {
			/* ThreadControl.exit: the thread takes no more. */
			if (__builtin_expect(sched_current()->leave, 0)) {
				n++;
				break;
			}
			continue;
		}
		cqe.result = (int32_t)kerr_result(result);
		post(r, &cqe); /* its thread runs: no waiter to wake */
	}
	kcounters.sqe_taken += n;
}

/*
 * CQEs ready in the ring.  cap_enter synced the ring on entry and every
 * post since re-read cq_head, and the ring's own thread, the only one
 * that consumes its CQ, is in the kernel, so the kernel's own view is
 * current; a full sync is only needed when it saw corruption.
 */
static uint32_t
cq_ready(struct kring *r)
{
	struct ring_snapshot snap;

	if (r->ring.status == 0)
		return r->ring.cq_tail - r->ring.seen_cq_head;
	ring_sync(&r->ring, &snap);
	return ring_cq_ready(&snap);
}

/*
 * What cap_enter does beyond its common case: the pass over the SQEs, a
 * corrupt ring, and the wait.  Interrupts are off on entry and on return;
 * they stay off from the count of ready CQEs to the block, so no
 * completion can come in between unseen (a thread whose PARK must wait
 * goes straight to sleep).
 */
static __attribute__((noinline)) int64_t
cap_enter_slow(struct thread *t, uint32_t status, uint64_t min_complete,
               uint64_t timeout_ns)
{
	struct kring *r = t->ring;
	uint64_t deadline = 0;
	uint32_t ready;

	irq_off_mark();
	if (status == 0)
		ring_process(t->proc, r);
	ready = cq_ready(r);
	irq_off_done();
	if (status) {
		kcounters.ring_corruptions++;
		return KERR_RING_CORRUPT;
	}
	if (ready >= min_complete || timeout_ns == 0)
		return ready;
	if (timeout_ns != CAPOS_TIMEOUT_INFINITE) {
		deadline = clock_ns() + timeout_ns;
		if (deadline < timeout_ns)
			deadline = 0; /* overflow: as good as infinite */
	}
	kcounters.cap_enter_blocks++;
	while (ready < min_complete && !t->leave) {
		bool woken;

		r->waiter = t;
		r->wait_min = (uint32_t)min_complete;
		woken = sched_block(WAIT_RING, deadline);
		r->waiter = NULL;
		ready = cq_ready(r);
		if (!woken)
			break; /* the timeout passed */
	}
	return ready;
}

/*
 * Called with interrupts off (syscall_dispatch), and returns with them
 * off: the timer interrupt posts completions (Timer.sleep) to this same
 * ring, so it must stay out while the ring's indices change.  A pass is
 * bounded (RING_SQ_BUDGET entries), and the steps that copy or do real
 * work turn interrupts back on (object_work).
 *
 * The common case stays here: a sound ring with no SQE, whose ready CQEs
 * are enough or which is not to wait (an empty cap_enter, or a thread
 * reaping before it submits).  Everything else is cap_enter_slow.
 */
int64_t
cap_enter(uint64_t min_complete, uint64_t timeout_ns)
{
	struct thread *t = sched_current();
	struct ring *ring = &t->ring->ring;
	struct ring_snapshot snap;
	uint32_t status, ready;

	kcounters.cap_enter_calls++;
	if (min_complete > CAPOS_RING_CQ_ENTRIES)
		return KERR_BAD_ARG;
	status = ring_sync(ring, &snap);
	if (__builtin_expect(status == 0 && snap.sq_tail == snap.sq_head, 1)) {
		ready = snap.cq_tail - snap.cq_head;
		if (ready >= min_complete || timeout_ns == 0)
			return ready;
	}
	return cap_enter_slow(t, status, min_complete, timeout_ns);
}

void
ring_post(struct kring *r, const struct capos_cqe *cqe)
{
	post(r, cqe);
	if (r->waiter && cq_ready(r) >= r->wait_min)
		sched_wakeup(r->waiter);
}

void
ring_post_next(struct kring *r, const struct capos_cqe *cqe)
{
	post(r, cqe);
	if (r->waiter && cq_ready(r) >= r->wait_min)
		sched_wakeup_next(r->waiter);
}

struct kring *
ring_create(struct process *p, uaddr_t va)
{
	struct kring *r = kzalloc(sizeof(*r));
	uint64_t pa;

	if (!r)
		return NULL;
	if (aspace_map_anon(&p->as, va, 1, VM_WRITE)) {
		kfree(r);
		return NULL;
	}
	if (aspace_lookup(&p->as, va, &pa)) {
		aspace_unmap_page(&p->as, va);
		kfree(r);
		return NULL;
	}
	r->proc = p;
	r->addr = va;
	completion_pool_init(&r->completions);
	ring_init(&r->ring, phys_to_virt(pa));
	return r;
}

void
ring_destroy(struct kring *r)
{
	completion_cancel_ring(r);
	aspace_unmap_page(&r->proc->as, r->addr);
	kfree(r);
}
