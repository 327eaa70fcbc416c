/*
 * threadlib: libcapos threading (boot suite case user-threadlib,
 * run=threadlib).  Every thread here is a capos_thread_create thread and
 * uses the whole runtime (printf, malloc, calls, PARK) on its own ring.
 *
 * - join returns each thread's own result;
 * - TLS: every thread starts with the template's values (initialised,
 *   zeroed, over-aligned), FS points at its own TCB, and its writes stay
 *   its own;
 * - a mutex makes four threads' increments exact, with the holder
 *   sleeping so that the others must park;
 * - producer/consumer over a bounded queue with a mutex and two condition
 *   variables: exact counts and sums, each producer's items in order;
 * - once runs its function once while three threads wait for it;
 * - a timed condition wait times out;
 * - printf lines from four threads at once stay whole (the suite counts
 *   them);
 * - a thread with a larger stack can use it;
 * - detached threads, many more than the thread limit, are freed: the
 *   heap returns to its baseline;
 * - bad joins are refused.
 */
#include "capos.h"

#include "capos.capnp.h"

#define MS            1000000ull
#define NJOIN         6
#define NCOUNT        4
#define COUNT_EACH    400
#define NPROD         2
#define NCONS         3
#define ITEMS_EACH    300
#define QUEUE_SIZE    8
#define NONCE         4
#define NPRINT        4
#define PRINT_LINES   25
#define DETACH_BATCH  4
#define DETACH_ROUNDS 40 /* 160 threads: ten times the default limit */
#define BIG_STACK     (96u << 10)
#define BIG_FRAME     (64u << 10)

static capos_capid_t timer;

/* --- join values --------------------------------------------------------- */

static void *
times_three_plus_one(void *arg)
{
	return (void *)((uintptr_t)arg * 3 + 1);
}

static void
test_join_values(void)
{
	struct capos_thread *t[NJOIN];
	bool ok = true;
	int i, err;

	for (i = 0; i < NJOIN; i++) {
		err = capos_thread_create(&t[i], times_three_plus_one,
		                          (void *)(uintptr_t)(100 + i), NULL);
		if (err) {
			ktest_check(false, "join.values", "create %d: %s", i,
			            capos_strerror(err));
			return;
		}
	}
	/* Joined in reverse: the order of ends does not matter. */
	for (i = NJOIN - 1; i >= 0; i--) {
		void *v = NULL;

		err = capos_thread_join(t[i], &v);
		ok &= err == 0 && (uintptr_t)v == (uintptr_t)(100 + i) * 3 + 1;
	}
	ktest_check(ok, "join.values",
	            "a join failed or returned another value");
}

/* --- TLS ------------------------------------------------------------------ */

static __thread uint64_t tls_init = 0x1122334455667788ull;
static __thread uint32_t tls_zero[16];
static __thread uint8_t tls_aligned[64] __attribute__((aligned(64))) = {7};

struct tls_seen {
	uint64_t init_at_start, zero_sum, tcb, self_word;
	uintptr_t aligned_addr;
	uint8_t aligned0;
	uint64_t mine_after;
};

static struct capos_mutex tls_mutex = CAPOS_MUTEX_INIT;
static struct capos_cond tls_cond = CAPOS_COND_INIT;
static uint32_t tls_written;

static void *
tls_thread(void *arg)
{
	struct tls_seen *s = arg;
	uint64_t me = (uint64_t)(uintptr_t)arg;
	uint32_t i;

	s->init_at_start = tls_init;
	for (i = 0; i < 16; i++)
		s->zero_sum += tls_zero[i];
	s->aligned_addr = (uintptr_t)tls_aligned;
	s->aligned0 = tls_aligned[0];
	__asm__ volatile("movq %%fs:0, %0" : "=r"(s->self_word));
	s->tcb = s->self_word;
	/* Write ours, then wait until every thread has written its own. */
	tls_init = me;
	tls_zero[3] = (uint32_t)me;
	capos_mutex_lock(&tls_mutex);
	tls_written++;
	capos_cond_broadcast(&tls_cond);
	while (tls_written < NCOUNT)
		capos_cond_wait(&tls_cond, &tls_mutex);
	capos_mutex_unlock(&tls_mutex);
	s->mine_after = tls_init == me && tls_zero[3] == (uint32_t)me;
	return NULL;
}

