/*
 * The kernel's random generator (core/random.c): ChaCha20 keyed from the
 * CPU's RDSEED or RDRAND and timer jitter.  Serves EntropySource and the
 * kernel's own secrets (the per-process session keys).
 */
#ifndef CORE_RANDOM_H
#define CORE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* The strongest source every word of the seed came from (EntropySeed in
 * the schema has the same numbers). */
enum random_source {
	RANDOM_JITTER_ONLY = 0,
	RANDOM_RDRAND = 1,
	RANDOM_RDSEED = 2,
};

/* Seeds the generator; needs the clock (core/clock.h) for its jitter and
 * its reseed interval.  Until then random_bytes seeds on first use. */
void random_init(void);

/* n random bytes; the key is replaced after every request. */
void random_bytes(void *out, size_t n);

enum random_source random_seeded_from(void);
uint64_t random_reseeds(void);

#endif
