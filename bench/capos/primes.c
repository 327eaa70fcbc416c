/*
 * primes: the capOS side of the SMP scaling benchmark (scripts/bench-smp.sh,
 * docs/benchmarks.md "SMP scaling").  Counts the primes of bench/primes.h's
 * range four ways and times each with the Timer cap (wall time):
 *
 *   procs 1     one child process counts them all
 *   procs 2     two child processes, each half (round-robin candidates)
 *   threads 1   one thread of this process counts them all
 *   threads 2   two threads of this process, each half
 *
 * The process runs spawn children and wait for them, the thread runs
 * create and join threads, so the 1- and 2-worker runs of a kind pay the
 * same overheads and differ only in how the work is spread; the main
 * thread only waits.  A run's time covers its spawns or creates, the
 * counting and the waits or joins.
 *
 * It runs as init of bench/capos/primes.capnp (`test=init
 * manifest=primes`) and spawns copies of itself as the child processes.
 * A child learns its share from the one cap it is granted: its name is
 * "part K/N" (worker K of N); the cap itself (Null) is never used.  A
 * child reports its count as its exit code.
 *
 * Output, one line per run:
 *   SMP_RUN <kind> <workers> <primes> <ns>
 *   SMP_ERROR <kind> <workers>: <why>   (instead: a worker failed, or the
 *                                        counts do not add up to
 *                                        PRIMES_EXPECTED)
 * then SMP_DONE; the exit code is 1 when a run failed.
 */
#include "capos.h"

#include "capos.capnp.client.h"

#include "../primes.h"

/* "part K/N": K < N <= PRIMES_MAX_PARTS, one digit each. */
static int
parse_part(const char *name, uint32_t *part, uint32_t *parts)
{
	static const char prefix[] = "part ";
	uint32_t i;

	for (i = 0; i < sizeof(prefix) - 1; i++)
		if (name[i] != prefix[i])
			return -1;
	name += i;
	if (name[0] < '0' || name[0] > '9' || name[1] != '/' || name[2] < '1' ||
	    name[2] > '9' || name[3] != '\0')
		return -1;
	*part = (uint32_t)(name[0] - '0');
	*parts = (uint32_t)(name[2] - '0');
	return *part < *parts && *parts <= PRIMES_MAX_PARTS ? 0 : -1;
}

/* A child: the worker its grant names, or -1 when this is not one. */
static int
child_part(uint32_t *part, uint32_t *parts)
{
	uint32_t i, n = capos_capset_count();

	for (i = 0; i < n; i++)
		if (parse_part(capos_capset_entry(i)->name, part, parts) == 0)
			return 0;
	return -1;
}

static capos_capid_t spawner, null_cap, timer;

/* A run's error that is no capOS error code: a child exited without its
 * count (a negative exit code). */
#define WORKER_FAILED 1

/* Worker k of n as a child process; its exit code is its count. */
static int
run_procs(uint32_t n, uint32_t *total, const char **why)
{
	capos_capid_t handle[PRIMES_MAX_PARTS];
	char name[] = "part K/N";
	uint32_t k, started;
	int err = 0;

	name[7] = (char)('0' + n);
	for (started = 0; started < n; started++) {
		struct capos_spawn_grant g = {name, null_cap};

		name[5] = (char)('0' + started);
		err = capos_spawn(spawner, "primes", "primes", &g, 1, NULL, 0,
		                  NULL, &handle[started], NULL);
		if (err) {
			*why = "ProcessSpawner.spawn failed";
			break;
		}
	}
	/* Every child started is waited for, also after a failed spawn. */
	for (k = 0; k < started; k++) {
		int32_t code = -1;
		int werr = capos_handle_wait(handle[k], &code);

		capos_release(handle[k]);
		if (werr || code < 0) {
			if (!err) {
				*why = werr
				           ? "ProcessHandle.wait failed"
				           : "a child exited without its count";
				err = werr ? werr : WORKER_FAILED;
			}
			continue;
		}
		*total += (uint32_t)code;
	}
	return err;
}

struct share {
	uint32_t part, parts;
};

static void *
thread_main(void *arg)
{
	const struct share *s = arg;

	return (void *)(uintptr_t)primes_count(s->part, s->parts);
}

/* Worker k of n as a thread of this process. */
static int
run_threads(uint32_t n, uint32_t *total, const char **why)
{
	struct capos_thread *t[PRIMES_MAX_PARTS];
	struct share s[PRIMES_MAX_PARTS];
	uint32_t k, started;
	int err = 0;

	for (started = 0; started < n; started++) {
		s[started] = (struct share){started, n};
		err = capos_thread_create(&t[started], thread_main, &s[started],
		                          NULL);
		if (err) {
			*why = "capos_thread_create failed";
			break;
		}
	}
	for (k = 0; k < started; k++) {
		void *count = 0;
		int jerr = capos_thread_join(t[k], &count);

		if (jerr) {
			if (!err) {
				*why = "capos_thread_join failed";
				err = jerr;
			}
			continue;
		}
		*total += (uint32_t)(uintptr_t)count;
	}
	return err;
}

typedef int (*run_fn)(uint32_t n, uint32_t *total, const char **why);

/* One timed run: its SMP_RUN line, or SMP_ERROR and 1. */
static int
run(const char *kind, run_fn fn, uint32_t n)
{
	const char *why = "failed";
	uint32_t total = 0;
	uint64_t ns0 = 0, ns1 = 0;
	int err;

	err = capos_timer_now(timer, &ns0);
	if (!err)
		err = fn(n, &total, &why);
	if (!err)
		err = capos_timer_now(timer, &ns1);
	if (err) {
		printf("SMP_ERROR %s %u: %s (%s)\n", kind, n, why,
		       err < 0 ? capos_strerror(err) : "no count");
		return 1;
	}
	if (total != PRIMES_EXPECTED) {
		printf("SMP_ERROR %s %u: counted %u primes, expected %u\n",
		       kind, n, total, PRIMES_EXPECTED);
		return 1;
	}
	printf("SMP_RUN %s %u %u %lu\n", kind, n, total,
	       (unsigned long)(ns1 - ns0));
	return 0;
}

int
main(void)
{
	uint32_t part, parts;
	int err, failed = 0;

	if (child_part(&part, &parts) == 0)
		return (int)primes_count(part, parts);

	err = capos_capset_find("timer", capos_Timer_TYPE_ID, &timer);
	if (!err)
		err = capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
		                        &spawner);
	if (!err)
		err = capos_capset_find("null", capos_Null_TYPE_ID, &null_cap);
	if (err) {
		printf("SMP_ERROR setup: %s\n", capos_strerror(err));
		return 1;
	}
	printf("SMP_INFO capos primes in [%u, %u), expected %u\n", PRIMES_LO,
	       PRIMES_HI, PRIMES_EXPECTED);
	failed |= run("procs", run_procs, 1);
	failed |= run("procs", run_procs, 2);
	failed |= run("threads", run_threads, 1);
	failed |= run("threads", run_threads, 2);
	printf("SMP_DONE\n");
	return failed;
}
