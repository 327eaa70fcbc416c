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
#include "kobj/kobject.h"
#include "kobj/exception.h"
#include "ipc/completion.h"
#include "ipc/endpoint.h"
#include "ipc/ring.h"
#include "ipc/transfer.h"
#include "proc/process.h"
#include "proc/sched.h"

#include <capos/errors.h>
#include <capos/syscall.h>

/* Call buffers: calls on kernel objects run to completion on this CPU
 * before the next SQE is taken, so one pair serves every call. */
static uint8_t call_params[CAPOS_PARAMS_MAX];
static uint8_t call_result[CAPOS_RESULT_MAX];

#define NO_CQE INT32_MIN /* the object completes the SQE later */

/*
 * Writes a kernel object's answer to the caller: the payload, then at the
 * next 8-byte boundary one record per result cap, installed now.
 */
static int32_t
copy_result(struct process *p, const struct capos_sqe *sqe,
	    struct capos_cqe *cqe, struct kcall *c, int32_t ok_code)
{
	struct capos_cap_record recs[KCALL_MAX_OUT];
	uint32_t len = c->result_len, total, i;
	uint32_t caps_off = ALIGN_UP(len, 8u);

	total = c->nout ? caps_off + c->nout * (uint32_t)sizeof(recs[0]) : len;
	if (total > sqe->result_len || total > sizeof(call_result)) {
		for (i = 0; i < c->nout; i++)
			kobject_put(c->out[i]);
		cqe->aux0 = total;
		return CAPOS_E_TRUNCATED;
	}
	for (i = 0; i < c->nout; i++) {
		/* Room was checked by the object (kcall_room_for). */
		if (cap_install_new(p, c->out[i], CAP_ORIGIN_RESULT_CAP,
				    &recs[i].cap))
			panic("result cap does not fit after the room check");
		recs[i].reserved = 0;
		recs[i].interface_id = c->out[i]->interface_id;
	}
	if (c->nout) {
		memset(call_result + len, 0, caps_off - len);
		memcpy(call_result + caps_off, recs, c->nout * sizeof(recs[0]));
	}
	if (aspace_copy_out(&p->as, sqe->result_addr, call_result, total))
		return CAPOS_E_BAD_BUFFER;
	cqe->aux0 = ok_code ? len : c->nout;
	return ok_code ? ok_code : (int32_t)len;
}

static int32_t
do_call(struct process *p, const struct capos_sqe *sqe, struct capos_cqe *cqe)
{
	const struct cap_slot *slot;
	struct xfer_set xs;
	struct kobject *obj;
	struct kcall c;
	int err, status;

	err = cap_lookup(&p->caps, sqe->cap, &slot);
	if (err)
		return cap_error_to_transport(err);
	obj = slot->object;
	if (kobject_is_endpoint_client(obj)) {
		int32_t r = endpoint_call(p, obj, sqe);

		return r == ENDPOINT_LATER ? NO_CQE : r;
	}
	if (!obj->ops->call)
		return CAPOS_E_NOT_SUPPORTED;
	if (sqe->params_len &&
	    aspace_copy_in(&p->as, call_params, sqe->params_addr,
			   sqe->params_len))
		return CAPOS_E_BAD_BUFFER;
	/* The result buffer must be writable before anything happens. */
	if (sqe->result_len &&
	    aspace_check(&p->as, sqe->result_addr, sqe->result_len, true))
		return CAPOS_E_BAD_BUFFER;
	err = xfer_take(p, sqe->xfer_addr, sqe->xfer_count, &xs);
	if (err)
		return err;

	/* Only the fields an object reads are set; the rest is written by
	 * the object before use (result_len, exc_*, out, nout). */
	c.caller = p;
	c.sqe = sqe;
	c.method = sqe->method;
	c.params = call_params;
	c.params_len = sqe->params_len;
	c.result = call_result;
	c.result_cap = sizeof(call_result);
	c.in = &xs;
	c.user_result_len = sqe->result_len;
	c.result_len = 0;
	c.nout = 0;
	c.exc_message = NULL;
	/* Until dispatch is generated per interface: an object answers
	 * its own interface only. */
	if (sqe->interface_id != obj->interface_id)
		status = kcall_exception(&c, KEXC_UNIMPLEMENTED,
					 "call names another interface");
	else
		status = obj->ops->call(obj, &c);
	xfer_finish_kernel(&xs, status == KCALL_OK || status == KCALL_PENDING);
	switch (status) {
	case KCALL_OK:
		return copy_result(p, sqe, cqe, &c, 0);
	case KCALL_PENDING:
		return NO_CQE; /* the object opened a completion record */
	case KCALL_TOO_SMALL:
		cqe->aux0 = c.result_len; /* the bytes the answer needs */
		return CAPOS_E_TRUNCATED;
	case KCALL_EXCEPTION:
		c.nout = 0;
		c.result_len = kexception_encode(c.exc_type, c.exc_message,
						 call_result,
						 sizeof(call_result));
		return copy_result(p, sqe, cqe, &c, CAPOS_E_APP_EXCEPTION);
	default:
		return status < 0 ? status : CAPOS_E_BAD_ARG;
	}
}

/* What was made through the released cap and still waits is cancelled
 * first; operations made through other copies of the cap go on. */
static int32_t
do_release(struct process *p, const struct capos_sqe *sqe)
{
	struct cap_slot old;
	int err = cap_remove(&p->caps, sqe->cap, &old);

	if (err)
		return cap_error_to_transport(err);
	completion_cancel_cap(p, sqe->cap);
	kobject_put(old.object);
	return 0;
}

/* RECV and RETURN: only the owner side of an endpoint serves them. */
static int32_t
do_endpoint_op(struct process *p, const struct capos_sqe *sqe,
	       struct capos_cqe *cqe)
{
	const struct cap_slot *slot;
	int err = cap_lookup(&p->caps, sqe->cap, &slot);
	int32_t r;

