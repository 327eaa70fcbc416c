/*
 * The scheduler: preemptive round robin over a run queue per CPU, with
 * blocking, deadlines, bounded work stealing and an idle thread per CPU
 * that halts.  Preemption happens only on the way back to user mode, so
 * kernel code is never interrupted by another thread in the middle of a
 * data-structure update; the kernel lock (core/klock.h) keeps other CPUs
 * out of the kernel meanwhile.
 */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#include <stdint.h>

#include "arch/x86_64/percpu.h"
#include "proc/thread.h"

#define SCHED_QUANTUM_TICKS 2

/* Turns the boot context into the idle thread. */
void sched_init(void);
static inline struct thread *
sched_current(void)
{
	return this_cpu()->current;
}

void sched_add(struct thread *t);
/* Gives up the CPU if another thread is runnable. */
void schedule(void);
/*
 * Blocks the current thread until sched_wakeup() or until the monotonic
 * clock passes deadline_ns (0: no deadline).  Returns false on timeout.
 */
bool sched_block(enum wait_reason why, uint64_t deadline_ns);
void sched_wakeup(struct thread *t);
/* t runs in user mode on another CPU: interrupt that CPU, so t enters
 * the kernel and sees what changed (its leave flag). */
void sched_kick(struct thread *t);
/* Direct handoff: t, blocked (it is woken) or runnable, runs next, as
 * soon as the current thread leaves the kernel or blocks, without
 * passing through the run queue. */
void sched_wakeup_next(struct thread *t);
/* Timer interrupt: wakes expired sleepers, charges the quantum. */
void sched_tick(void);
/* Called on the way back to user mode: switches when preemption is due.
 * Inline: every system call and interrupt return passes here. */
static inline void
sched_preempt_point(void)
{
	if (this_cpu()->need_resched)
		schedule();
}
/* Ends the current thread; the reaper frees it after the switch. */
void sched_exit_current(void) __attribute__((noreturn));
/* Runs the idle loop forever: reaping, halting until work arrives. */
void sched_idle_loop(void) __attribute__((noreturn));
/* SMP: the boot CPU registers the IPI handlers before others start;
 * each other CPU ends its start-up in sched_ap_main, which never
 * returns. */
void sched_smp_init(void);
void sched_ap_main(void) __attribute__((noreturn));
/* CPUs that take part in scheduling (the highest index + 1). */
unsigned sched_cpus_online(void);
/* Number of threads that are not dead. */
unsigned sched_live_threads(void);

#endif
