#include "core/kernel.h"
#include "core/klock.h"
#include "arch/x86_64/tlb.h"

/*
 * The kernel lock is the one lock outside the checker's rules
 * (core/lockcheck.h): it is held while kernel code runs with interrupts
 * on, and across context switches.  It is taken and given up only here,
 * through the unchecked operations, and no other lock is held where it
 * is.
 */

bool klock_on;
static struct spinlock kernel_lock = SPINLOCK_INIT("kernel", 0);

void
klock_acquire(void)
{
	struct percpu *me = this_cpu();

	KASSERT(!me->klock_held);
	while (!spin_trylock_raw(&kernel_lock)) {
		while (__atomic_load_n(&kernel_lock.locked, __ATOMIC_RELAXED)) {
			tlb_poll();
			cpu_relax();
		}
	}
	me->klock_held = true;
}

void
klock_release(void)
{
	struct percpu *me = this_cpu();

	KASSERT(me->klock_held);
	me->klock_held = false;
	spin_unlock_raw(&kernel_lock);
}

void
klock_disable(void)
{
	bool irq = irq_save();

	if (klock_on) {
		__atomic_store_n(&klock_on, false, __ATOMIC_RELEASE);
		this_cpu()->klock_held = false;
		spin_unlock_raw(&kernel_lock);
	}
	irq_restore(irq);
}

void
klock_enable(void)
{
	bool irq = irq_save();

	if (!klock_on) {
		while (!spin_trylock_raw(&kernel_lock))
			cpu_relax();
		this_cpu()->klock_held = true;
		__atomic_store_n(&klock_on, true, __ATOMIC_RELEASE);
	}
	irq_restore(irq);
}
