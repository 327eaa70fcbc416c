/*
 * park_iso: a ParkSpace is its process's own (boot suite case
 * user-park-iso, run=park_iso,park_iso).  Both copies of this program
 * have `word` at the same address.  The second parks a thread on it with
 * a timeout while the first (process 1) UNPARKs that address in its own
 * space again and again: the park must time out, and the first's
 * UNPARKs must wake nobody.  Then the second wakes its own parked thread,
 * so the same word does work within a process.
 */
#include "capos.h"

#include "capos.capnp.h"

#define MS            1000000ull
#define PARK_FOR      (300 * MS)
#define UNPARK_EVERY  (10 * MS) /* one timer tick */
#define UNPARK_ROUNDS 60        /* twice as long as the park */

static uint32_t word;
static capos_capid_t timer;

static void *
park_thread(void *arg)
{
	uint64_t timeout = (uint64_t)(uintptr_t)arg;

	return (void *)(intptr_t)capos_park(&word, 0, timeout);
}

static void
parker(void)
{
	struct capos_thread *t;
	void *r = NULL;
	int err, woke = 0;

	err = capos_thread_create(&t, park_thread, (void *)(uintptr_t)PARK_FOR,
	                          NULL);
	if (!err)
		err = capos_thread_join(t, &r);
	ktest_check(err == 0 && (intptr_t)r == CAPOS_E_TIMED_OUT,
	            "iso.foreign_unpark_wakes_nobody",
	            "park ended with %ld (%s), error %s", (long)(intptr_t)r,
	            capos_strerror((int)(intptr_t)r), capos_strerror(err));
	/* Our own UNPARK on the same word wakes our own thread. */
	err = capos_thread_create(
	    &t, park_thread, (void *)(uintptr_t)CAPOS_PARK_NO_TIMEOUT, NULL);
	while (!err && woke == 0) {
		capos_timer_sleep(timer, 1 * MS);
		woke = capos_unpark(&word, 1);
		if (woke < 0)
			err = woke;
	}
	if (!err)
		err = capos_thread_join(t, &r);
	ktest_check(err == 0 && woke == 1 && (intptr_t)r == CAPOS_PARK_WOKEN,
	            "iso.own_unpark_wakes", "woke %d, park %ld, error %s", woke,
	            (long)(intptr_t)r, capos_strerror(err));
}

static void
unparker(void)
{
	int i, r, woken = 0, failed = 0;

	for (i = 0; i < UNPARK_ROUNDS; i++) {
		r = capos_unpark(&word, UINT32_MAX);
		if (r < 0)
			failed++;
		else
			woken += r;
		capos_timer_sleep(timer, UNPARK_EVERY);
	}
	ktest_check(woken == 0 && failed == 0, "iso.unparker_woke_nobody",
	            "%d woken, %d failed", woken, failed);
}

int
main(void)
{
	ktest_prefix("park.");
	if (capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		printf("KTEST not ok park.capset: no timer\n");
		return 1;
	}
	/* The first copy is the run's main program, whose end stops the
	 * other: it unparks for twice as long as the other parks. */
	if (capos_pid() == 1)
		unparker();
	else
		parker();
	return ktest_failures();
}
