/*
 * Completion records (see completion.h for the state machine).
 */
#include "core/kernel.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "ipc/completion.h"
#include "ipc/ring.h"
#include "ipc/sqe.h"
#include "proc/process.h"
#include "proc/sched.h"

#include "core/kerr.h"

_Static_assert(CAPOS_RING_CQ_ENTRIES <= 32,
               "the free mask has one bit per CQ slot");

void
completion_pool_init(struct completion_pool *pool)
{
	uint32_t i;

	/* The pool arrives zeroed (kzalloc): only what is not 0 is set. */
	for (i = 0; i < CAPOS_RING_CQ_ENTRIES; i++)
		pool->rec[i].index = (uint8_t)i;
	pool->free = CAPOS_RING_CQ_ENTRIES == 32
	                 ? UINT32_MAX
	                 : (1u << CAPOS_RING_CQ_ENTRIES) - 1;
}

struct completion *
completion_open(struct process *p, const struct capos_sqe *sqe,
                const struct completion_ops *ops, void *obj)
{
	struct kring *r = sched_current()->ring;
	struct completion *c;
	bool irq = irq_save();
	int i;

	/* Records waiting never outnumber the CQ reservations (the SQE
	 * being processed holds one), and there is a record for every CQ
	 * slot: one is always free. */
	KASSERT(r->proc == p && r->completions.free != 0);
	i = __builtin_ctz(r->completions.free);
	r->completions.free &= ~(1u << i);
	r->completions.waiting++;
	p->completions_waiting++;
	c = &r->completions.rec[i];
	c->ops = ops;
	c->ring = r;
	c->proc = p;
	c->user_data = sqe->user_data;
	c->cap = sqe->cap;
	c->result_addr = sqe_result_addr(sqe);
	c->result_len = sqe->result_len;
	c->obj = obj;
	kcounters.completions_waiting++;
	irq_restore(irq);
	return c;
}

static inline __attribute__((always_inline)) void
post(struct completion *c, int32_t result, uint64_t aux0, bool next)
{
	struct kring *r = c->ring;
	struct capos_cqe cqe = {.user_data = c->user_data,
	                        .result = (int32_t)kerr_result(result),
	                        .aux0 = aux0};
	bool irq = irq_save();

	KASSERT(c->ops);
	c->ops = NULL;
	r->completions.free |= 1u << c->index;
	r->completions.waiting--;
	c->proc->completions_waiting--;
	kcounters.completions_waiting--;
	if (next)
		ring_post_next(r, &cqe);
	else
		ring_post(r, &cqe);
	irq_restore(irq);
}

void
completion_post(struct completion *c, int32_t result, uint64_t aux0)
{
	post(c, result, aux0, false);
}

void
completion_post_next(struct completion *c, int32_t result, uint64_t aux0)
{
	post(c, result, aux0, true);
}

static void
cancel(struct completion *c)
{
	c->ops->withdraw(c);
	completion_post(c, KERR_CANCELLED, 0);
}

/* Cancels r's waiting records: those made through cap, or (all) every
 * one.  Records are only freed here, so the snapshot of busy ones holds. */
static void
cancel_records(struct kring *r, bool all, capos_capid_t cap)
{
	bool irq = irq_save();
	uint32_t busy = ~r->completions.free, i;

	for (; busy; busy &= busy - 1) {
		i = (uint32_t)__builtin_ctz(busy);
		if (i >= CAPOS_RING_CQ_ENTRIES)
			break;
		if (all || r->completions.rec[i].cap == cap)
			cancel(&r->completions.rec[i]);
	}
	irq_restore(irq);
}

void
completion_cancel_cap(struct process *p, capos_capid_t cap)
{
	struct thread *t;

	/* Nothing waits on most releases: one test. */
	if (!p->completions_waiting)
		return;
	/* Caps are the process's: what any of its threads made through
	 * this one is cancelled (a thread not yet reaped still has its
	 * ring). */
	TAILQ_FOREACH(t, &p->threads, proc_link)
		if (t->ring && t->ring->completions.waiting)
			cancel_records(t->ring, false, cap);
}

void
completion_cancel_ring(struct kring *r)
{
	cancel_records(r, true, 0);
	KASSERT(r->completions.waiting == 0);
	/* Every SQE taken has had its CQE now: a reservation left over
	 * would be a completion the kernel lost. */
	kcounters.cq_reservations_lost += r->ring.cq_reserved;
}

bool
completion_audit(bool expect_idle)
{
	uint64_t taken = kcounters.sqe_taken;
	uint64_t done = kcounters.sqe_completed;
	uint64_t waiting = kcounters.completions_waiting;
	uint64_t lost = kcounters.cq_reservations_lost;
	bool ok = taken == done + waiting && lost == 0 &&
	          (!expect_idle || waiting == 0);

	kprintf("completions: %lu SQEs taken, %lu completed, %lu waiting, "
	        "%lu CQ reservations lost%s\n",
	        (unsigned long)taken, (unsigned long)done,
	        (unsigned long)waiting, (unsigned long)lost,
	        ok ? "" : " (UNBALANCED)");
	return ok;
}
