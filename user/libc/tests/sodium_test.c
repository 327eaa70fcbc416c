/*
 * sodium_test: libsodium, built for capOS by capos-cc (mk/libsodium.mk),
 * in a guest (boot case user-sodium).  The verifier and the BLAKE2b
 * digests it checks against were made at build time on the host by
 * tools/mkverifier and Debian's libsodium (tests/sodium/vectors.sh), so
 * the host library and the guest's must agree.  It prints how long one
 * verification takes (docs/crypto.md quotes it) but checks no time.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "capos_libc.h"
#include "sodium_vectors.h"

static int failures;

static void
check(int ok, const char *what)
{
	printf("sodium_test: %s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

static long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int
verify(const char *verifier, const char *password)
{
	return crypto_pwhash_str_verify(verifier, password, strlen(password));
}

/* Verifier strings that must be refused, each for its own reason.  The
 * ones that still parse cost a whole hash each. */
static void
check_bad_verifiers(void)
{
	static const struct {
		const char *what;
		const char *str;
	} bad[] = {
	    {"an empty verifier", ""},
	    {"a verifier cut after its algorithm", "$argon2id$"},
	    {"a verifier cut after its costs",
	     "$argon2id$v=19$m=8192,t=3,p=1$"},
	    {"a verifier cut in its salt",
	     "$argon2id$v=19$m=8192,t=3,p=1$L8/6cf/klu9S"},
	    {"an unknown algorithm",
	     "$argon2xd$v=19$m=8192,t=3,p=1$L8/6cf/klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8"},
	    {"an unknown version",
	     "$argon2id$v=18$m=8192,t=3,p=1$L8/6cf/klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8"},
	    {"zero passes",
	     "$argon2id$v=19$m=8192,t=0,p=1$L8/6cf/klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8"},
	    {"a salt that is not base64",
	     "$argon2id$v=19$m=8192,t=3,p=1$L8/6cf*klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8"},
	    {"a memory cost past what the process may have (4 GiB)",
	     "$argon2id$v=19$m=4194304,t=1,p=1$L8/6cf/klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8"},
	    {"a verifier longer than crypto_pwhash_STRBYTES",
	     "$argon2id$v=19$m=8192,t=3,p=1$L8/6cf/klu9ShyjMEojyPg$"
	     "DIWw5W9j24BZJHL8Q1odpEn9NEb+tXWSMv0U6KVCgZ8DIWw5W9j24BZJHL8Q1odpE"
	     "n9NEb+tXWSMv0U6KVCgZ8DIWw5W9j24BZJHL8Q1odpEn9NEb+"
	     "tXWSMv0U6KVCgZ8"},
	};
	char buf[crypto_pwhash_STRBYTES];
	char what[96];
	size_t i, len = strlen(SODIUM_TEST_VERIFIER);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "refuses %s", bad[i].what);
		check(verify(bad[i].str, SODIUM_TEST_PASSWORD) == -1, what);
	}
	/* The build's own verifier, cut by one character and garbled in
	 * its last hash character. */
	memcpy(buf, SODIUM_TEST_VERIFIER, len + 1);
	buf[len - 1] = '\0';
	check(verify(buf, SODIUM_TEST_PASSWORD) == -1,
	      "refuses the verifier one character short");
	memcpy(buf, SODIUM_TEST_VERIFIER, len + 1);
	buf[len - 1] = buf[len - 1] == 'A' ? 'B' : 'A';
	check(verify(buf, SODIUM_TEST_PASSWORD) == -1,
	      "refuses the verifier with a garbled hash");
}

/* How many system calls the shim answered ENOSYS, all numbers. */
static unsigned long
unsupported_calls(void)
{
	unsigned long sum = 0;
	long n;

	for (n = 0; n <= CAPOS_LIBC_SYSCALLS; n++)
		sum += capos_libc_unsupported(n);
	return sum;
}

static int
digest_is(const char *hex, size_t outlen, const char *key)
{
	unsigned char out[crypto_generichash_BYTES_MAX];
	char got[2 * crypto_generichash_BYTES_MAX + 1];

	crypto_generichash(out, outlen,
	                   (const unsigned char *)SODIUM_TEST_MESSAGE,
	                   strlen(SODIUM_TEST_MESSAGE),
	                   (const unsigned char *)key, key ? strlen(key) : 0);
	sodium_bin2hex(got, sizeof(got), out, outlen);
	return strcmp(got, hex) == 0;
}

