/*
 * Host tests for lib/crypto/chacha20: the test vectors of RFC 8439 (the
 * block function of section 2.3.2, the encryption of section 2.4.2 and
 * the first two block vectors of appendix A.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/chacha20.h"

/* Parses a hex string (spaces ignored) into out; returns the length. */
static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
check_block(const char *key_hex, uint32_t counter, const char *nonce_hex,
            const char *want_hex)
{
	uint8_t key[32], nonce[12], want[64], got[64];

	assert_int_equal(unhex(key_hex, key), 32);
	assert_int_equal(unhex(nonce_hex, nonce), 12);
	assert_int_equal(unhex(want_hex, want), 64);
	chacha20_block(key, counter, nonce, got);
	assert_memory_equal(got, want, 64);
}

#define KEY_0_TO_31                                                            \
	"000102030405060708090a0b0c0d0e0f"                                     \
	"101112131415161718191a1b1c1d1e1f"
#define KEY_ZERO                                                               \
	"00000000000000000000000000000000"                                     \
	"00000000000000000000000000000000"

static void
test_block_2_3_2(void **state)
{
	(void)state;
	check_block(KEY_0_TO_31, 1, "000000090000004a00000000",
	            "10f1e7e4d13b5915500fdd1fa32071c4"
	            "c7d1f4c733c068030422aa9ac3d46c4e"
	            "d2826446079faa0914c2d705d98b02a2"
	            "b5129cd1de164eb9cbd083e8a2503c4e");
}

static void
test_block_a1(void **state)
{
	(void)state;
	check_block(KEY_ZERO, 0, "000000000000000000000000",
	            "76b8e0ada0f13d90405d6ae55386bd28"
	            "bdd219b8a08ded1aa836efcc8b770dc7"
	            "da41597c5157488d7724e03fb8d84a37"
	            "6a43b8f41518a11cc387b669b2ee6586");
	check_block(KEY_ZERO, 1, "000000000000000000000000",
	            "9f07e7be5551387a98ba977c732d080d"
	            "cb0f29a048e3656912c6533e32ee7aed"
	            "29b721769ce64e43d57133b074d839d5"
	            "31ed1f28510afb45ace10a1f4b794d6f");
}

static const char sunscreen[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only "
    "one tip for the future, sunscreen would be it.";

static void
test_encrypt_2_4_2(void **state)
{
	uint8_t key[32], nonce[12], want[114], got[114], back[114];

	(void)state;
	assert_int_equal(sizeof(sunscreen) - 1, 114);
	unhex(KEY_0_TO_31, key);
	unhex("000000000000004a00000000", nonce);
	assert_int_equal(unhex("6e2e359a2568f98041ba0728dd0d6981"
	                       "e97e7aec1d4360c20a27afccfd9fae0b"
	                       "f91b65c5524733ab8f593dabcd62b357"
	                       "1639d624e65152ab8f530c359f0861d8"
	                       "07ca0dbf500d6a6156a38e088a22b65e"
	                       "52bc514d16ccf806818ce91ab7793736"
	                       "5af90bbf74a35be6b40b8eedf2785e42"
	                       "874d",
	                       want),
	                 114);
	chacha20_xor(key, 1, nonce, (const uint8_t *)sunscreen, got, 114);
	assert_memory_equal(got, want, 114);
	/* The same keystream decrypts. */
	chacha20_xor(key, 1, nonce, got, back, 114);
	assert_memory_equal(back, sunscreen, 114);
}

/* A change of one key bit, counter or nonce changes the block. */
static void
test_inputs_matter(void **state)
{
	uint8_t key[32] = {0}, nonce[12] = {0}, a[64], b[64];

	(void)state;
	chacha20_block(key, 0, nonce, a);
	key[31] ^= 0x80;
	chacha20_block(key, 0, nonce, b);
	assert_memory_not_equal(a, b, 64);
	key[31] ^= 0x80;
	chacha20_block(key, 0xffffffffu, nonce, b);
	assert_memory_not_equal(a, b, 64);
	nonce[11] = 1;
	chacha20_block(key, 0, nonce, b);
	assert_memory_not_equal(a, b, 64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_block_2_3_2),
	    cmocka_unit_test(test_block_a1),
	    cmocka_unit_test(test_encrypt_2_4_2),
	    cmocka_unit_test(test_inputs_matter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
