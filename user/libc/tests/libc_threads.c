/*
 * libc_threads: musl's pthreads on capOS threads, at their edges (boot
 * case user-libc-threads): hundreds of create/join cycles and detached
 * threads give their stacks back (the machine's free frames return to
 * where they were), the thread limit shows as EAGAIN, timed waits time
 * out, and mutexes that record their owner's thread id work.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "capos.h"

#include "capos.capnp.h"

static int failures;
static capos_capid_t sysinfo;

static void
check(int ok, const char *what)
{
	printf("libc_threads: %s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

static uint64_t
free_frames(void)
{
	uint64_t total = 0, free = 0;

	capos_sysinfo_memory(sysinfo, &total, &free);
	return free;
}

static void *
echo(void *arg)
{
	return arg;
}

static int finished;

static void *
detached_fn(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELAXED);
	return NULL;
}

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static int gate_open;

static void *
wait_gate(void *arg)
{
	pthread_mutex_lock(&gate_lock);
	while (!gate_open)
		pthread_cond_wait(&gate, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	return arg;
}

static void
nap(long ms)
{
	struct timespec ts = {0, ms * 1000000};

	nanosleep(&ts, NULL);
}

/* Creates and joins one thread, which also unmaps the stacks of
 * detached threads that have ended. */
static int
create_join(void)
{
	pthread_t t;
	void *r = NULL;

	return pthread_create(&t, NULL, echo, (void *)7) == 0 &&
	       pthread_join(t, &r) == 0 && r == (void *)7;
}

int
main(void)
{
	static pthread_t t[300];
	pthread_attr_t small;
	pthread_attr_t detached;
	pthread_mutexattr_t ma;
	pthread_mutex_t m;
	struct timespec until;
	uint64_t base, after;
	int i, n, ok, r;

	if (capos_capset_find_interface(capos_SystemInfo_TYPE_ID, &sysinfo))
		check(0, "holds SystemInfo");
	create_join(); /* malloc's and the thread library's first needs */
	base = free_frames();

	ok = 1;
	for (i = 0; i < 300 && ok; i++)
		ok = create_join();
	after = free_frames();
	check(ok, "300 create/join cycles");
	check(after + 4 >= base, "joined threads' stacks are given back");

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	ok = 1;
	for (i = 0; i < 100 && ok; i++) {
		pthread_t d;

		ok = pthread_create(&d, &detached, detached_fn, NULL) == 0;
		if ((i & 7) == 7)
			nap(2); /* let some end on the way */
	}
	check(ok, "100 detached threads started");
	for (i = 0;
	     i < 500 && __atomic_load_n(&finished, __ATOMIC_RELAXED) < 100; i++)
		nap(2);
	check(finished == 100, "every detached thread ran");
	nap(5);
	create_join();
	nap(5);
	create_join();
	after = free_frames();
	printf("libc_threads: free frames %lu before, %lu after the detached "
	       "threads\n",
	       (unsigned long)base, (unsigned long)after);
	/* Page-table pages stay with the process until it ends, so a few
	 * frames are not back; 100 stacks would be over 3,000. */
	check(after + 64 >= base, "detached threads' stacks are given back");

	/* Past the process's thread limit (256 for a program the kernel
	 * starts), on small stacks. */
	pthread_attr_init(&small);
	pthread_attr_setstacksize(&small, 16384);
	for (n = 0; n < 300; n++) {
		r = pthread_create(&t[n], &small, wait_gate, (void *)(long)n);
		if (r)
			break;
	}
	printf("libc_threads: %d threads started, then error %d\n", n, r);
	check(n >= 16 && n < 300 && r == EAGAIN,
	      "the thread limit shows as EAGAIN");
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate);
	pthread_mutex_unlock(&gate_lock);
	ok = 1;
	for (i = 0; i < n; i++) {
		void *v = NULL;

		ok &= pthread_join(t[i], &v) == 0 && v == (void *)(long)i;
	}
	check(ok, "threads waiting on a condition variable all woke");

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 20000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&gate_lock);
	gate_open = 0;
	r = pthread_cond_timedwait(&gate, &gate_lock, &until);
	pthread_mutex_unlock(&gate_lock);
	check(r == ETIMEDOUT, "pthread_cond_timedwait times out");

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &ma);
	check(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 &&
	          pthread_mutex_unlock(&m) == 0 &&
	          pthread_mutex_unlock(&m) == 0,
	      "a recursive mutex");
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_destroy(&m);
	pthread_mutex_init(&m, &ma);
	pthread_mutex_lock(&m);
	check(pthread_mutex_lock(&m) == EDEADLK,
	      "an error-checking mutex knows its owner");
	pthread_mutex_unlock(&m);

	printf("libc_threads: %d failed\n", failures);
	return failures ? 1 : 0;
}
