/*
 * random: getrandom and getentropy.  The bytes themselves differ on
 * every run, so the program checks them and prints verdicts only: two
 * draws differ, a draw is not all zero, and over 64 KiB every byte value
 * turns up a plausible number of times.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "check.h"

#define BULK (64 * 1024)

/* Fills P through as many getrandom calls as it takes. */
static int
fill(unsigned char *p, size_t n, unsigned flags)
{
	while (n) {
		ssize_t got = getrandom(p, n, flags);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static void
draws(void)
{
	unsigned char a[32], b[32];
	ssize_t got;

	CHECK(fill(a, sizeof(a), 0) == 0, "getrandom failed");
	CHECK(fill(b, sizeof(b), GRND_NONBLOCK) == 0,
	      "getrandom(GRND_NONBLOCK) failed");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two draws are equal");
	CHECK(!all_zero(a, sizeof(a)) && !all_zero(b, sizeof(b)),
	      "a draw is all zero");
	printf("getrandom: two 32-byte draws differ, neither all zero\n");
	got = getrandom(a, 0, 0);
	CHECK(got == 0, "getrandom of 0 bytes returned %zd", got);
	printf("getrandom: 0 bytes returns 0\n");
}

static void
distribution(void)
{
	static unsigned char bulk[BULK];
	unsigned count[256] = {0};
	unsigned lo = BULK, hi = 0, ones = 0;
	size_t i;

	CHECK(fill(bulk, BULK, 0) == 0, "getrandom of 64 KiB failed");
	for (i = 0; i < BULK; i++) {
		count[bulk[i]]++;
		ones += (unsigned)__builtin_popcount(bulk[i]);
	}
	for (i = 0; i < 256; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	/* 256 expected per value, standard deviation 16: these bounds are
	 * about seven deviations away.  Half of 524288 bits set, deviation
	 * 362: 5000 is fourteen deviations. */
	CHECK(lo >= 140 && hi <= 380, "byte counts from %u to %u", lo, hi);
	CHECK(ones > BULK * 4 - 5000 && ones < BULK * 4 + 5000,
	      "%u bits set of %u", ones, BULK * 8);
	printf("getrandom: 64 KiB, every byte value within bounds\n");
}

static void
entropy(void)
{
	unsigned char a[256], b[256];

	CHECK(getentropy(a, sizeof(a)) == 0, "getentropy(256) failed");
	CHECK(getentropy(b, sizeof(b)) == 0, "getentropy(256) failed");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two getentropy draws equal");
	errno = 0;
	CHECK(getentropy(a, 257) == -1 && errno == EIO,
	      "getentropy(257) not refused with EIO");
	printf("getentropy: 256 bytes twice, differ; 257 refused\n");
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	draws();
	distribution();
	entropy();
	return check_summary("random");
}