/* The same digest fed in uneven pieces through the streaming API. */
static int
streamed_digest_is(const char *hex)
{
	const unsigned char *m = (const unsigned char *)SODIUM_TEST_MESSAGE;
	size_t len = strlen(SODIUM_TEST_MESSAGE), off = 0, piece = 1;
	crypto_generichash_state st;
	unsigned char out[64];
	char got[129];

	crypto_generichash_init(&st, NULL, 0, sizeof(out));
	while (off < len) {
		if (piece > len - off)
			piece = len - off;
		crypto_generichash_update(&st, m + off, piece);
		off += piece;
		piece = piece * 3 + 1;
	}
	crypto_generichash_final(&st, out, sizeof(out));
	sodium_bin2hex(got, sizeof(got), out, sizeof(out));
	return strcmp(got, hex) == 0;
}

int
main(void)
{
	char made[crypto_pwhash_STRBYTES], again[crypto_pwhash_STRBYTES];
	unsigned char r1[32], r2[32];
	char prefix[64];
	const char *password = SODIUM_TEST_PASSWORD;
	long t0, t1;
	int ok;

	check(sodium_init() == 0, "sodium_init");
	check(sodium_init() == 1, "sodium_init a second time says so");
	/* sysrandom is getrandom (the shim answers it from EntropySource);
	 * its fallback, /dev/urandom, does not exist here and would have
	 * aborted sodium_init. */
	check(strcmp(randombytes_implementation_name(), "sysrandom") == 0,
	      "randombytes is sysrandom");
	printf("sodium_test: cpu features sse2 %d ssse3 %d sse41 %d avx %d "
	       "avx2 %d avx512f %d aesni %d\n",
	       sodium_runtime_has_sse2(), sodium_runtime_has_ssse3(),
	       sodium_runtime_has_sse41(), sodium_runtime_has_avx(),
	       sodium_runtime_has_avx2(), sodium_runtime_has_avx512f(),
	       sodium_runtime_has_aesni());

	randombytes_buf(r1, sizeof(r1));
	randombytes_buf(r2, sizeof(r2));
	check(memcmp(r1, r2, sizeof(r1)) != 0,
	      "randombytes_buf differs from one call to the next");

	check(digest_is(SODIUM_TEST_BLAKE2B_64, 64, NULL),
	      "BLAKE2b-512 equals the host's");
	check(digest_is(SODIUM_TEST_BLAKE2B_KEYED_32, 32, SODIUM_TEST_KEY),
	      "keyed BLAKE2b-256 equals the host's");
	check(streamed_digest_is(SODIUM_TEST_BLAKE2B_64),
	      "BLAKE2b-512 in pieces equals the host's");

	t0 = now_ms();
	ok = verify(SODIUM_TEST_VERIFIER, password) == 0;
	t1 = now_ms();
	check(ok, "the build's verifier accepts the test password");
	printf(
	    "sodium_test: one verification (m=%lu KiB, t=%llu) took %ld ms\n",
	    SODIUM_TEST_MEMLIMIT / 1024, SODIUM_TEST_OPSLIMIT, t1 - t0);
	check(verify(SODIUM_TEST_VERIFIER,
	             "capOS test password: 7 words, 1 colo") == -1,
	      "the build's verifier refuses a password one character short");
	check(verify(SODIUM_TEST_VERIFIER, "") == -1,
	      "the build's verifier refuses an empty password");
	/* The API takes a crypto_pwhash_STRBYTES array. */
	snprintf(again, sizeof(again), "%s", SODIUM_TEST_VERIFIER);
	check(crypto_pwhash_str_needs_rehash(again, SODIUM_TEST_OPSLIMIT,
	                                     SODIUM_TEST_MEMLIMIT) == 0,
	      "the build's verifier has the chosen costs");
	check_bad_verifiers();

	t0 = now_ms();
	ok = crypto_pwhash_str(made, password, strlen(password),
	                       SODIUM_TEST_OPSLIMIT, SODIUM_TEST_MEMLIMIT) == 0;
	t1 = now_ms();
	check(ok, "crypto_pwhash_str with the chosen costs");
	printf("sodium_test: crypto_pwhash_str took %ld ms\n", t1 - t0);
	snprintf(prefix, sizeof(prefix), "$argon2id$v=19$m=%lu,t=%llu,p=1$",
	         SODIUM_TEST_MEMLIMIT / 1024, SODIUM_TEST_OPSLIMIT);
	check(strncmp(made, prefix, strlen(prefix)) == 0,
	      "it is an Argon2id verifier with those costs");
	check(verify(made, password) == 0, "it accepts its password");
	check(verify(made, "not the password") == -1, "it refuses another");
	check(crypto_pwhash_str(again, password, strlen(password),
	                        SODIUM_TEST_OPSLIMIT,
	                        SODIUM_TEST_MEMLIMIT) == 0 &&
	          strcmp(made, again) != 0,
	      "a second verifier of the same password has another salt");

	check(unsupported_calls() == 0,
	      "libsodium made no system call the shim lacks");

	printf("sodium_test: %d failed\n", failures);
	return failures ? 1 : 0;
}
