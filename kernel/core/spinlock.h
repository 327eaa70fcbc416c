/*
 * Spinlocks (docs/smp.md, "The locks").  Every spinlock is taken with
 * interrupts off and released before they are turned back on, so an
 * interrupt handler on the holding CPU never spins on a lock its own CPU
 * holds.  A lock has a rank; a CPU may take only locks ranked below
 * (numerically above) the ones it holds, two of one rank in address
 * order, and releases them in the reverse order.  The debug build
 * (LOCKCHECK=1, kernel/core/lockcheck.h) checks all of it and panics
 * naming the locks; the release build compiles the checks out.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"

#ifndef LOCKCHECK
#define LOCKCHECK 0
#endif

struct spinlock {
	volatile uint32_t locked;
	uint32_t rank;    /* docs/smp.md's table: 1 outermost */
	const char *name; /* for the debug checks' messages */
};

#define SPINLOCK_INIT(n, r)                                                    \
	{                                                                      \
		.locked = 0, .rank = (r), .name = (n)                          \
	}

#if LOCKCHECK
#include "core/lockcheck.h"
#else
static inline void
lockcheck_acquire(struct spinlock *l)
{
	(void)l;
}

static inline void
lockcheck_trylocked(struct spinlock *l)
{
	(void)l;
}

static inline void
lockcheck_irqs_off(struct spinlock *l)
{
	(void)l;
}

static inline void
lockcheck_release(struct spinlock *l)
{
	(void)l;
}
#endif

static inline bool
spin_trylock_raw(struct spinlock *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline bool
spin_trylock(struct spinlock *l)
{
	lockcheck_irqs_off(l);
	if (!spin_trylock_raw(l))
		return false;
	lockcheck_trylocked(l);
	return true;
}

/* The order is checked before spinning: a wrong order may never get the
 * lock, and the panic is worth more than the hang. */
static inline void
spin_lock(struct spinlock *l)
{
	lockcheck_acquire(l);
	while (!spin_trylock_raw(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void
spin_unlock_raw(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void
spin_unlock(struct spinlock *l)
{
	lockcheck_release(l);
	spin_unlock_raw(l);
}

#endif
