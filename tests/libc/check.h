/*
 * The checks every differential test program makes: a failing check
 * prints one line naming itself (so the outputs of Linux and capOS
 * differ, and the line says where), and the program's summary line and
 * exit status count the failures.
 *
 * Only deterministic values are ever printed; a value that may differ
 * between machines (a time, a random byte) is checked by the program
 * itself, which prints a fixed verdict.
 */
#ifndef LIBC_TEST_CHECK_H
#define LIBC_TEST_CHECK_H

#include <stdio.h>

static int checks_run;
static int checks_failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		checks_run++;                                                  \
		if (!(cond)) {                                                 \
			checks_failed++;                                       \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);            \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		}                                                              \
	} while (0)

/* The last line of every program; its exit status. */
static inline int
check_summary(const char *program)
{
	printf("%s: %d checks, %d failed\n", program, checks_run,
	       checks_failed);
	fflush(stdout);
	return checks_failed ? 1 : 0;
}

/* A fixed linear congruential generator (Knuth's MMIX constants): the
 * same sequence on every machine, so data built from it is deterministic. */
struct lcg {
	unsigned long long state;
};

static inline unsigned long long
lcg_next(struct lcg *g)
{
	g->state = g->state * 6364136223846793005ULL + 1442695040888963407ULL;
	return g->state;
}

/* A value in [0, n), from the generator's high bits. */
static inline unsigned
lcg_below(struct lcg *g, unsigned n)
{
	return (unsigned)((lcg_next(g) >> 33) % n);
}

#endif
