/*
 * Timer: the monotonic clock and sleeps.  A sleep does not block the
 * caller's thread: the CALL completes later, when the timer interrupt
 * finds it due and posts its completion record (ipc/completion.h).  The
 * record is the sleep: the timer only keeps the waiting records in
 * deadline order, so no pool is shared between processes, and a process
 * can have at most one sleep per slot of its completion queue.
 *
 * Methods with an empty result struct answer with 0 result bytes; a
 * client reads that as the struct with every field at its default.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "kobj/timer.h"

#include "capos.capnp.h"

/* Waiting sleeps, earliest deadline first. */
static struct completion_list sleepers = TAILQ_HEAD_INITIALIZER(sleepers);

static void
sleep_withdraw(struct completion *c)
{
	TAILQ_REMOVE(&sleepers, c, wait_link);
}

static const struct completion_ops sleep_ops = {
    .name = "Timer.sleep",
    .withdraw = sleep_withdraw,
};

static void
sleep_start(struct kcall *c, uint64_t ns)
{
	struct completion *rec, *pos;
	uint64_t deadline = clock_ns() + ns;
	bool irq;

	if (deadline < ns)
		deadline = UINT64_MAX;
	irq = irq_save();
	rec = kcall_defer(c, &sleep_ops, NULL);
	rec->deadline_ns = deadline;
	TAILQ_FOREACH(pos, &sleepers, wait_link)
		if (pos->deadline_ns > deadline)
			break;
	if (pos)
		TAILQ_INSERT_BEFORE(pos, rec, wait_link);
	else
		TAILQ_INSERT_TAIL(&sleepers, rec, wait_link);
	irq_restore(irq);
}

static int
timer_now(void *self, struct rpc_call *call, capos_Timer_now_Params_reader p,
          capos_Timer_now_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_Timer_now_Results_set_ns(r, clock_ns());
	return KERR_OK;
}

static int
timer_sleep(void *self, struct rpc_call *call,
            capos_Timer_sleep_Params_reader p,
            capos_Timer_sleep_Results_builder r)
{
	uint64_t ns = capos_Timer_sleep_Params_get_ns(p);

	(void)self;
	(void)r;
	sleep_start(kcall_of(call), ns);
	return KCALL_PENDING;
}

static const struct capos_Timer_server timer_server = {
    .now = timer_now,
    .sleep = timer_sleep,
};

/* Timer interrupt (interrupts off): posts every sleep that is due. */
void
timer_object_tick(void)
{
	uint64_t now = clock_ns();
	struct completion *c;

	while ((c = TAILQ_FIRST(&sleepers)) && c->deadline_ns <= now) {
		TAILQ_REMOVE(&sleepers, c, wait_link);
		/* An empty result: nothing to write to the caller. */
		completion_post(c, 0, 0);
	}
}

static const struct kobject_ops timer_ops = {
    .name = "Timer",
    .interface_id = capos_Timer_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_Timer_interface,
    .impl = &timer_server,
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
