/*
 * pthread: mutual exclusion (counters, trylock, recursive mutexes),
 * condition variables (a bounded queue between producers and consumers
 * with exact counts and sums), pthread_once, thread-specific data with
 * destructors, join values, detached threads and a barrier.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"

#define THREADS    4
#define INCREMENTS 5000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *
increment(void *arg)
{
	int i;

	for (i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void
mutexes(void)
{
	pthread_t t[THREADS];
	pthread_mutex_t rec;
	pthread_mutexattr_t attr;
	void *ret;
	int i, err;

	for (i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, increment,
		                     (void *)(intptr_t)(i * i)) == 0,
		      "create %d", i);
	for (i = 0; i < THREADS; i++) {
		CHECK(pthread_join(t[i], &ret) == 0, "join %d", i);
		CHECK((intptr_t)ret == i * i, "join %d returned %ld", i,
		      (long)(intptr_t)ret);
	}
	printf("mutex: counter %ld of %d\n", counter, THREADS * INCREMENTS);
	CHECK(counter == THREADS * INCREMENTS, "lost increments");

	pthread_mutex_lock(&lock);
	err = pthread_mutex_trylock(&lock);
	CHECK(err == EBUSY, "trylock of a held mutex returned %d", err);
	pthread_mutex_unlock(&lock);
	err = pthread_mutex_trylock(&lock);
	CHECK(err == 0, "trylock of a free mutex returned %d", err);
	pthread_mutex_unlock(&lock);

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &attr);
	pthread_mutexattr_destroy(&attr);
	for (i = 0; i < 3; i++)
		CHECK(pthread_mutex_lock(&rec) == 0, "recursive lock %d", i);
	for (i = 0; i < 3; i++)
		CHECK(pthread_mutex_unlock(&rec) == 0, "recursive unlock %d",
		      i);
	CHECK(pthread_mutex_unlock(&rec) == EPERM,
	      "unlock of an unheld recursive mutex");
	pthread_mutex_destroy(&rec);
	printf("mutex: trylock and recursive ok\n");
}

/* A bounded queue: producers put 1..ITEMS each, consumers take until
 * they see a 0 (one per consumer, sent after the producers finish). */
#define QUEUE     8
#define ITEMS     2000
#define PRODUCERS 2
#define CONSUMERS 3

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	int item[QUEUE];
	int head, count;
} q = {PTHREAD_MUTEX_INITIALIZER,
       PTHREAD_COND_INITIALIZER,
       PTHREAD_COND_INITIALIZER,
       {0},
       0,
       0};

static void
put(int v)
{
	pthread_mutex_lock(&q.lock);
	while (q.count == QUEUE)
		pthread_cond_wait(&q.not_full, &q.lock);
	q.item[(q.head + q.count++) % QUEUE] = v;
	pthread_cond_signal(&q.not_empty);
	pthread_mutex_unlock(&q.lock);
}

static int
take(void)
{
	int v;

	pthread_mutex_lock(&q.lock);
	while (q.count == 0)
		pthread_cond_wait(&q.not_empty, &q.lock);
	v = q.item[q.head];
	q.head = (q.head + 1) % QUEUE;
	q.count--;
	pthread_cond_signal(&q.not_full);
	pthread_mutex_unlock(&q.lock);
	return v;
}

static void *
producer(void *arg)
{
	int i;

	for (i = 1; i <= ITEMS; i++)
		put(i);
	return arg;
}

struct tally {
	long count, sum;
};

static void *
consumer(void *arg)
{
	struct tally *t = arg;
	int v;

	while ((v = take()) != 0) {
		t->count++;
		t->sum += v;
	}
	return NULL;
}

