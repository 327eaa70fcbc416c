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
 *   BENCH_ERROR <name>: <why>     (instead of the BENCH line: the row failed)
 *
 * Every timed operation checks its own result (a completion that is
 * missing, a wrong result code, a wrong echoed payload, a child's exit
 * code, a system call's error) with bench_check; one failed operation
 * turns the whole row into a BENCH_ERROR, never into a number.
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

	__asm__ volatile("lfence; rdtsc; lfence"
	                 : "=a"(lo), "=d"(hi)
	                 :
	                 : "memory");
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
 * The reason for the first failed check of the current row; bench_run
 * clears it.  bench_check(ok, why) is 0 when ok, else 1 (one failed
 * operation), and remembers why.
 */
static const char *bench_why;

static inline unsigned long
bench_check(int ok, const char *why)
{
	if (__builtin_expect(ok, 1))
		return 0;
	if (!bench_why)
		bench_why = why;
	return 1;
}

/*
 * Runs fn(iters) once to warm up, then BENCH_RUNS times under the TSC;
 * each run's value is its ticks per operation (rounded), where one call
 * does iters * ops_per_iter operations.  fn returns the number of
 * failed operations (bench_check); a failure is reported as BENCH_ERROR
 * and the row has no number.
 */
typedef unsigned long (*bench_fn)(unsigned long iters);

/* How far bench_measure got: the failed operations, the run they failed
 * in (0 is the warm-up). */
static unsigned long bench_bad;
static int bench_bad_run;

/* The measuring half of bench_run: 0 and the statistics, or -1. */
static inline int
bench_measure(bench_fn fn, unsigned long iters, unsigned long ops_per_iter,
              struct bench_stat *s)
{
	uint64_t v[BENCH_RUNS], t0, t1, ops = (uint64_t)iters * ops_per_iter;
	int r;

	bench_why = 0;
	bench_bad_run = 0;
	bench_bad = fn(iters / 4 + 1);
	for (r = 0; r < BENCH_RUNS && !bench_bad; r++) {
		bench_bad_run = r + 1;
		t0 = bench_tsc();
		bench_bad = fn(iters);
		t1 = bench_tsc();
		v[r] = (t1 - t0 + ops / 2) / ops;
	}
	if (bench_bad)
		return -1;
	*s = bench_summarize(v, BENCH_RUNS);
	return 0;
}

/* The printing half: the BENCH line, or BENCH_ERROR when err. */
static inline int
bench_report(const char *name, int err, const struct bench_stat *s)
{
	if (err) {
		printf("BENCH_ERROR %s: %s (%lu failed operations in run %d; "
		       "0 is the warm-up)\n",
		       name, bench_why ? bench_why : "failed", bench_bad,
		       bench_bad_run);
		return -1;
	}
	printf("BENCH %s %lu %lu %lu ticks/op\n", name,
	       (unsigned long)s->median, (unsigned long)s->min,
	       (unsigned long)s->max);
	return 0;
}

/*
 * The user side's share of the memory rows, the same code on both
 * systems so that it weighs the same in both columns.  A page is 512
 * words; each row touches the first word of every page.
 */
#define BENCH_PAGE       4096ul
#define BENCH_PAGE_WORDS (BENCH_PAGE / 8)

/*
 * Map rows: the first word of each page of fresh memory gets stamp + its
 * page number and must read back so, and the second word must read 0 (a
 * new page is zeroed).  The reads never fault: the write before them
 * made the page present.  Returns the failed operations (0 or 1).
 */
static inline unsigned long
bench_touch_pages(volatile uint64_t *p, unsigned long pages, uint64_t stamp)
{
	unsigned long i, wrong = 0;

	for (i = 0; i < pages; i++) {
		volatile uint64_t *w = p + i * BENCH_PAGE_WORDS;

		w[0] = stamp + i;
		wrong |= (w[0] != stamp + i) | (w[1] != 0);
	}
	return bench_check(!wrong, "a new page was not zero or did not keep "
	                           "the word written");
}

/* Sharing rows, the producer: seq into the first word of every page. */
static inline void
bench_stamp_pages(volatile uint64_t *p, unsigned long pages, uint64_t seq)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		p[i * BENCH_PAGE_WORDS] = seq;
}

/* Sharing rows, the consumer: every page's first word is seq (all of
 * them read, a wrong one or not, so the work does not depend on it). */
static inline int
bench_pages_carry(const volatile uint64_t *p, unsigned long pages, uint64_t seq)
{
	unsigned long i;
	int ok = 1;

	for (i = 0; i < pages; i++)
		ok &= p[i * BENCH_PAGE_WORDS] == seq;
	return ok;
}

static inline int
bench_run(const char *name, bench_fn fn, unsigned long iters,
          unsigned long ops_per_iter)
{
	struct bench_stat s;

	return bench_report(name, bench_measure(fn, iters, ops_per_iter, &s),
	                    &s);
}

#endif
