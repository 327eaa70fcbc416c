#include "core/kernel.h"
#include "core/clock.h"
#include "core/counters.h"
#include "core/klock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "sched/place.h"

extern char boot_stack_top[];
void switch_context(uint64_t *save_rsp, uint64_t load_rsp);

/*
 * What each CPU schedules: its run queue, its handoff slot, its idle
 * thread and the rest of its quantum.  While the kernel lock is the only
 * lock (docs/smp.md, "Stage 1") every field of every CPU is read and
 * written under it; a thread on a run queue always has its context saved
 * (it was switched out under the lock), so any CPU may take it.
 */
struct cpu_sched {
	struct thread_list runq;
	/*
	 * Direct handoff (seL4's "switch to the receiver"): the thread an
	 * IPC operation chose to run next on this CPU.  It is runnable but
	 * on no queue, and the next switch here takes it without looking at
	 * the run queue.
	 */
	struct thread *handoff;
	struct thread idle;
	unsigned quantum_left;
	struct percpu *pc;
	struct place_cpu *place; /* its entry of place[] */
	uint32_t apic_id;
};

static struct cpu_sched cpus[MAX_CPUS];
/* What lib/sched/place decides on: per CPU, online, idle, a thread in the
 * handoff slot, the run queue's length. */
static struct place_cpu place[MAX_CPUS];
static unsigned ncpus = 1;
/* The blocked threads with a deadline, which the boot CPU's timer tick
 * looks at; one blocked without a deadline (a server waiting for its
 * next call) is on no list, so blocking and waking it touch none. */
static struct thread_list blocked = TAILQ_HEAD_INITIALIZER(blocked);
static struct thread_list zombies = TAILQ_HEAD_INITIALIZER(zombies);
static unsigned live_threads;

static inline struct cpu_sched *
me(void)
{
	return this_cpu()->sched;
}

static inline struct place_cpu *
place_of(const struct cpu_sched *c)
{
	return c->place;
}

static inline bool
is_idle(const struct cpu_sched *c, const struct thread *t)
{
	return t == &c->idle;
}

static void
cpu_start(struct cpu_sched *c, uint64_t stack_top)
{
	TAILQ_INIT(&c->runq);
	c->idle.id = 0;
	c->idle.state = THREAD_RUNNING;
	c->idle.kstack_top = stack_top;
	c->idle.cpu = this_cpu()->cpu_id;
	str_copy(c->idle.name, "idle", sizeof(c->idle.name));
	c->pc = this_cpu();
	c->pc->sched = c;
	c->place = &place[c - cpus];
	c->pc->current = &c->idle;
	c->pc->kernel_rsp = stack_top;
	place_of(c)->idle = true;
	place_of(c)->online = true;
}

void
sched_init(void)
{
	cpu_start(&cpus[0], (uint64_t)(uintptr_t)boot_stack_top);
}

unsigned
sched_cpus_online(void)
{
	return ncpus;
}

/* Kicks CPU k into its scheduler (it is idle, or must look at a
 * thread of its own). */
static void
kick(unsigned k)
{
	if (k == this_cpu()->cpu_id) {
		this_cpu()->need_resched = 1;
		return;
	}
	kcounters.resched_ipis++;
	lapic_send_ipi(cpus[k].apic_id, VEC_IPI_RESCHED);
}

/* Queues t (runnable, on no queue) and wakes the CPU chosen when it has
 * nothing to run. */
static void
enqueue(struct thread *t)
{
	unsigned k = ncpus == 1
	                 ? 0
	                 : place_wake(place, ncpus, t->cpu, this_cpu()->cpu_id);
	struct cpu_sched *c = &cpus[k];

	t->state = THREAD_RUNNABLE;
	t->cpu = k;
	TAILQ_INSERT_TAIL(&c->runq, t, run_link);
	place[k].nrunq++;
	if (place[k].idle)
		kick(k);
}

