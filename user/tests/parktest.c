/*
 * parktest: PARK and UNPARK on 32-bit words (boot suite case user-park,
 * run=parktest).  The main thread uses libcapos; the threads it spawns
 * park through their own ring pages (ring_raw.h).
 *
 * - a park with the word's value waits until an UNPARK wakes it
 *   (CAPOS_PARK_WOKEN), with no timeout and with the largest finite one;
 * - a wrong value answers CAPOS_PARK_VALUE_CHANGED at once, a timeout of
 *   0 TIMED_OUT at once, and a short timeout expires with TIMED_OUT;
 * - UNPARK with count N wakes exactly N of M parked threads, oldest
 *   first, and answers how many it woke;
 * - hostile words (unmapped, misaligned, kernel, ring page), counts 0
 *   and UINT32_MAX, a cap that is no ParkSpace, a released ParkSpace;
 * - releasing the ParkSpace cancels the parks made through it.
 *
 * park_exit, run after it, exits with threads still parked.
 *
 * The main thread knows a thread has parked only by UNPARK's count; where
 * it must wait for threads to park first, it sleeps until they have
 * announced themselves, and a check counts what UNPARK actually woke, so
 * a thread that had not parked yet fails the check rather than passing it.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "park_raw.h"

#define NPARKERS 4
#define MS       1000000ull
#define POLL_MAX 2000

static struct parker parkers[NPARKERS + 2];
static capos_capid_t spawner, control, park, null, timer;
static uint32_t word_a, word_b, word_c;

PARK_RAW_THREAD(parker_entry, parker_main);

/* --- the main thread ----------------------------------------------------- */

static int32_t
park_now(capos_capid_t cap, uint64_t addr, uint32_t value, uint64_t timeout)
{
	return ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_PARK,
	                                          .cap = cap,
	                                          .word_addr = addr,
	                                          .park_value = value,
	                                          .timeout_ns = timeout});
}

static int32_t
unpark(capos_capid_t cap, uint64_t addr, uint32_t count)
{
	return ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_UNPARK,
	                                          .cap = cap,
	                                          .word_addr = addr,
	                                          .unpark_count = count});
}

static uint64_t
addr_of(uint32_t *w)
{
	return (uint64_t)(uintptr_t)w;
}

static void
join_release(capos_capid_t h)
{
	uint64_t value;

	capos_thread_handle_join(h, &value);
	capos_release_sync(h);
}

/* Waits until n parkers announced their PARK, then lets them reach it:
 * sleeping blocks this thread, and each of them runs until it blocks in
 * its park. */
static void
wait_parking(struct parker *w, uint32_t n)
{
	uint32_t i, k, ready = 0;

	for (k = 0; k < POLL_MAX && ready < n; k++) {
		for (i = ready = 0; i < n; i++)
			ready += w[i].parking;
		capos_timer_sleep(timer, MS);
	}
	capos_timer_sleep(timer, MS);
}

/* Unparks one thread on word, retrying until one was there to wake. */
static int32_t
unpark_one_when_parked(uint32_t *word)
{
	int32_t r = 0;
	uint32_t k;

	for (k = 0; k < POLL_MAX && r == 0; k++) {
		r = unpark(park, addr_of(word), 1);
		if (r == 0)
			capos_timer_sleep(timer, MS);
	}
	return r;
}

static void
test_wait_and_wake(const char *spawn_name, const char *name, uint64_t timeout)
{
	struct parker *w = &parkers[0];
	capos_capid_t h;
	int32_t r;
	int err;

	word_a = 5;
	err = start_parker(w, parker_entry, park, &word_a, 5, timeout, &h);
	ktest_check_code(err, 0, spawn_name);
	if (err)
		return;
	r = unpark_one_when_parked(&word_a);
	join_release(h);
	ktest_check(r == 1 && w->done && w->result == CAPOS_PARK_WOKEN, name,
	            "unpark woke %d, parker done %u with %d", r, w->done,
	            w->result);
}

