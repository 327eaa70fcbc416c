/*
 * The SMP scaling workload shared by the capOS and the Linux primes
 * programs (bench/capos/primes.c, bench/linux/primes.c), so both count
 * the same numbers with the same instructions: the primes in
 * [PRIMES_LO, PRIMES_HI) by trial division.
 *
 * It is CPU-bound and touches no shared memory: a worker reads nothing
 * but its own arguments and registers, so two workers on two CPUs should
 * take half the time of one, whatever the memory system does.
 *
 * The split is even in work, not only in numbers: the odd candidates are
 * dealt out round-robin (candidate i goes to worker i mod parts), so
 * every worker gets the same mix of small and large numbers.  Cutting the
 * range in two halves would give the upper half more work (its numbers
 * need more divisions).
 *
 * PRIMES_EXPECTED is the count computed on the host by a sieve (not by
 * this code); a run whose workers' counts do not add up to it failed.
 */
#ifndef BENCH_PRIMES_H
#define BENCH_PRIMES_H

#include <stdint.h>

/* Odd, above 2, and below 2^32 so that 32-bit division does. */
#define PRIMES_LO 1000000001u
/* About 2-3 s of one worker under multi-threaded TCG on an idle host. */
#define PRIMES_HI       1000500001u
#define PRIMES_EXPECTED 24023u

/* The workers one run can have: 1 and 2 are measured; 4 for -smp 4. */
#define PRIMES_MAX_PARTS 4u

static inline int
primes_is_prime(uint32_t n)
{
	uint32_t d;

	/* n is odd and above 2 (PRIMES_LO). */
	for (d = 3; d <= n / d; d += 2)
		if (n % d == 0)
			return 0;
	return 1;
}

/* The primes among worker `part`'s candidates, of `parts` workers. */
static inline uint32_t
primes_count(uint32_t part, uint32_t parts)
{
	uint32_t n, count = 0;

	for (n = PRIMES_LO + 2 * part; n < PRIMES_HI; n += 2 * parts)
		count += (uint32_t)primes_is_prime(n);
	return count;
}

#endif