static void
test_tls(void)
{
	struct tls_seen seen[NCOUNT] = {0};
	struct capos_thread *t[NCOUNT];
	bool start = true, aligned = true, own = true, tcbs = true;
	int i, j, err;

	tls_init = 0xabcdef; /* the main thread's copy only */
	for (i = 0; i < NCOUNT; i++) {
		err = capos_thread_create(&t[i], tls_thread, &seen[i], NULL);
		if (err) {
			ktest_check(false, "tls.created", "%s",
			            capos_strerror(err));
			return;
		}
	}
	for (i = 0; i < NCOUNT; i++)
		capos_thread_join(t[i], NULL);
	for (i = 0; i < NCOUNT; i++) {
		start &= seen[i].init_at_start == 0x1122334455667788ull &&
		         seen[i].zero_sum == 0 && seen[i].aligned0 == 7;
		aligned &= seen[i].aligned_addr % 64 == 0;
		own &= seen[i].mine_after == 1;
		for (j = 0; j < i; j++)
			tcbs &= seen[i].tcb != seen[j].tcb;
		tcbs &= seen[i].tcb != 0;
	}
	ktest_check(start, "tls.template_copied",
	            "a thread started with other TLS values");
	ktest_check(aligned, "tls.aligned", "an aligned(64) variable is not");
	ktest_check(tcbs, "tls.own_tcb", "two threads share a TCB");
	ktest_check(own, "tls.writes_stay_own",
	            "a thread saw another's TLS write");
	ktest_check(tls_init == 0xabcdef, "tls.main_untouched",
	            "main's copy is %#lx", (unsigned long)tls_init);
}

/* --- mutex --------------------------------------------------------------- */

static struct capos_mutex count_mutex = CAPOS_MUTEX_INIT;
static uint64_t counter;

static void *
count_thread(void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 0; i < COUNT_EACH; i++) {
		capos_mutex_lock(&count_mutex);
		uint64_t v = counter;

		/* Sleeping with the mutex held makes the others wait on it;
		 * a lost update would show in the total. */
		if (i % 50 == 0)
			capos_timer_sleep(timer, 1 * MS);
		counter = v + 1;
		capos_mutex_unlock(&count_mutex);
	}
	return NULL;
}

static void
test_mutex(void)
{
	struct capos_thread *t[NCOUNT];
	int i, n = 0;

	ktest_check(capos_mutex_trylock(&count_mutex), "mutex.trylock_free",
	            "trylock of a free mutex failed");
	ktest_check(!capos_mutex_trylock(&count_mutex), "mutex.trylock_held",
	            "trylock of a held mutex succeeded");
	capos_mutex_unlock(&count_mutex);
	for (i = 0; i < NCOUNT; i++)
		n += capos_thread_create(&t[i], count_thread, NULL, NULL) == 0;
	for (i = 0; i < n; i++)
		capos_thread_join(t[i], NULL);
	ktest_check(n == NCOUNT && counter == NCOUNT * COUNT_EACH,
	            "mutex.exact_count", "%d threads, count %lu, wanted %u", n,
	            (unsigned long)counter, NCOUNT * COUNT_EACH);
}

/* --- producer / consumer ------------------------------------------------- */

struct queue {
	struct capos_mutex m;
	struct capos_cond not_empty, not_full;
	uint32_t items[QUEUE_SIZE];
	uint32_t head, count;
	bool closed;
};

static struct queue q = {.m = CAPOS_MUTEX_INIT,
                         .not_empty = CAPOS_COND_INIT,
                         .not_full = CAPOS_COND_INIT};

struct consumed {
	uint64_t count, sum;
	uint32_t last[NPROD]; /* last sequence number seen from each */
	bool in_order;
};

static void *
producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, i;

	for (i = 1; i <= ITEMS_EACH; i++) {
		capos_mutex_lock(&q.m);
		while (q.count == QUEUE_SIZE)
			capos_cond_wait(&q.not_full, &q.m);
		q.items[(q.head + q.count++) % QUEUE_SIZE] = id << 16 | i;
		capos_cond_signal(&q.not_empty);
		capos_mutex_unlock(&q.m);
	}
	return (void *)(uintptr_t)ITEMS_EACH;
}

static void *
consumer(void *arg)
{
	struct consumed *c = arg;
	uint32_t item;

	c->in_order = true;
	for (;;) {
		capos_mutex_lock(&q.m);
		while (q.count == 0 && !q.closed)
			capos_cond_wait(&q.not_empty, &q.m);
		if (q.count == 0) {
			capos_mutex_unlock(&q.m);
			break;
		}
		item = q.items[q.head];
		q.head = (q.head + 1) % QUEUE_SIZE;
		q.count--;
		capos_cond_signal(&q.not_full);
		capos_mutex_unlock(&q.m);
		c->count++;
		c->sum += item & 0xffff;
		if ((item >> 16) < NPROD) {
			c->in_order &= (item & 0xffff) > c->last[item >> 16];
			c->last[item >> 16] = item & 0xffff;
		} else {
			c->in_order = false;
		}
	}
	return (void *)(uintptr_t)c->count;
}

