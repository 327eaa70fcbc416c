/*
 * Spinlocks (docs/smp.md, "The locks").  Every spinlock is taken with
 * interrupts off and released before they are turned back on, so an
 * interrupt handler on the holding CPU never spins on a lock its own CPU
 * holds.  A lock has a rank; a CPU may take only locks of a lower rank
 * than the ones it holds (the debug build checks it).
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"

struct spinlock {
	volatile uint32_t locked;
	uint32_t rank;    /* docs/smp.md: 0 outermost */
	const char *name; /* for the debug checks' messages */
};

#define SPINLOCK_INIT(n, r)                                                    \
	{                                                                      \
		.locked = 0, .rank = (r), .name = (n)                          \
	}

static inline bool
spin_trylock(struct spinlock *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void
spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void
spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
