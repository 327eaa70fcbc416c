/*
 * The kernel's random generator: ChaCha20 (lib/crypto) used with "fast
 * key erasure".  Each request runs the block function under the current
 * key: block 0 becomes the next key and the blocks after it are the
 * output, so the key that made bytes already handed out is gone once
 * the request returns.
 *
 * Seed material goes in by absorbing: XOR 32 bytes into the key, then
 * replace the key by a block made under it.  The seed is 32 bytes from
 * RDSEED (or RDRAND when RDSEED keeps failing or is absent) and 32 bytes
 * of timer jitter, which is always mixed in so a CPU generator that
 * lies is not the only input.  Every RESEED_INTERVAL_NS a request first
 * reseeds the same way.
 *
 * The kernel is not preempted while it runs a request, and no interrupt
 * handler draws random bytes, so the state needs no lock on one CPU.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "core/random.h"
#include "arch/x86_64/cpu.h"
#include "crypto/chacha20.h"

#define RESEED_INTERVAL_NS (60ull * 1000000000ull)
/* Intel's DRNG guide: RDRAND fails only on a broken generator after ten
 * tries; RDSEED may fail often while it gathers, so it gets more, with a
 * pause between them. */
#define RDRAND_TRIES 10
#define RDSEED_TRIES 100
/* TSC deltas gathered per 64-bit word of jitter. */
#define JITTER_SAMPLES 64

#define SEED_WORDS (CHACHA20_KEY_BYTES / 8)

static uint8_t key[CHACHA20_KEY_BYTES];
static uint64_t requests; /* the nonce: unique under one key anyway */
static uint64_t reseeds;
static uint64_t last_seed_ns;
static enum random_source seeded_from;
static bool seeded;

/* Clears a secret; a volatile store the compiler cannot drop as dead. */
static void
wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

static bool
rdrand64(uint64_t *v)
{
	unsigned char ok = 0;
	int i;

	for (i = 0; i < RDRAND_TRIES && !ok; i++)
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static bool
rdseed64(uint64_t *v)
{
	unsigned char ok = 0;
	int i;

	for (i = 0; i < RDSEED_TRIES && !ok; i++) {
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (!ok)
			cpu_relax();
	}
	return ok;
}

/* Folds the low bits of TSC deltas around a little memory work: their
 * variation (caches, interrupts, the emulator) is the entropy. */
static uint64_t
jitter64(void)
{
	static volatile uint64_t scratch[64];
	uint64_t acc = 0, prev = rdtsc(), now, d;
	int i, j;

	for (i = 0; i < JITTER_SAMPLES; i++) {
		for (j = 0; j < (int)(prev & 15) + 1; j++)
			scratch[(prev + (uint64_t)j * 7) & 63] += prev;
		now = rdtsc();
		d = now - prev;
		prev = now;
		acc = (acc << 7 | acc >> 57) ^ d;
		acc *= 0x9e3779b97f4a7c15ull;
	}
	return acc;
}

/* key ^= material, then key = first half of ChaCha20(key) at a counter
 * no output block uses. */
static void
absorb(const uint8_t material[CHACHA20_KEY_BYTES])
{
	static const uint8_t absorb_nonce[CHACHA20_NONCE_BYTES] = "absorb-seed";
	uint8_t block[CHACHA20_BLOCK_BYTES];
	int i;

	for (i = 0; i < CHACHA20_KEY_BYTES; i++)
		key[i] ^= material[i];
	chacha20_block(key, 0xffffffffu, absorb_nonce, block);
	memcpy(key, block, CHACHA20_KEY_BYTES);
	wipe(block, sizeof(block));
}

static void
reseed(void)
{
	uint64_t words[SEED_WORDS];
	enum random_source weakest = RANDOM_RDSEED;
	int i;

	for (i = 0; i < SEED_WORDS; i++) {
		if (cpu_features.rdseed && rdseed64(&words[i]))
			continue;
		if (cpu_features.rdrand && rdrand64(&words[i])) {
			if (weakest > RANDOM_RDRAND)
				weakest = RANDOM_RDRAND;
			continue;
		}
		words[i] = 0;
		weakest = RANDOM_JITTER_ONLY;
	}
	absorb((const uint8_t *)words);
	for (i = 0; i < SEED_WORDS; i++)
		words[i] = jitter64();
	absorb((const uint8_t *)words);
	wipe(words, sizeof(words));
	seeded_from = weakest;
	reseeds++;
	last_seed_ns = clock_ns();
	seeded = true;
}

void
random_init(void)
{
	reseed();
	kprintf("random: ChaCha20 seeded from %s and timer jitter\n",
	        seeded_from == RANDOM_RDSEED   ? "RDSEED"
	        : seeded_from == RANDOM_RDRAND ? "RDRAND"
	                                       : "nothing else");
}

void
random_bytes(void *out, size_t n)
{
	uint8_t nonce[CHACHA20_NONCE_BYTES] = {0};
	uint8_t block[CHACHA20_BLOCK_BYTES];
	uint8_t *p = out;
	uint32_t counter = 1;
	size_t take;

	if (!seeded || clock_ns() - last_seed_ns >= RESEED_INTERVAL_NS)
		reseed();
	requests++;
	memcpy(nonce, &requests, sizeof(requests));
	for (; n; n -= take, p += take) {
		chacha20_block(key, counter++, nonce, block);
		take = n < sizeof(block) ? n : sizeof(block);
		memcpy(p, block, take);
	}
	/* Block 0 is the next key: the one just used is gone. */
	chacha20_block(key, 0, nonce, block);
	memcpy(key, block, CHACHA20_KEY_BYTES);
	wipe(block, sizeof(block));
}

enum random_source
random_seeded_from(void)
{
	return seeded_from;
}

uint64_t
random_reseeds(void)
{
	return reseeds;
}