void
sched_add(struct thread *t)
{
	bool irq = irq_save();

	live_threads++;
	enqueue(t);
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
switch_to(struct cpu_sched *c, struct thread *next)
{
	struct thread *prev = sched_current();
	struct percpu *cpu = this_cpu();
	uint64_t root;

	if (next == prev) {
		next->state = THREAD_RUNNING;
		return;
	}
	/* FP/SIMD state, eagerly: the kernel never touches it, so the
	 * registers hold prev's until here and next's from here on; a
	 * thread that moves to another CPU finds its state in memory. */
	if (prev->proc) {
		prev->fs_base = rdmsr(MSR_FS_BASE);
		if (prev->state != THREAD_DEAD)
			fpu_save(prev->fpu);
	}
	if (next->proc)
		fpu_restore(next->fpu);
	cpu->current = next;
	place_of(c)->idle = is_idle(c, next);
	cpu->kernel_rsp = next->kstack_top;
	tss_set_rsp0(next->kstack_top);
	next->state = THREAD_RUNNING;
	next->cpu = cpu->cpu_id;
	root = next->proc ? process_root(next->proc) : paging_kernel_root();
	if ((read_cr3() & PTE_ADDR) != root) {
		write_cr3(root);
		tlb_note_root(root);
	}
	/* The selectors before the FS base: loading FS may reset it. */
	user_selectors_switch(prev->proc ? &prev->user_sel : NULL,
	                      next->proc ? &next->user_sel : NULL);
	if (next->proc)
		wrmsr(MSR_FS_BASE, next->fs_base);
	switch_context(&prev->saved_rsp, next->saved_rsp);
	/* Back on prev's stack: some later switch chose us again. */
}

static struct thread *
dequeue(struct cpu_sched *c)
{
	struct thread *t = TAILQ_FIRST(&c->runq);

	if (t) {
		TAILQ_REMOVE(&c->runq, t, run_link);
		place_of(c)->nrunq--;
	}
	return t;
}

/* Work stealing, bounded: the thread that has waited longest on the
 * longest queue of a busy CPU (lib/sched/place).  An idle CPU looks each
 * time it wakes, so at most once per tick. */
static struct thread *
steal(void)
{
	unsigned k;

	if (ncpus == 1)
		return NULL;
	k = place_victim(place, ncpus, this_cpu()->cpu_id);
	return k < ncpus ? dequeue(&cpus[k]) : NULL;
}

/* schedule, with interrupts already off. */
static void
schedule_irq_off(void)
{
	struct cpu_sched *c = me();
	struct thread *cur = sched_current(), *next;

	this_cpu()->need_resched = 0;
	if (cur->state == THREAD_RUNNING && !is_idle(c, cur)) {
		cur->state = THREAD_RUNNABLE;
		TAILQ_INSERT_TAIL(&c->runq, cur, run_link);
		place_of(c)->nrunq++;
	}
	/* A thread handed the CPU by IPC runs on the rest of the quantum
	 * of the one that handed it: a client and a server that pass the
	 * CPU back and forth share one quantum, and the threads queued
	 * behind them get their turn when it ends. */
	next = c->handoff;
	if (next) {
		c->handoff = NULL;
		place_of(c)->handoff = false;
		if (c->quantum_left == 0 && place_of(c)->nrunq) {
			/* The shared quantum is used up: the others first. */
			TAILQ_INSERT_TAIL(&c->runq, next, run_link);
			place_of(c)->nrunq++;
			next = NULL;
		}
	}
	if (!next) {
		if (!(next = dequeue(c)) && !(next = steal()))
			next = &c->idle;
		c->quantum_left = SCHED_QUANTUM_TICKS;
	}
	switch_to(c, next);
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

	KASSERT(!is_idle(me(), cur));
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
		enqueue(t);
	}
	irq_restore(irq);
}

void
sched_kick(struct thread *t)
{
	bool irq = irq_save();

	if (t->state == THREAD_RUNNING && t->cpu != this_cpu()->cpu_id &&
	    cpus[t->cpu].pc->current == t)
		kick(t->cpu);
	irq_restore(irq);
}

