/*
 * The measuring method shared by the capOS and the Linux benchmark
 * programs, so both sides of a row are timed and summarized the same way.
 *
 * A run times a block of `iters` iterations between two serialized TSC
 * reads and divides by the operations it did.  A warm-up run comes first
 * (caches, TLB, lazily built kernel state), then BENCH_RUNS timed runs;
 * the report gives their median, minimum and maximum.
 *
 * Under QEMU's -icount shift=0 the guest TSC advances one tick per guest
 * instruction (plus the time skipped while the guest idles), so a tick is
 * a guest instruction.  Under plain TCG a tick is a host TSC tick; each
 * program prints BENCH_CLOCK (ticks and nanoseconds over its whole run,
 * from its OS clock) so the report can turn ticks into nanoseconds.
 *
 * Output lines, one per measurement, machine-readable:
 *   BENCH <name> <median> <min> <max> <unit>
 *   BENCH_CLOCK <ticks> <ns>
 *   BENCH_ERROR <name> <what>
 *
 * The includer provides printf (libcapos or the C library).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* Odd, so the median is one run's value; the issue asks for at least 5. */
#define BENCH_RUNS 7

/*
 * lfence before rdtsc waits for earlier instructions to finish; lfence
 * after keeps later ones from starting before the read.  Under icount the
 * read is exact anyway; on real hardware this is the usual fence pair.
 */
static inline uint64_t
bench_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : :
			 "memory");
	return ((uint64_t)hi << 32) | lo;
}

struct bench_stat {
	uint64_t median, min, max;
};

/* Insertion sort: BENCH_RUNS values, and no C library on capOS. */
static inline struct bench_stat
bench_summarize(uint64_t *v, int n)
{
	struct bench_stat s;
	int i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	s.min = v[0];
	s.max = v[n - 1];
	s.median = v[n / 2];
	return s;
}

/*
 * Runs fn(iters) once to warm up, then BENCH_RUNS times under the TSC;
 * each run's value is its ticks per operation (rounded), where one call
 * does iters * ops_per_iter operations.  fn returns the number of
 * failed operations; a failure is reported, never averaged in.
 */
typedef unsigned long (*bench_fn)(unsigned long iters);

static inline int
bench_run(const char *name, bench_fn fn, unsigned long iters,
	  unsigned long ops_per_iter)
{
	uint64_t v[BENCH_RUNS], t0, t1, ops = (uint64_t)iters * ops_per_iter;
	unsigned long bad;
	struct bench_stat s;
	int r;

	bad = fn(iters / 4 + 1);
	for (r = 0; r < BENCH_RUNS && !bad; r++) {
		t0 = bench_tsc();
		bad = fn(iters);
		t1 = bench_tsc();
		v[r] = (t1 - t0 + ops / 2) / ops;
	}
	if (bad) {
		printf("BENCH_ERROR %s %lu operations failed\n", name, bad);
		return -1;
	}
	s = bench_summarize(v, BENCH_RUNS);
	printf("BENCH %s %lu %lu %lu ticks/op\n", name,
	       (unsigned long)s.median, (unsigned long)s.min,
	       (unsigned long)s.max);
	return 0;
}

#endif
