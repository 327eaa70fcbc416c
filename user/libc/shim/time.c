/*
 * Clocks and sleeps:
 *
 *	CLOCK_MONOTONIC (and _RAW, _COARSE, BOOTTIME)	Timer.now
 *	CLOCK_REALTIME (and _COARSE)			WallClock.now
 *	CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID	Timer.now too:
 *		capOS does not yet account CPU time to programs, so clock()
 *		measures elapsed time
 *	nanosleep, clock_nanosleep (relative or TIMER_ABSTIME)	Timer.sleep
 *
 * A clock whose cap the process lacks is EPERM; an unknown clock EINVAL.
 * No signal interrupts a sleep, so the remaining time is never written.
 */
#include <sys/time.h>
#include <time.h>

#include "shim.h"

#include "capos.capnp.h"

#define NS_PER_S 1000000000ll

static capos_capid_t timer_cap, wall_cap;
static uint8_t timer_looked, wall_looked;

enum clock_source { CLOCK_NONE, CLOCK_TIMER, CLOCK_WALL };

static int
source(long clk)
{
	switch (clk) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return CLOCK_TIMER;
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return CLOCK_WALL;
	default:
		return CLOCK_NONE;
	}
}

/* The clock's reading in nanoseconds, or a negative errno. */
static long
now_ns(long clk, int64_t *ns)
{
	capos_capid_t cap;
	uint64_t mono;
	int err, provenance;

	switch (source(clk)) {
	case CLOCK_TIMER:
		cap = shim_cap(capos_Timer_TYPE_ID, &timer_cap, &timer_looked);
		if (!cap)
			return -EPERM;
		err = capos_timer_now(cap, &mono);
		*ns = (int64_t)mono;
		return shim_errno(err);
	case CLOCK_WALL:
		cap =
		    shim_cap(capos_WallClock_TYPE_ID, &wall_cap, &wall_looked);
		if (!cap)
			return -EPERM;
		return shim_errno(capos_wallclock_now(cap, ns, &provenance));
	default:
		return -EINVAL;
	}
}

static void
to_timespec(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / NS_PER_S;
	ts->tv_nsec = ns % NS_PER_S;
	if (ts->tv_nsec < 0) {
		ts->tv_sec--;
		ts->tv_nsec += NS_PER_S;
	}
}

long
shim_sys_clock_gettime(SHIM_ARGS)
{
	int64_t ns;
	long r;

	if (shim_user_writable(a1, sizeof(struct timespec)))
		return -EFAULT;
	if ((r = now_ns(a0, &ns)))
		return r;
	to_timespec(ns, (struct timespec *)a1);
	return 0;
}

long
shim_sys_clock_getres(SHIM_ARGS)
{
	struct timespec *ts = (struct timespec *)a1;

	if (source(a0) == CLOCK_NONE)
		return -EINVAL;
	if (!ts)
		return 0;
	if (shim_user_writable(a1, sizeof(*ts)))
		return -EFAULT;
	ts->tv_sec = 0;
	ts->tv_nsec = 1;
	return 0;
}

long
shim_sys_gettimeofday(SHIM_ARGS)
{
	struct timeval *tv = (struct timeval *)a0;
	int64_t ns;
	long r;

	if (!tv)
		return 0;
	if (shim_user_writable(a0, sizeof(*tv)))
		return -EFAULT;
	if ((r = now_ns(CLOCK_REALTIME, &ns)))
		return r;
	tv->tv_sec = ns / NS_PER_S;
	tv->tv_usec = (ns % NS_PER_S) / 1000;
	return 0;
}

long
shim_sys_time(SHIM_ARGS)
{
	int64_t ns;
	long r;

	if ((r = now_ns(CLOCK_REALTIME, &ns)))
		return r;
	if (a0) {
		if (shim_user_writable(a0, sizeof(time_t)))
			return -EFAULT;
		*(time_t *)a0 = ns / NS_PER_S;
	}
	return ns / NS_PER_S;
}

/* Sleeps until clock clk reads at least target (absolute) or for target
 * nanoseconds (relative). */
static long
sleep_ns(long clk, int absolute, const struct timespec *req)
{
	capos_capid_t timer =
	    shim_cap(capos_Timer_TYPE_ID, &timer_cap, &timer_looked);
	int64_t ns, now;
	long r;

	if (shim_user_readable((long)req, sizeof(*req)))
		return -EFAULT;
	if (req->tv_nsec < 0 || req->tv_nsec >= NS_PER_S || req->tv_sec < 0)
		return -EINVAL;
	if (source(clk) == CLOCK_NONE || clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (!timer)
		return -EPERM;
	ns = req->tv_sec > INT64_MAX / NS_PER_S - 1
	         ? INT64_MAX
	         : req->tv_sec * NS_PER_S + req->tv_nsec;
	if (absolute) {
		if ((r = now_ns(clk, &now)))
			return r;
		if (ns <= now)
			return 0;
		ns -= now;
	}
	return shim_errno(capos_timer_sleep(timer, (uint64_t)ns));
}

long
shim_sys_nanosleep(SHIM_ARGS)
{
	return sleep_ns(CLOCK_MONOTONIC, 0, (const struct timespec *)a0);
}

long
shim_sys_clock_nanosleep(SHIM_ARGS)
{
	if (a1 & ~(long)TIMER_ABSTIME)
		return -EINVAL;
	return sleep_ns(a0, (a1 & TIMER_ABSTIME) != 0,
	                (const struct timespec *)a2);
}