static void
test_producer_consumer(void)
{
	struct capos_thread *p[NPROD], *c[NCONS];
	struct consumed got[NCONS] = {0};
	uint64_t count = 0, sum = 0, joined = 0;
	uint64_t want_sum = (uint64_t)NPROD * ITEMS_EACH * (ITEMS_EACH + 1) / 2;
	bool order = true, produced = true;
	int i, err = 0;

	for (i = 0; i < NCONS && !err; i++)
		err = capos_thread_create(&c[i], consumer, &got[i], NULL);
	for (i = 0; i < NPROD && !err; i++)
		err = capos_thread_create(&p[i], producer, (void *)(uintptr_t)i,
		                          NULL);
	if (err) {
		ktest_check(false, "queue.created", "%s", capos_strerror(err));
		return;
	}
	for (i = 0; i < NPROD; i++) {
		void *v;

		produced &= capos_thread_join(p[i], &v) == 0 &&
		            (uintptr_t)v == ITEMS_EACH;
	}
	capos_mutex_lock(&q.m);
	q.closed = true;
	capos_cond_broadcast(&q.not_empty);
	capos_mutex_unlock(&q.m);
	for (i = 0; i < NCONS; i++) {
		void *v = NULL;

		capos_thread_join(c[i], &v);
		joined += (uintptr_t)v;
		count += got[i].count;
		sum += got[i].sum;
		order &= got[i].in_order;
	}
	ktest_check(produced, "queue.producers_joined",
	            "a producer's join value is wrong");
	ktest_check(
	    count == NPROD * ITEMS_EACH && joined == count, "queue.exact_count",
	    "consumed %lu (joins say %lu), wanted %u", (unsigned long)count,
	    (unsigned long)joined, NPROD * ITEMS_EACH);
	ktest_check(sum == want_sum, "queue.exact_sum", "sum %lu, wanted %lu",
	            (unsigned long)sum, (unsigned long)want_sum);
	ktest_check(order, "queue.fifo_per_producer",
	            "a consumer saw a producer's items out of order");
}

/* --- once ---------------------------------------------------------------- */

static struct capos_once once = CAPOS_ONCE_INIT;
static uint32_t once_runs;
static volatile uint32_t once_value;

static void
once_fn(void)
{
	__atomic_add_fetch(&once_runs, 1, __ATOMIC_RELAXED);
	/* Long enough for the others to find it running and wait. */
	capos_timer_sleep(timer, 20 * MS);
	once_value = 42;
}

static void *
once_thread(void *arg)
{
	(void)arg;
	capos_once(&once, once_fn);
	return (void *)(uintptr_t)once_value;
}

static void
test_once(void)
{
	struct capos_thread *t[NONCE];
	bool all = true;
	int i, n = 0;

	for (i = 0; i < NONCE; i++)
		n += capos_thread_create(&t[i], once_thread, NULL, NULL) == 0;
	for (i = 0; i < n; i++) {
		void *v = NULL;

		capos_thread_join(t[i], &v);
		all &= (uintptr_t)v == 42;
	}
	capos_once(&once, once_fn);
	ktest_check(n == NONCE && once_runs == 1, "once.ran_once",
	            "ran %u times over %d threads", once_runs, n);
	ktest_check(all, "once.callers_saw_result",
	            "a caller returned before the function finished");
}

/* --- timed wait ------------------------------------------------------------ */

static void
test_timedwait(void)
{
	struct capos_mutex m = CAPOS_MUTEX_INIT;
	struct capos_cond c = CAPOS_COND_INIT;
	uint64_t t0 = 0, t1 = 0;
	int r;

	capos_timer_now(timer, &t0);
	capos_mutex_lock(&m);
	r = capos_cond_timedwait(&c, &m, 5 * MS);
	capos_mutex_unlock(&m);
	capos_timer_now(timer, &t1);
	ktest_check(r == CAPOS_E_TIMED_OUT && t1 - t0 >= 5 * MS,
	            "cond.timedwait_times_out", "result %d after %lu ns", r,
	            (unsigned long)(t1 - t0));
	ktest_check(capos_mutex_trylock(&m), "cond.timedwait_mutex_released",
	            "the mutex stayed held after the wait");
}

/* --- printf from several threads ----------------------------------------- */

static void *
print_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, i;

	for (i = 1; i <= PRINT_LINES; i++) {
		printf("threadlib: t%u line %u of %u with some padding to make "
		       "it long end\n",
		       id, i, PRINT_LINES);
		/* So that the threads' lines interleave. */
		if (i % 5 == 0)
			capos_timer_sleep(timer, 1 * MS);
	}
	return NULL;
}

