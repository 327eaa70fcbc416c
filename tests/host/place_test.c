/*
 * Host tests for lib/sched/place: where a runnable thread is queued (its
 * last CPU when free, else a free one, else its last) and which queue an
 * idle CPU steals from (the longest of a busy CPU, never an idle one's,
 * never its own).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sched/place.h"

#define N 4

/* Four online CPUs, all idle with nothing queued. */
static void
all_free(struct place_cpu *c)
{
	unsigned k;

	for (k = 0; k < N; k++)
		c[k] = (struct place_cpu){.online = true, .idle = true};
}

static void
test_wake_goes_to_last_cpu_when_free(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	assert_int_equal(place_wake(c, N, 2, 0), 2);
}

static void
test_wake_avoids_busy_last_cpu(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	c[2].idle = false; /* running a thread */
	c[0].idle = false;
	assert_int_equal(place_wake(c, N, 2, 0), 1);
}

static void
test_wake_counts_queued_work_as_busy(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	c[1].nrunq = 1; /* idle, but already woken for a thread */
	c[2].handoff = true;
	c[0].idle = false;
	assert_int_equal(place_wake(c, N, 0, 0), 3);
}

static void
test_wake_all_busy_stays_on_last(void **state)
{
	struct place_cpu c[N];
	unsigned k;

	(void)state;
	all_free(c);
	for (k = 0; k < N; k++)
		c[k].idle = false;
	assert_int_equal(place_wake(c, N, 3, 0), 3);
}

static void
test_wake_bad_last_means_self(void **state)
{
	struct place_cpu c[N];
	unsigned k;

	(void)state;
	all_free(c);
	for (k = 0; k < N; k++)
		c[k].idle = false;
	c[3].online = false;
	assert_int_equal(place_wake(c, N, 3, 1), 1);
	assert_int_equal(place_wake(c, N, 99, 2), 2);
}

static void
test_wake_skips_offline_cpus(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	c[0].idle = false;
	c[1].online = false;
	assert_int_equal(place_wake(c, N, 0, 0), 2);
}

static void
test_victim_longest_busy_queue(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	c[1].idle = false;
	c[1].nrunq = 2;
	c[2].idle = false;
	c[2].nrunq = 3;
	c[3].idle = false;
	c[3].nrunq = 3;
	assert_int_equal(place_victim(c, N, 0), 2);
}

static void
test_victim_never_idle_or_self(void **state)
{
	struct place_cpu c[N];

	(void)state;
	all_free(c);
	c[0].idle = false;
	c[0].nrunq = 5; /* self */
	c[1].nrunq = 4; /* idle: it runs its own queue */
	assert_int_equal(place_victim(c, N, 0), N);
	c[3].idle = false;
	c[3].nrunq = 1;
	c[3].online = false;
	assert_int_equal(place_victim(c, N, 0), N);
	c[3].online = true;
	assert_int_equal(place_victim(c, N, 0), 3);
}

static void
test_victim_none_with_empty_queues(void **state)
{
	struct place_cpu c[N];
	unsigned k;

	(void)state;
	all_free(c);
	for (k = 0; k < N; k++)
		c[k].idle = false;
	assert_int_equal(place_victim(c, N, 1), N);
	assert_int_equal(place_victim(c, 1, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wake_goes_to_last_cpu_when_free),
	    cmocka_unit_test(test_wake_avoids_busy_last_cpu),
	    cmocka_unit_test(test_wake_counts_queued_work_as_busy),
	    cmocka_unit_test(test_wake_all_busy_stays_on_last),
	    cmocka_unit_test(test_wake_bad_last_means_self),
	    cmocka_unit_test(test_wake_skips_offline_cpus),
	    cmocka_unit_test(test_victim_longest_busy_queue),
	    cmocka_unit_test(test_victim_never_idle_or_self),
	    cmocka_unit_test(test_victim_none_with_empty_queues),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