	if (err)
		return cap_error_to_transport(err);
	if (!kobject_is_endpoint_owner(slot->object))
		return CAPOS_E_NOT_SUPPORTED;
	if (sqe->opcode == CAPOS_OP_RETURN)
		return endpoint_return(p, slot->object, sqe);
	r = endpoint_recv(p, slot->object, sqe, cqe);
	return r == ENDPOINT_LATER ? NO_CQE : r;
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

/* Posts a CQE of p's ring (interrupts off): the one path every CQE takes,
 * at once (ring_process) or through a completion record (ring_post). */
static inline void
post(struct process *p, const struct capos_cqe *cqe)
{
	count_result(cqe->result);
	kcounters.sqe_completed++;
	ring_cq_post(&p->ring, cqe);
}

static int32_t
process_sqe(struct process *p, const struct capos_sqe *sqe,
	    struct capos_cqe *cqe)
{
	int32_t err = ring_sqe_validate(sqe);

	if (err)
		return err;
	switch (sqe->opcode) {
	case CAPOS_OP_NOP:
		return 0;
	case CAPOS_OP_CALL:
		irq_off_done();
		sti(); /* copies and object work: interrupts on */
		err = do_call(p, sqe, cqe);
		cli();
		irq_off_mark();
		return err;
	case CAPOS_OP_RELEASE:
		/* Cancels what waited on the cap and may end an object
		 * (an endpoint failing its queued calls): interrupts on. */
		irq_off_done();
		sti();
		err = do_release(p, sqe);
		cli();
		irq_off_mark();
		return err;
	case CAPOS_OP_RECV:
	case CAPOS_OP_RETURN:
		irq_off_done();
		sti();
		err = do_endpoint_op(p, sqe, cqe);
		cli();
		irq_off_mark();
		return err;
	default:
		return CAPOS_E_BAD_OPCODE;
	}
}

/* Takes and completes up to one budget of SQEs; returns the status bits.
 * Called with interrupts off. */
static uint32_t
ring_process(struct process *p)
{
	struct ring_snapshot snap;
	struct capos_sqe sqe;
	uint32_t status, n, batch;

	status = ring_sync(&p->ring, &snap);
	if (status) {
		kcounters.ring_corruptions++;
		return status;
	}
	/* The SQEs that are there and whose CQEs will fit, within the
	 * budget: checked once, taken without further checks. */
	batch = ring_sq_batch(&p->ring, RING_SQ_BUDGET);
	for (n = 0; n < batch; n++) {
		struct capos_cqe cqe;
		int32_t result;

		ring_sq_take_batched(&p->ring, &sqe);
		kcounters.sqe_taken++;
		count_sqe(sqe.opcode);
		cqe.user_data = sqe.user_data;
		cqe.flags = 0;
		cqe.aux0 = 0;
		cqe.aux1 = 0;
		result = process_sqe(p, &sqe, &cqe);
		if (result == NO_CQE)
			continue;
		cqe.result = result;
		post(p, &cqe); /* the process runs: no waiter to wake */
	}
	return 0;
}

/*
 * CQEs ready for the process.  cap_enter synced the ring on entry and
 * every post since re-read cq_head, and nothing else of this
 * single-threaded process runs while it is in the kernel, so the kernel's
 * own view is current; a full sync is only needed when it saw corruption.
 */
static uint32_t
cq_ready(struct process *p)
{
	struct ring_snapshot snap;

	if (p->ring.status == 0)
		return p->ring.cq_tail - p->ring.seen_cq_head;
	ring_sync(&p->ring, &snap);
	return ring_cq_ready(&snap);
}

int64_t
cap_enter(uint64_t min_complete, uint64_t timeout_ns)
{
	struct process *p = process_current();
	uint64_t deadline = 0;
	uint32_t ready, status;
	bool irq;

	kcounters.cap_enter_calls++;
	if (min_complete > CAPOS_RING_CQ_ENTRIES)
		return CAPOS_E_BAD_ARG;
	/* The timer interrupt posts completions (Timer.sleep) to this same
	 * ring: keep it out while the ring's indices are being changed.  A
	 * pass is bounded (RING_SQ_BUDGET entries), and the steps that copy
	 * or do real work turn interrupts back on (process_sqe). */
	irq = irq_save();
	irq_off_mark();
	status = ring_process(p);
	ready = cq_ready(p);
	irq_off_done();
	irq_restore(irq);
	if (status)
		return CAPOS_E_RING_CORRUPT;
	if (ready >= min_complete || timeout_ns == 0)
		return ready;
	if (timeout_ns != CAPOS_TIMEOUT_INFINITE) {
		deadline = clock_ns() + timeout_ns;
		if (deadline < timeout_ns)
			deadline = 0; /* overflow: as good as infinite */
	}
	kcounters.cap_enter_blocks++;
	for (;;) {
		irq = irq_save();
		ready = cq_ready(p);
		if (ready >= min_complete || p->state != PROC_ALIVE) {
			irq_restore(irq);
			break;
		}
		p->ring_waiter = sched_current();
		p->ring_wait_min = (uint32_t)min_complete;
		if (!sched_block(WAIT_RING, deadline)) {
			p->ring_waiter = NULL;
			irq_restore(irq);
			ready = cq_ready(p);
			break;
		}
		p->ring_waiter = NULL;
		irq_restore(irq);
	}
	return ready;
}

void
ring_post(struct process *p, const struct capos_cqe *cqe)
{
	post(p, cqe);
	if (p->ring_waiter && cq_ready(p) >= p->ring_wait_min)
		sched_wakeup(p->ring_waiter);
}