static void
test_print(void)
{
	struct capos_thread *t[NPRINT];
	int i, n = 0;

	for (i = 0; i < NPRINT; i++)
		n += capos_thread_create(&t[i], print_thread,
		                         (void *)(uintptr_t)i, NULL) == 0;
	for (i = 0; i < n; i++)
		capos_thread_join(t[i], NULL);
	ktest_check(n == NPRINT, "print.threads", "%d of %d started", n,
	            NPRINT);
}

/* --- stack size ----------------------------------------------------------- */

static void *
big_frame_thread(void *arg)
{
	volatile uint8_t frame[BIG_FRAME];
	uint32_t i, sum = 0;

	(void)arg;
	for (i = 0; i < BIG_FRAME; i += 4096)
		frame[i] = (uint8_t)(i >> 12);
	for (i = 0; i < BIG_FRAME; i += 4096)
		sum += frame[i];
	return (void *)(uintptr_t)sum;
}

static void
test_stack_size(void)
{
	struct capos_thread_attr attr = {.stack_size = BIG_STACK};
	struct capos_thread *t;
	uint32_t i, want = 0;
	void *v = NULL;
	int err;

	for (i = 0; i < BIG_FRAME; i += 4096)
		want += (uint8_t)(i >> 12);
	err = capos_thread_create(&t, big_frame_thread, NULL, &attr);
	if (!err)
		err = capos_thread_join(t, &v);
	ktest_check(err == 0 && (uintptr_t)v == want, "stack.attr_size",
	            "result %d (%s), value %lu", err, capos_strerror(err),
	            (unsigned long)(uintptr_t)v);
}

/* --- detach --------------------------------------------------------------- */

static struct capos_mutex detach_mutex = CAPOS_MUTEX_INIT;
static struct capos_cond detach_cond = CAPOS_COND_INIT;
static uint32_t detach_done;

static void *
detached_thread(void *arg)
{
	(void)arg;
	capos_mutex_lock(&detach_mutex);
	detach_done++;
	capos_cond_signal(&detach_cond);
	capos_mutex_unlock(&detach_mutex);
	return NULL;
}

static void
test_detach(void)
{
	size_t bytes0, allocs0, bytes1, allocs1;
	uint32_t round, i, started = 0;
	struct capos_thread *t;
	int err = 0;

	capos_heap_usage(&bytes0, &allocs0);
	for (round = 0; round < DETACH_ROUNDS && !err; round++) {
		for (i = 0; i < DETACH_BATCH && !err; i++) {
			err = capos_thread_create(&t, detached_thread, NULL,
			                          NULL);
			if (!err)
				err = capos_thread_detach(t);
			started += !err;
		}
		capos_mutex_lock(&detach_mutex);
		while (detach_done < started)
			capos_cond_wait(&detach_cond, &detach_mutex);
		capos_mutex_unlock(&detach_mutex);
	}
	ktest_check(err == 0 && started == DETACH_ROUNDS * DETACH_BATCH,
	            "detach.beyond_thread_limit", "%u started, then %s",
	            started, capos_strerror(err));
	/* A join reaps every detached thread that has ended. */
	err = capos_thread_create(&t, times_three_plus_one, NULL, NULL);
	if (!err)
		err = capos_thread_join(t, NULL);
	capos_heap_usage(&bytes1, &allocs1);
	ktest_check(err == 0 && bytes1 == bytes0 && allocs1 == allocs0,
	            "detach.heap_back_to_baseline",
	            "%zu bytes in %zu blocks before, %zu in %zu after (%s)",
	            bytes0, allocs0, bytes1, allocs1, capos_strerror(err));
}

/* --- refusals -------------------------------------------------------------- */

static void
test_refusals(void)
{
	ktest_check_code(capos_thread_join(capos_thread_self(), NULL),
	                 CAPOS_E_BAD_ARG, "join.self_refused");
	ktest_check_code(capos_thread_join(NULL, NULL), CAPOS_E_BAD_ARG,
	                 "join.null_refused");
	ktest_check_code(capos_thread_detach(capos_thread_self()),
	                 CAPOS_E_BAD_ARG, "detach.main_refused");
}

int
main(void)
{
	ktest_prefix("threadlib.");
	if (capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		printf("KTEST not ok threadlib.capset: no timer\n");
		return 1;
	}
	test_join_values();
	test_tls();
	test_mutex();
	test_producer_consumer();
	test_once();
	test_timedwait();
	test_print();
	test_stack_size();
	test_detach();
	test_refusals();
	printf("threadlib: %d failures\n", ktest_failures());
	return ktest_failures();
}
