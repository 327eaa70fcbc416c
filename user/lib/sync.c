/*
 * Mutexes, condition variables and once over PARK/UNPARK.  Each is a word
 * (or two) in the caller's memory; a thread parks only when it must wait
 * for another, and a release unparks only when someone is parked, so an
 * uncontended lock and unlock are one atomic instruction each.
 *
 * Without a ParkSpace (a process whose threads the runtime did not start)
 * a waiter sleeps briefly in cap_enter instead of parking and looks again:
 * slower, never wrong.
 */
#include "capos.h"
#include "internal.h"

/* How long a waiter without a ParkSpace sleeps between looks. */
#define SYNC_POLL_NS 100000ull

/* Waits while *word == value, or until woken (maybe spuriously). */
static int
wait_on(uint32_t *word, uint32_t value, uint64_t timeout_ns)
{
	int r = capos_park(word, value, timeout_ns);

	if (r == CAPOS_E_TIMED_OUT || r >= 0)
		return r;
	/* No ParkSpace, or PARK refused (the process's parked threads at
	 * their limit): poll instead. */
	capos_sys_cap_enter(1, timeout_ns < SYNC_POLL_NS ? timeout_ns
	                                                 : SYNC_POLL_NS);
	return 0;
}

static void
wake(uint32_t *word, uint32_t count)
{
	capos_unpark(word, count);
}

/* --- mutex: 0 free, 1 held, 2 held and someone may be parked ------------- */

static void
mutex_lock_contended(struct capos_mutex *m)
{
	/* Whoever takes it from here on says "someone may be parked", so
	 * its unlock wakes the next. */
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		wait_on(&m->state, 2, CAPOS_PARK_NO_TIMEOUT);
}

void
capos_mutex_lock(struct capos_mutex *m)
{
	uint32_t free = 0;

	if (!__atomic_compare_exchange_n(&m->state, &free, 1, false,
	                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		mutex_lock_contended(m);
}

bool
capos_mutex_trylock(struct capos_mutex *m)
{
	uint32_t free = 0;

	return __atomic_compare_exchange_n(&m->state, &free, 1, false,
	                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void
capos_mutex_unlock(struct capos_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		wake(&m->state, 1);
}

/* --- condition variable ------------------------------------------------ */

int
capos_cond_timedwait(struct capos_cond *c, struct capos_mutex *m,
                     uint64_t timeout_ns)
{
	/* The sequence is read before the mutex is dropped: a signal after
	 * that changes it, so the PARK below either sees the change or is
	 * parked when the signal's UNPARK comes (waiters is counted first,
	 * and the signal reads it after its bump). */
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
	int r;

	__atomic_add_fetch(&c->waiters, 1, __ATOMIC_SEQ_CST);
	capos_mutex_unlock(m);
	r = wait_on(&c->seq, seq, timeout_ns);
	__atomic_sub_fetch(&c->waiters, 1, __ATOMIC_SEQ_CST);
	/* Other waiters may be parked on the mutex by now. */
	mutex_lock_contended(m);
	return r == CAPOS_E_TIMED_OUT ? CAPOS_E_TIMED_OUT : 0;
}

void
capos_cond_wait(struct capos_cond *c, struct capos_mutex *m)
{
	capos_cond_timedwait(c, m, CAPOS_PARK_NO_TIMEOUT);
}

static void
cond_wake(struct capos_cond *c, uint32_t count)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST))
		wake(&c->seq, count);
}

void
capos_cond_signal(struct capos_cond *c)
{
	cond_wake(c, 1);
}

void
capos_cond_broadcast(struct capos_cond *c)
{
	cond_wake(c, UINT32_MAX);
}

/* --- once --------------------------------------------------------------- */

enum { ONCE_NEW, ONCE_RUNNING, ONCE_WAITED, ONCE_DONE };

void
capos_once(struct capos_once *o, void (*fn)(void))
{
	for (;;) {
		uint32_t s = __atomic_load_n(&o->state, __ATOMIC_ACQUIRE);

		if (s == ONCE_DONE)
			return;
		if (s == ONCE_NEW) {
			if (!__atomic_compare_exchange_n(
			        &o->state, &s, ONCE_RUNNING, false,
			        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				continue;
			fn();
			if (__atomic_exchange_n(&o->state, ONCE_DONE,
			                        __ATOMIC_RELEASE) ==
			    ONCE_WAITED)
				wake(&o->state, UINT32_MAX);
			return;
		}
		/* Running: say someone waits, then park until done. */
		if (s == ONCE_RUNNING &&
		    !__atomic_compare_exchange_n(&o->state, &s, ONCE_WAITED,
		                                 false, __ATOMIC_RELAXED,
		                                 __ATOMIC_RELAXED))
			continue;
		wait_on(&o->state, ONCE_WAITED, CAPOS_PARK_NO_TIMEOUT);
	}
}