static void
queue(void)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	struct tally t[CONSUMERS] = {{0, 0}};
	long count = 0, sum = 0;
	int i;

	for (i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, &t[i]);
	for (i = 0; i < PRODUCERS; i++)
		pthread_create(&p[i], NULL, producer, NULL);
	for (i = 0; i < PRODUCERS; i++)
		pthread_join(p[i], NULL);
	for (i = 0; i < CONSUMERS; i++)
		put(0);
	for (i = 0; i < CONSUMERS; i++) {
		pthread_join(c[i], NULL);
		count += t[i].count;
		sum += t[i].sum;
	}
	printf("condvar: %ld items, sum %ld\n", count, sum);
	CHECK(count == (long)PRODUCERS * ITEMS, "item count %ld", count);
	CHECK(sum == (long)PRODUCERS * ITEMS * (ITEMS + 1) / 2, "sum %ld", sum);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;
static long destructor_sum;
static pthread_barrier_t barrier;
static int serial_threads;

static void
run_once(void)
{
	once_runs++;
}

static void
destructor(void *v)
{
	pthread_mutex_lock(&lock);
	destructor_runs++;
	destructor_sum += (intptr_t)v;
	pthread_mutex_unlock(&lock);
}

static void *
per_thread(void *arg)
{
	intptr_t id = (intptr_t)arg;
	int ok, r;

	pthread_once(&once, run_once);
	ok = pthread_getspecific(key) == NULL;
	pthread_setspecific(key, (void *)(id + 100));
	r = pthread_barrier_wait(&barrier);
	ok = ok && pthread_getspecific(key) == (void *)(id + 100);
	pthread_mutex_lock(&lock);
	if (r == PTHREAD_BARRIER_SERIAL_THREAD)
		serial_threads++;
	pthread_mutex_unlock(&lock);
	return (void *)(intptr_t)ok;
}

static void
once_and_keys(void)
{
	pthread_t t[THREADS];
	void *ok;
	int i, all_ok = 1;

	pthread_key_create(&key, destructor);
	pthread_barrier_init(&barrier, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, per_thread, (void *)(intptr_t)i);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], &ok);
		all_ok = all_ok && ok;
	}
	pthread_once(&once, run_once);
	printf("once: ran %d time(s)\n", once_runs);
	printf("keys: own values %s, %d destructors, sum %ld\n",
	       all_ok ? "kept" : "LOST", destructor_runs, destructor_sum);
	printf("barrier: %d serial thread(s)\n", serial_threads);
	CHECK(once_runs == 1, "once ran %d times", once_runs);
	CHECK(all_ok, "a thread saw another's value");
	CHECK(destructor_runs == THREADS && destructor_sum == 4 * 100 + 6,
	      "destructors: %d runs, sum %ld", destructor_runs, destructor_sum);
	CHECK(serial_threads == 1, "%d serial threads", serial_threads);
	pthread_barrier_destroy(&barrier);
	pthread_key_delete(key);
}

/* Detached threads report through a counter and a condition variable. */
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static int done;

static void *
detached(void *arg)
{
	pthread_mutex_lock(&lock);
	done += (int)(intptr_t)arg;
	pthread_cond_signal(&done_cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void
detach(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int i, err = 0, state = -1;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_getdetachstate(&attr, &state);
	CHECK(state == PTHREAD_CREATE_DETACHED, "detach state %d", state);
	for (i = 1; i <= 5; i++)
		err |= pthread_create(&t, &attr, detached, (void *)(intptr_t)i);
	pthread_attr_destroy(&attr);
	CHECK(err == 0, "creating detached threads failed");
	pthread_create(&t, NULL, detached, (void *)(intptr_t)100);
	CHECK(pthread_detach(t) == 0, "pthread_detach");
	pthread_mutex_lock(&lock);
	while (done != 115)
		pthread_cond_wait(&done_cond, &lock);
	pthread_mutex_unlock(&lock);
	printf("detached: 6 threads reported, total %d\n", done);
	CHECK(pthread_equal(pthread_self(), pthread_self()), "pthread_equal");
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mutexes();
	queue();
	once_and_keys();
	detach();
	return check_summary("pthread");
}
