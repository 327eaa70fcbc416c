/*
 * The kernel lock: the first step of SMP (docs/smp.md, "Stage 1").  One
 * CPU at a time runs kernel code; the others run user code, spin at a
 * kernel entry, or halt in their idle loop.  The lock belongs to a CPU,
 * not a thread: a switch inside the kernel hands it to the next thread,
 * which gives it up on its way back to user mode.
 *
 * Taken at every entry from user mode (SYSCALL, interrupts and
 * exceptions) and by an interrupt that wakes a halted idle loop; given up
 * on the way back to user mode and before the idle loop halts.  An
 * interrupt taken while this CPU holds it (kernel code that runs with
 * interrupts on) runs under the same hold.
 *
 * Until a second CPU starts, klock_on is false and nothing is taken.
 */
#ifndef CORE_KLOCK_H
#define CORE_KLOCK_H

#include <stdbool.h>

#include "arch/x86_64/percpu.h"
#include "core/spinlock.h"

extern bool klock_on;

/* Spins until this CPU holds the lock, answering TLB shootdowns while it
 * waits (the holder may be waiting for this CPU's answer).  Interrupts
 * are off. */
void klock_acquire(void);
void klock_release(void);
/* The boot CPU, in kernel code, takes the lock before the others start,
 * and gives it up for good when none did. */
void klock_enable(void);
void klock_disable(void);

static inline bool
klock_held(void)
{
	return this_cpu()->klock_held;
}

/* At an entry: takes the lock unless this CPU holds it; says whether it
 * did, so the exit gives back only what the entry took. */
static inline bool
klock_enter(void)
{
	if (__builtin_expect(!klock_on, 1) || klock_held())
		return false;
	klock_acquire();
	return true;
}

/* On the way back to user mode, interrupts off. */
static inline void
klock_leave_to_user(void)
{
	if (__builtin_expect(klock_on, 0))
		klock_release();
}

#endif
