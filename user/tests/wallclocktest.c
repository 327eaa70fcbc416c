/*
 * wallclocktest: WallClock and ClockDiscipline (boot suite case
 * wallclock, manifest=wallclock).  Runs as init holding both.  The time
 * read from the RTC is plausible and advances exactly as Timer.now does;
 * a child holding only the WallClock cannot set it; the setter sets it
 * and the clock reads back what was set, advancing from there; a time
 * before 1970 is refused.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

#define MS       1000000ll
#define NS_PER_S 1000000000ll
/* 2024-01-01 and 2100-01-01 00:00 UTC. */
#define UNIX_2024_NS (1704067200ll * NS_PER_S)
#define UNIX_2100_NS (4102444800ll * NS_PER_S)

static capos_capid_t timer, wallclock, clockset;

static int64_t
mono(void)
{
	uint64_t ns = 0;

	if (capos_timer_now(timer, &ns))
		printf("KTEST not ok wallclock.timer_now\n");
	return (int64_t)ns;
}

static void
test_plausible(void)
{
	int64_t now = 0;
	int prov = -1, err = capos_wallclock_now(wallclock, &now, &prov);

	ktest_check(err == 0 && prov == capos_ClockProvenance_rtc,
	            "provenance.rtc", "%s, provenance %d", capos_strerror(err),
	            prov);
	ktest_check(now > UNIX_2024_NS && now < UNIX_2100_NS,
	            "rtc.after_2024_before_2100", "%ld s since the epoch",
	            (long)(now / NS_PER_S));
}

/*
 * Wall = offset + monotonic, so the wall clock's advance over a sleep
 * lies between the Timer's advances measured just inside and just
 * outside the two wall-clock reads.
 */
static void
check_advances(const char *name)
{
	int64_t t1, t2, t3, t4, w1 = 0, w2 = 0;
	int p1, p2, e1, e2, es;

	t1 = mono();
	e1 = capos_wallclock_now(wallclock, &w1, &p1);
	t2 = mono();
	es = capos_timer_sleep(timer, 10 * MS);
	t3 = mono();
	e2 = capos_wallclock_now(wallclock, &w2, &p2);
	t4 = mono();
	ktest_check(e1 == 0 && e2 == 0 && es == 0 && w2 - w1 >= t3 - t2 &&
	                w2 - w1 <= t4 - t1 && w2 - w1 >= 10 * MS,
	            name, "wall +%ld ns, timer +[%ld, %ld] ns", (long)(w2 - w1),
	            (long)(t3 - t2), (long)(t4 - t1));
}

static void
test_reader_cannot_set(capos_capid_t spawner, capos_capid_t console)
{
	struct capos_spawn_grant g[2] = {{"console", console},
	                                 {"wallclock", wallclock}};
	capos_capid_t handle;
	int64_t now = 0;
	int32_t code = -1;
	int prov = -1, err;

	err = capos_spawn(spawner, "wallclock_reader", "wallclock_reader", g, 2,
	                  NULL, 0, NULL, &handle, NULL);
	if (!err)
		err = capos_handle_wait(handle, &code);
	ktest_check(err == 0 && code == 0, "reader.passed", "%s, exit code %d",
	            capos_strerror(err), code);
	if (!err)
		capos_release_sync(handle);
	err = capos_wallclock_now(wallclock, &now, &prov);
	ktest_check(err == 0 && prov == capos_ClockProvenance_rtc,
	            "reader.left_provenance_rtc", "provenance %d", prov);
}

static void
test_set(void)
{
	/* 2031-05-17 12:00 UTC: far from the RTC's time either way. */
	const int64_t target = 1968408000ll * NS_PER_S;
	int64_t before, w = 0, b = 0;
	int prov = -1, err;
	static struct capos_call c;

	before = mono();
	err = capos_clock_set(clockset, target);
	ktest_check(err == 0, "set.ok", "%s", capos_strerror(err));
	err = capos_wallclock_now(wallclock, &w, &prov);
	ktest_check(err == 0 && prov == capos_ClockProvenance_setByOperator,
	            "set.provenance_set_by_operator", "%s, provenance %d",
	            capos_strerror(err), prov);
	/* Set after `before`, read before the Timer read here. */
	ktest_check(w >= target && w <= target + (mono() - before),
	            "set.reads_back", "set %ld, read %ld (%ld ns later)",
	            (long)target, (long)w, (long)(w - target));
	check_advances("set.advances_with_timer");
	err = capos_clock_set(clockset, -1);
	ktest_check_exception(err, capos_ExceptionType_invalidArgument,
	                      "set.before_1970.invalid_argument");
	err = capos_clock_set(clockset, INT64_MIN);
	ktest_check_exception(err, capos_ExceptionType_invalidArgument,
	                      "set.int64_min.invalid_argument");
	err = capos_wallclock_now(wallclock, &b, &prov);
	ktest_check(err == 0 && b >= w && b < w + 60 * NS_PER_S &&
	                prov == capos_ClockProvenance_setByOperator,
	            "set.refused_left_the_time", "%ld after %ld", (long)b,
	            (long)w);
	/* Setting to the epoch itself is allowed. */
	err = capos_clock_set(clockset, 0);
	if (!err)
		err = capos_wallclock_now(wallclock, &w, &prov);
	ktest_check(err == 0 && w >= 0 && w < 60 * NS_PER_S, "set.epoch",
	            "%s, %ld", capos_strerror(err), (long)w);
	/* The setter is not a reader. */
	capos_call_begin(&c);
	ktest_check_exception(capos_call_send(&c, clockset,
	                                      capos_WallClock_TYPE_ID,
	                                      capos_WallClock_METHOD_now),
	                      capos_ExceptionType_unimplemented,
	                      "setter_cannot_read.unimplemented");
}

int
main(void)
{
	capos_capid_t spawner, console;

	ktest_prefix("wallclock.");
	if (capos_Timer_find("timer", &timer) ||
	    capos_WallClock_find("wallclock", &wallclock) ||
	    capos_ClockDiscipline_find("clockset", &clockset) ||
	    capos_ProcessSpawner_find("spawner", &spawner) ||
	    capos_Console_find("console", &console)) {
		printf("KTEST not ok wallclock.capset: caps missing\n");
		return 1;
	}
	test_plausible();
	check_advances("rtc.advances_with_timer");
	test_reader_cannot_set(spawner, console);
	test_set();
	printf("wallclock test: %d failures\n", ktest_failures());
	return ktest_failures();
}
