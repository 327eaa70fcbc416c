/*
 * The debug build's spinlock checks (LOCKCHECK=1; docs/smp.md, "The
 * debug build").  Each CPU keeps the stack of spinlocks it holds
 * (lib/lockorder); taking a lock with interrupts on, out of the rank
 * order, or one already held, and releasing one that is not the
 * innermost held lock, panic with the locks named.  spin_lock and
 * spin_unlock call these; nothing else needs to.
 */
#ifndef CORE_LOCKCHECK_H
#define CORE_LOCKCHECK_H

#include "lockorder/lockorder.h"

struct spinlock;

/* Before spinning for l: interrupts off, the order, then l is pushed. */
void lockcheck_acquire(struct spinlock *l);
/* Before a trylock: interrupts off. */
void lockcheck_irqs_off(struct spinlock *l);
/* After a trylock got l: pushed without the order check (a trylock does
 * not wait, so it cannot close a cycle). */
void lockcheck_trylocked(struct spinlock *l);
/* Before l is released: it must be this CPU's innermost held lock, and
 * interrupts still off. */
void lockcheck_release(struct spinlock *l);

/* What taking l now on this CPU would get, without taking it or
 * panicking (the self-test's look at the refusal path). */
enum lockorder_verdict lockcheck_verdict(const struct spinlock *l);
/* How many spinlocks this CPU holds. */
unsigned lockcheck_depth(void);

#endif
