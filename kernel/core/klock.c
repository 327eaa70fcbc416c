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
bool klock_held_by[MAX_CPUS];
static struct spinlock kernel_lock = SPINLOCK_INIT("kernel", 0);

void
klock_acquire(void)
{
	unsigned me = this_cpu()->cpu_id;

	KASSERT(!klock_held_by[me]);
	while (!spin_trylock_raw(&kernel_lock)) {
		while (__atomic_load_n(&kernel_lock.locked, __ATOMIC_RELAXED)) {
			tlb_poll();
			cpu_relax();
		}
	}
	klock_held_by[me] = true;
}

void
klock_release(void)
{
	unsigned me = this_cpu()->cpu_id;

	KASSERT(klock_held_by[me]);
	klock_held_by[me] = false;
	spin_unlock_raw(&kernel_lock);
}

void
klock_disable(void)
{
	bool irq = irq_save();

	if (klock_on) {
		__atomic_store_n(&klock_on, false, __ATOMIC_RELEASE);
		klock_held_by[this_cpu()->cpu_id] = false;
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
		klock_held_by[this_cpu()->cpu_id] = true;
		__atomic_store_n(&klock_on, true, __ATOMIC_RELEASE);
	}
	irq_restore(irq);
}