static void
test_immediate(void)
{
	word_a = 3;
	ktest_check_code(
	    park_now(park, addr_of(&word_a), 4, CAPOS_PARK_NO_TIMEOUT),
	    CAPOS_PARK_VALUE_CHANGED, "park.wrong_value");
	ktest_check_code(park_now(park, addr_of(&word_a), 4, 0),
	                 CAPOS_PARK_VALUE_CHANGED,
	                 "park.wrong_value_timeout_0");
	ktest_check_code(park_now(park, addr_of(&word_a), 3, 0),
	                 CAPOS_E_TIMED_OUT, "park.timeout_0");
	ktest_check_code(park_now(park, addr_of(&word_a), 3, 2 * MS),
	                 CAPOS_E_TIMED_OUT, "park.short_timeout_expires");
	ktest_check_code(unpark(park, addr_of(&word_a), 1), 0,
	                 "unpark.nobody_parked");
}

static void
test_n_of_m(void)
{
	capos_capid_t h[NPARKERS];
	uint32_t i, woken = 0, waiting = 0, spawned = 0, first = 0;
	int32_t r1, r2;

	word_b = 0;
	for (i = 0; i < NPARKERS; i++)
		if (start_parker(&parkers[i], parker_entry, park, &word_b, 0,
		                 CAPOS_PARK_NO_TIMEOUT, &h[i]) == 0)
			spawned++;
	ktest_check(spawned == NPARKERS, "n_of_m.spawn", "%u spawned", spawned);
	if (spawned != NPARKERS)
		return;
	wait_parking(parkers, NPARKERS);
	/* Another word wakes nobody. */
	ktest_check_code(unpark(park, addr_of(&word_c), UINT32_MAX), 0,
	                 "n_of_m.other_word");
	r1 = unpark(park, addr_of(&word_b), 2);
	/* The woken ones complete; wait for exactly them. */
	for (i = 0; i < POLL_MAX; i++) {
		uint32_t k;

		for (k = woken = 0; k < NPARKERS; k++)
			woken += parkers[k].done;
		if (woken >= 2)
			break;
		capos_timer_sleep(timer, MS);
	}
	capos_timer_sleep(timer, MS);
	for (i = woken = waiting = 0; i < NPARKERS; i++) {
		if (parkers[i].done && parkers[i].result == CAPOS_PARK_WOKEN)
			woken++;
		if (!parkers[i].done)
			waiting++;
	}
	first = parkers[0].done && parkers[1].done;
	ktest_check(r1 == 2 && woken == 2 && waiting == 2, "n_of_m.two_of_four",
	            "unpark answered %d; %u woken, %u still parked", r1, woken,
	            waiting);
	ktest_check(first, "n_of_m.oldest_first", "the first two parked %s",
	            first ? "woke" : "did not both wake");
	r2 = unpark(park, addr_of(&word_b), UINT32_MAX);
	for (i = 0; i < NPARKERS; i++)
		join_release(h[i]);
	for (i = woken = 0; i < NPARKERS; i++)
		woken +=
		    parkers[i].done && parkers[i].result == CAPOS_PARK_WOKEN;
	ktest_check(r2 == 2 && woken == NPARKERS, "n_of_m.rest_with_max",
	            "unpark UINT32_MAX answered %d; %u woken in all", r2,
	            woken);
}

