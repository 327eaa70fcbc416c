#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "proc/process.h"
#include "proc/sched.h"

extern char boot_stack_top[];
void switch_context(uint64_t *save_rsp, uint64_t load_rsp);

static struct thread_list runq = TAILQ_HEAD_INITIALIZER(runq);
/* The blocked threads with a deadline, which the timer tick looks at;
 * one blocked without a deadline (a server waiting for its next call)
 * is on no list, so blocking and waking it touch none. */
static struct thread_list blocked = TAILQ_HEAD_INITIALIZER(blocked);
/*
 * Direct handoff (seL4's "switch to the receiver"): the thread an IPC
 * operation chose to run next.  It is runnable but on no queue, and the
 * next switch on this CPU takes it without looking at the run queue.
 * SMP: one per CPU, and only for a thread of this CPU (a thread woken on
 * another CPU goes through that CPU's run queue and an IPI instead).
 */
static struct thread *handoff;
static struct thread_list zombies = TAILQ_HEAD_INITIALIZER(zombies);
static struct thread idle;
static unsigned quantum_left;
static unsigned live_threads;

void
sched_init(void)
{
	idle.id = 0;
	idle.state = THREAD_RUNNING;
	idle.kstack_top = (uint64_t)(uintptr_t)boot_stack_top;
	str_copy(idle.name, "idle", sizeof(idle.name));
	this_cpu()->current = &idle;
	this_cpu()->kernel_rsp = idle.kstack_top;
}

void
sched_add(struct thread *t)
{
	bool irq = irq_save();

	t->state = THREAD_RUNNABLE;
	TAILQ_INSERT_TAIL(&runq, t, run_link);
	live_threads++;
	irq_restore(irq);
}

static void
reap(void)
{
	struct thread *t, *tmp;

	TAILQ_FOREACH_SAFE(t, &zombies, run_link, tmp) {
		if (t == sched_current())
			continue;
		TAILQ_REMOVE(&zombies, t, run_link);
		if (t->proc)
			process_thread_gone(t->proc, t);
		thread_destroy(t);
	}
}

/* Called with interrupts off. */
static void
switch_to(struct thread *next)
{
	struct thread *prev = sched_current();
	struct percpu *cpu = this_cpu();
	uint64_t root;

	if (next == prev) {
		next->state = THREAD_RUNNING;
		return;
	}
	/* FP/SIMD state, eagerly: the kernel never touches it, so the
	 * registers hold prev's until here and next's from here on. */
	if (prev->proc) {
		prev->fs_base = rdmsr(MSR_FS_BASE);
		if (prev->state != THREAD_DEAD)
			fpu_save(prev->fpu);
	}
	if (next->proc)
		fpu_restore(next->fpu);
	cpu->current = next;
	cpu->kernel_rsp = next->kstack_top;
	tss_set_rsp0(next->kstack_top);
	next->state = THREAD_RUNNING;
	quantum_left = SCHED_QUANTUM_TICKS;
	root = next->proc ? process_root(next->proc) : paging_kernel_root();
	if ((read_cr3() & PTE_ADDR) != root)
		write_cr3(root);
	/* The selectors before the FS base: loading FS may reset it. */
	user_selectors_switch(prev->proc ? &prev->user_sel : NULL,
	                      next->proc ? &next->user_sel : NULL);
	if (next->proc)
		wrmsr(MSR_FS_BASE, next->fs_base);
	switch_context(&prev->saved_rsp, next->saved_rsp);
	/* Back on prev's stack: some later switch chose us again. */
}

/* schedule, with interrupts already off. */
static void
schedule_irq_off(void)
{
	struct thread *cur = sched_current(), *next;

	this_cpu()->need_resched = 0;
	if (cur->state == THREAD_RUNNING && cur != &idle) {
		cur->state = THREAD_RUNNABLE;
		TAILQ_INSERT_TAIL(&runq, cur, run_link);
	}
	next = handoff;
	if (next)
		handoff = NULL;
	else if ((next = TAILQ_FIRST(&runq)))
		TAILQ_REMOVE(&runq, next, run_link);
	else
		next = &idle;
	switch_to(next);
	/* Most switches find no thread to free: one test. */
	if (!TAILQ_EMPTY(&zombies))
		reap();
}

void
schedule(void)
{
	bool irq = irq_save();

	schedule_irq_off();
	irq_restore(irq);
}

bool
sched_block(enum wait_reason why, uint64_t deadline_ns)
{
	bool irq = irq_save();
	struct thread *cur = sched_current();

	KASSERT(cur != &idle);
	cur->state = THREAD_BLOCKED;
	cur->wait = why;
	cur->deadline_ns = deadline_ns;
	cur->timed_out = false;
	if (deadline_ns)
		TAILQ_INSERT_TAIL(&blocked, cur, run_link);
	schedule_irq_off();
	cur->wait = WAIT_NONE;
	irq_restore(irq);
	return !cur->timed_out;
}

void
sched_wakeup(struct thread *t)
{
	bool irq = irq_save();

	if (t->state == THREAD_BLOCKED) {
		if (t->deadline_ns)
			TAILQ_REMOVE(&blocked, t, run_link);
		t->state = THREAD_RUNNABLE;
		TAILQ_INSERT_TAIL(&runq, t, run_link);
		/* A waking thread should not wait for a full quantum when the
		 * CPU is idle. */
		if (sched_current() == &idle)
			this_cpu()->need_resched = 1;
	}
	irq_restore(irq);
}

/* t (runnable, on no queue) takes the handoff slot.  One chosen before
 * it (two answers in one ring pass) runs right after it. */
static inline void
take_handoff(struct thread *t)
{
	if (handoff)
		TAILQ_INSERT_HEAD(&runq, handoff, run_link);
	handoff = t;
	this_cpu()->need_resched = 1;
}

void
sched_wakeup_next(struct thread *t)
{
	bool irq = irq_save();

	if (t->state == THREAD_BLOCKED) {
		if (t->deadline_ns)
			TAILQ_REMOVE(&blocked, t, run_link);
		t->state = THREAD_RUNNABLE;
		take_handoff(t);
	} else if (t->state == THREAD_RUNNABLE && t != handoff) {
		/* Woken before: a thread already chosen stays chosen. */
		TAILQ_REMOVE(&runq, t, run_link);
		take_handoff(t);
	}
	irq_restore(irq);
}

void
sched_tick(void)
{
	uint64_t now = clock_ns();
	struct thread *t, *tmp;

	TAILQ_FOREACH_SAFE(t, &blocked, run_link, tmp) {
		if (t->deadline_ns && now >= t->deadline_ns) {
			t->timed_out = true;
			sched_wakeup(t);
		}
	}
	if (quantum_left)
		quantum_left--;
	if ((handoff || !TAILQ_EMPTY(&runq)) &&
	    (quantum_left == 0 || sched_current() == &idle))
		this_cpu()->need_resched = 1;
}

void
sched_exit_current(void)
{
	struct thread *cur;

	cli();
	cur = sched_current();
	KASSERT(cur != &idle);
	cur->state = THREAD_DEAD;
	live_threads--;
	TAILQ_INSERT_TAIL(&zombies, cur, run_link);
	schedule();
	panic("a dead thread was scheduled again");
}

void
sched_thread_started(void)
{
	reap();
	sti();
}

void
sched_idle_loop(void)
{
	for (;;) {
		cli();
		reap();
		if (handoff || !TAILQ_EMPTY(&runq)) {
			schedule();
			continue;
		}
		sti_hlt();
	}
}

unsigned
sched_live_threads(void)
{
	return live_threads;
}
