/*
 * Timer: the monotonic clock and sleeps.  A sleep does not block the
 * caller's thread: the CALL completes later, when the timer interrupt
 * finds it due and posts its CQE (the CQE slot was reserved when the SQE
 * was taken, so posting cannot fail).  Sleeps wait in a fixed pool; when
 * it is full a sleep fails with "overloaded" instead of allocating.
 *
 * Methods with an empty result struct answer with 0 result bytes; a
 * client reads that as the struct with every field at its default.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "ipc/ring.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "kobj/timer.h"

#include "capos.capnp.h"

#define SLEEP_POOL 64

struct sleep {
	struct process *proc; /* NULL: slot free */
	uint64_t user_data;
	uint64_t deadline_ns;
};

static struct sleep sleeps[SLEEP_POOL];

static int
timer_call(struct kobject *obj, struct kcall *c)
{
	struct capnp_builder b;
	struct capnp_msg m;
	uint64_t ns;
	int err, i;

	(void)obj;
	err = kmsg_params(c, &m);
	if (err)
		return err;
	switch (c->method) {
	case capos_Timer_METHOD_now:
		kmsg_result_begin(&b);
		capos_Timer_now_Results_set_ns(
			capos_Timer_now_Results_build_root(&b), clock_ns());
		return kmsg_result_end(c, &b);
	case capos_Timer_METHOD_sleep:
		ns = capos_Timer_sleep_Params_get_ns(
			capos_Timer_sleep_Params_read_root(&m));
		if (capnp_msg_error(&m))
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "sleep: malformed params");
		for (i = 0; i < SLEEP_POOL; i++)
			if (!sleeps[i].proc)
				break;
		if (i == SLEEP_POOL)
			return kcall_exception(c, KEXC_OVERLOADED,
					       "too many sleeps pending");
		sleeps[i].user_data = c->user_data;
		sleeps[i].deadline_ns = clock_ns() + ns;
		if (sleeps[i].deadline_ns < ns)
			sleeps[i].deadline_ns = UINT64_MAX;
		sleeps[i].proc = c->caller;
		return KCALL_PENDING;
	default:
		return kcall_exception(c, KEXC_UNIMPLEMENTED,
				       "Timer has no such method");
	}
}

void
timer_object_tick(void)
{
	uint64_t now = clock_ns();
	int i;

	for (i = 0; i < SLEEP_POOL; i++) {
		struct sleep *s = &sleeps[i];

		if (!s->proc || now < s->deadline_ns)
			continue;
		/* An empty result: nothing to write to the caller. */
		ring_complete(s->proc, s->user_data, 0, 0);
		s->proc = NULL;
	}
}

/* The process is going away: its sleeps are dropped, not completed. */
static void
timer_cancel(struct kobject *obj, struct process *p)
{
	int i;
	bool irq = irq_save();

	(void)obj;
	for (i = 0; i < SLEEP_POOL; i++)
		if (sleeps[i].proc == p)
			sleeps[i].proc = NULL;
	irq_restore(irq);
}

static const struct kobject_ops timer_ops = {
	.name = "Timer",
	.interface_id = capos_Timer_TYPE_ID,
	.call = timer_call,
	.cancel = timer_cancel,
};

static struct kobject timer_obj = {
	.ops = &timer_ops,
	.refs = 1,
	.interface_id = capos_Timer_TYPE_ID,
};

struct kobject *
timer_object(void)
{
	return &timer_obj;
}

void
kobject_cancel_process(struct process *p)
{
	timer_cancel(&timer_obj, p);
}