static void
test_hostile(void)
{
	/* Heap space this process never mapped. */
	uint64_t unmapped = CAPOS_USER_HEAP_END - CAPOS_PAGE_SIZE;

	ktest_check_code(park_now(park, unmapped, 0, 0), CAPOS_E_BAD_BUFFER,
	                 "hostile.park_unmapped");
	ktest_check_code(unpark(park, unmapped, 1), CAPOS_E_BAD_BUFFER,
	                 "hostile.unpark_unmapped");
	ktest_check_code(park_now(park, addr_of(&word_a) + 1, 0, 0),
	                 CAPOS_E_BAD_ARG, "hostile.park_misaligned");
	ktest_check_code(unpark(park, addr_of(&word_a) + 2, 1), CAPOS_E_BAD_ARG,
	                 "hostile.unpark_misaligned");
	ktest_check_code(park_now(park, CAPOS_KERNEL_BASE, 0, 0),
	                 CAPOS_E_BAD_BUFFER, "hostile.park_kernel");
	ktest_check_code(unpark(park, CAPOS_KERNEL_IMAGE_BASE, 1),
	                 CAPOS_E_BAD_BUFFER, "hostile.unpark_kernel");
	ktest_check_code(park_now(park, 0, 0, 0), CAPOS_E_BAD_BUFFER,
	                 "hostile.park_null");
	/* The ring page is mapped, and its first word is the magic: a park
	 * there would otherwise wait with the right value. */
	ktest_check_code(park_now(park, CAPOS_USER_RING_ADDR, CAPOS_RING_MAGIC,
	                          CAPOS_PARK_NO_TIMEOUT),
	                 CAPOS_E_BAD_BUFFER, "hostile.park_ring_page");
	ktest_check_code(unpark(park, CAPOS_USER_RING_ADDR + 192, 1),
	                 CAPOS_E_BAD_BUFFER, "hostile.unpark_ring_page");
	ktest_check_code(unpark(park, addr_of(&word_a), 0), CAPOS_E_BAD_ARG,
	                 "hostile.unpark_count_0");
	ktest_check_code(unpark(park, addr_of(&word_a), UINT32_MAX), 0,
	                 "hostile.unpark_count_max");
	ktest_check_code(park_now(null, addr_of(&word_a), word_a, 0),
	                 CAPOS_E_NOT_SUPPORTED,
	                 "hostile.park_not_a_park_space");
	ktest_check_code(unpark(timer, addr_of(&word_a), 1),
	                 CAPOS_E_NOT_SUPPORTED,
	                 "hostile.unpark_not_a_park_space");
	/* Stray fields are refused like on every opcode. */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_UNPARK,
	                                       .cap = park,
	                                       .word_addr = addr_of(&word_a),
	                                       .unpark_count = 1,
	                                       .timeout_ns = 1}),
	    CAPOS_E_BAD_FIELD, "hostile.unpark_with_timeout");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_PARK,
	                                       .cap = park,
	                                       .word_addr = addr_of(&word_a),
	                                       .result_len = 4}),
	    CAPOS_E_BAD_FIELD, "hostile.park_with_result_len");
	/* A CALL on a ParkSpace: it has no methods. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = park,
	                     .interface_id = capos_ParkSpace_TYPE_ID}),
	                 CAPOS_E_NOT_SUPPORTED, "hostile.call_park_space");
}

/* Releasing the ParkSpace cancels what was parked through it; after, the
 * id is stale. */
static void
test_release_and_exit(void)
{
	struct parker *w = &parkers[0];
	capos_capid_t h;
	uint32_t k;
	int err;

	word_c = 9;
	err = start_parker(w, parker_entry, park, &word_c, 9,
	                   CAPOS_PARK_NO_TIMEOUT, &h);
	ktest_check_code(err, 0, "release.spawn");
	if (err)
		return;
	wait_parking(w, 1);
	ktest_check_code(capos_release_sync(park), 0, "release.park_space");
	for (k = 0; k < POLL_MAX && !w->done; k++)
		capos_timer_sleep(timer, MS);
	join_release(h);
	ktest_check(w->done && w->result == CAPOS_E_CANCELLED,
	            "release.cancels_parks", "done %u with %d", w->done,
	            w->result);
	ktest_check_code(park_now(park, addr_of(&word_c), 9, 0),
	                 CAPOS_E_BAD_CAP, "release.park_on_released");
	ktest_check_code(unpark(park, addr_of(&word_c), 1), CAPOS_E_BAD_CAP,
	                 "release.unpark_on_released");
}

int
main(void)
{
	ktest_prefix("park.");
	if (capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("thread", capos_ThreadControl_TYPE_ID,
	                      &control) ||
	    capos_capset_find("park", capos_ParkSpace_TYPE_ID, &park) ||
	    capos_Null_find("null", &null) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		ktest_check(false, "caps", "a cap is missing");
		return ktest_failures();
	}
	test_immediate();
	test_wait_and_wake("wake.no_timeout.spawn", "wake.no_timeout",
	                   CAPOS_PARK_NO_TIMEOUT);
	test_wait_and_wake("wake.largest_timeout.spawn", "wake.largest_timeout",
	                   CAPOS_PARK_NO_TIMEOUT - 1);
	test_hostile();
	test_n_of_m();
	test_release_and_exit();
	printf("parktest: %d failures\n", ktest_failures());
	return ktest_failures();
}
