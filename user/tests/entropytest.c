/*
 * entropytest: EntropySource (boot suite case user-entropy,
 * run=entropytest).  Two requests give different bytes; the bound of 256
 * bytes per call holds (256 answers 256 bytes, 257 and 2^32-1 are
 * invalidArgument, 0 answers none); 64 KiB of output has a byte
 * histogram and a bit count no sane generator misses (the bounds are
 * over six standard deviations out); info names a hardware source,
 * which QEMU's -cpu max has (RDRAND).
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

#define SAMPLE_BYTES (64u * 1024u)
/* Chi-square over 256 byte values has 255 degrees of freedom: mean 255,
 * standard deviation 22.6.  400 is 6.4 deviations above. */
#define CHI2_LIMIT 400u
/* Ones in SAMPLE_BYTES * 8 bits: mean 262144, deviation 362. */
#define ONES_SLACK 2500u

static struct capos_call c;
static capos_capid_t es;
static uint8_t sample[SAMPLE_BYTES];

static int
get(uint32_t count, struct capnp_data *d)
{
	int err;

	capos_EntropySource_getBytes_Params_set_count(
	    capos_EntropySource_getBytes_begin(&c), count);
	err = capos_EntropySource_getBytes_send(&c, es);
	if (err)
		return err;
	*d = capos_EntropySource_getBytes_Results_get_data(
	    capos_EntropySource_getBytes_results(&c));
	return capnp_msg_error(&c.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

static void
test_bounds(void)
{
	struct capnp_data d = {0};
	int err;

	err = get(256, &d);
	ktest_check(err == 0 && d.len == 256, "get_256.ok", "%s, %u bytes",
	            capos_strerror(err), d.len);
	err = get(0, &d);
	ktest_check(err == 0 && d.len == 0, "get_0.empty", "%s, %u bytes",
	            capos_strerror(err), d.len);
	ktest_check_exception(get(257, &d), capos_ExceptionType_invalidArgument,
	                      "get_257.invalid_argument");
	ktest_check_exception(get(0xffffffffu, &d),
	                      capos_ExceptionType_invalidArgument,
	                      "get_max_u32.invalid_argument");
	err = get(1, &d);
	ktest_check(err == 0 && d.len == 1, "get_1.one_byte", "%s, %u bytes",
	            capos_strerror(err), d.len);
}

static void
test_different(void)
{
	uint8_t a[32], b[32];
	int e1 = capos_entropy_get(es, a, sizeof(a));
	int e2 = capos_entropy_get(es, b, sizeof(b));

	ktest_check(e1 == 0 && e2 == 0 && memcmp(a, b, sizeof(a)) != 0,
	            "two_calls.differ", "errors %d %d", e1, e2);
}

static uint32_t
bits_set(uint8_t v)
{
	uint32_t n = 0;

	for (; v; v &= (uint8_t)(v - 1))
		n++;
	return n;
}

static void
test_statistics(void)
{
	uint32_t hist[256] = {0}, ones = 0, i, empty = 0;
	uint64_t chi2_x256 = 0; /* chi-square times the expected count */
	const uint32_t expect = SAMPLE_BYTES / 256;
	int err = capos_entropy_get(es, sample, sizeof(sample));

	ktest_check(err == 0, "sample.64k", "%s", capos_strerror(err));
	if (err)
		return;
	for (i = 0; i < SAMPLE_BYTES; i++) {
		hist[sample[i]]++;
		ones += bits_set(sample[i]);
	}
	for (i = 0; i < 256; i++) {
		int64_t d = (int64_t)hist[i] - expect;

		chi2_x256 += (uint64_t)(d * d);
		empty += hist[i] == 0;
	}
	ktest_check(empty == 0 && chi2_x256 / expect < CHI2_LIMIT,
	            "sample.histogram_flat", "chi-square %lu, %u empty values",
	            (unsigned long)(chi2_x256 / expect), empty);
	ktest_check(ones > SAMPLE_BYTES * 4 - ONES_SLACK &&
	                ones < SAMPLE_BYTES * 4 + ONES_SLACK,
	            "sample.half_the_bits_set", "%u ones of %u bits", ones,
	            SAMPLE_BYTES * 8);
}

static void
test_info(void)
{
	uint64_t reseeds = 0;
	int from = -1, err = capos_entropy_info(es, &from, &reseeds);

	ktest_check(err == 0 && (from == capos_EntropySeed_rdrand ||
	                         from == capos_EntropySeed_rdseed),
	            "info.hardware_source", "%s, seeded from %d",
	            capos_strerror(err), from);
	ktest_check(err == 0 && reseeds >= 1, "info.seeded", "%lu seedings",
	            (unsigned long)reseeds);
}

int
main(void)
{
	ktest_prefix("entropy.");
	if (capos_EntropySource_find("entropy", &es)) {
		printf("KTEST not ok entropy.capset: entropy missing\n");
		return 1;
	}
	test_different();
	test_bounds();
	test_statistics();
	test_info();
	printf("entropy test: %d failures\n", ktest_failures());
	return ktest_failures();
}