/* t (runnable, on no queue) takes this CPU's handoff slot.  One chosen
 * before it (two answers in one ring pass) runs right after it. */
static inline void
take_handoff(struct cpu_sched *c, struct thread *t)
{
	if (c->handoff) {
		TAILQ_INSERT_HEAD(&c->runq, c->handoff, run_link);
		place_of(c)->nrunq++;
	}
	c->handoff = t;
	place_of(c)->handoff = true;
	t->cpu = this_cpu()->cpu_id;
	this_cpu()->need_resched = 1;
}

void
sched_wakeup_next(struct thread *t)
{
	bool irq = irq_save();
	struct cpu_sched *c = me();

	if (t->state == THREAD_BLOCKED) {
		if (t->deadline_ns)
			TAILQ_REMOVE(&blocked, t, run_link);
		t->state = THREAD_RUNNABLE;
		take_handoff(c, t);
	} else if (t->state == THREAD_RUNNABLE && t != c->handoff &&
	           t->cpu == this_cpu()->cpu_id) {
		/* Woken before, here: a thread already chosen stays
		 * chosen. */
		TAILQ_REMOVE(&c->runq, t, run_link);
		place_of(c)->nrunq--;
		take_handoff(c, t);
	}
	irq_restore(irq);
}

void
sched_tick(void)
{
	struct cpu_sched *c = me();
	struct thread *t, *tmp;
	bool idle = is_idle(c, sched_current());

	if (this_cpu()->cpu_id == 0) {
		uint64_t now = clock_ns();

		TAILQ_FOREACH_SAFE(t, &blocked, run_link, tmp) {
			if (t->deadline_ns && now >= t->deadline_ns) {
				t->timed_out = true;
				sched_wakeup(t);
			}
		}
	}
	if (c->quantum_left)
		c->quantum_left--;
	if ((c->handoff || place_of(c)->nrunq) &&
	    (c->quantum_left == 0 || idle))
		this_cpu()->need_resched = 1;
}

void
sched_exit_current(void)
{
	struct thread *cur;

	cli();
	cur = sched_current();
	KASSERT(!is_idle(me(), cur));
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

/* A new user thread's first way out to user mode (entry.S). */
void
sched_thread_leaves(void)
{
	klock_leave_to_user();
}

void
sched_idle_loop(void)
{
	for (;;) {
		struct cpu_sched *c;

		cli();
		klock_enter();
		c = me();
		reap();
		if (c->handoff || place_of(c)->nrunq ||
		    (ncpus > 1 &&
		     place_victim(place, ncpus, this_cpu()->cpu_id) < ncpus)) {
			schedule();
			continue;
		}
		if (klock_held())
			klock_release();
		sti_hlt();
	}
}

/* The resched IPI: the sender queued work here. */
static void
resched_interrupt(struct trapframe *tf)
{
	(void)tf;
	this_cpu()->need_resched = 1;
}

void
sched_smp_init(void)
{
	trap_set_irq_handler(VEC_IPI_RESCHED, resched_interrupt);
	cpus[0].apic_id = lapic_id();
	tlb_cpu_online(0, cpus[0].apic_id);
}

void
sched_ap_main(void)
{
	unsigned id = this_cpu()->cpu_id;

	cli();
	klock_acquire();
	/* The idle thread runs on the stack this CPU started on; it never
	 * enters from user mode, so its stack top is only a record. */
	cpu_start(&cpus[id], (uint64_t)(uintptr_t)__builtin_frame_address(0));
	cpus[id].apic_id = lapic_id();
	tlb_cpu_online(id, cpus[id].apic_id);
	if (id + 1 > ncpus)
		ncpus = id + 1;
	lapic_timer_start(TIMER_HZ);
	sched_idle_loop();
}

unsigned
sched_live_threads(void)
{
	return live_threads;
}
