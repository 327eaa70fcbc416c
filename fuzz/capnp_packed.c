/*
 * libFuzzer target for the packed encoding and the canonical writer
 * (make fuzz-capnp_packed).  Each input is a packed stream:
 *  - measuring (no output) and unpacking into exactly the measured size
 *    agree on the result and the size; an output one word short is
 *    refused with NOSPACE, and no byte is written past it (the buffers
 *    are allocated to size, so ASan sees any overrun);
 *  - what unpacks packs again within CAPNP_PACKED_MAX_BYTES and unpacks
 *    back to the same words; packing is deterministic (packing that
 *    again gives the same bytes);
 *  - read as a packed framed message, its root is put in canonical form,
 *    which must read back and be its own canonical form.
 * A refusal must be one of the documented errors.
 */
#include <stdint.h>
#include <stdlib.h>

#include "capnp/capnp.h"

#define TRAVERSAL_WORDS (1u << 16)
#define NESTING         40
#define MAX_UNPACKED    (1u << 20)

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
roundtrip(const uint8_t *words, size_t bytes)
{
	size_t max = CAPNP_PACKED_MAX_BYTES(bytes / 8), n = 0, n2 = 0, back = 0;
	uint8_t *packed = malloc(max ? max : 1);
	uint8_t *again = malloc(max ? max : 1);
	uint8_t *unpacked = malloc(bytes ? bytes : 1);

	check(packed != NULL && again != NULL && unpacked != NULL);
	check(capnp_pack(words, bytes, packed, max, &n) == CAPNP_OK);
	check(n <= max);
	check(capnp_unpack(packed, n, unpacked, bytes, &back) == CAPNP_OK);
	check(back == bytes && memcmp(unpacked, words, bytes) == 0);
	check(capnp_pack(unpacked, back, again, max, &n2) == CAPNP_OK);
	check(n2 == n && memcmp(again, packed, n) == 0);
	if (n > 0) {
		/* One byte short: refused, the prefix is the same. */
		check(capnp_pack(words, bytes, again, n - 1, &n2) ==
		      CAPNP_ERR_NOSPACE);
		check(n2 == n && memcmp(again, packed, n - 1) == 0);
	}
	free(packed);
	free(again);
	free(unpacked);
}

/*
 * Canonical output never exceeds the words the traversal limit lets the
 * reader visit, plus the root pointer.
 */
#define CANON_BYTES (TRAVERSAL_WORDS * 8u + 8u)

static void
canonical(const uint8_t *data, size_t size, size_t need)
{
	static struct capnp_msg m, m2;
	static uint8_t canon[CANON_BYTES], canon2[CANON_BYTES];
	uint8_t *buf = malloc(need ? need : 1);
	size_t n = 0, n2 = 0;
	int err;

	check(buf != NULL);
	err = capnp_msg_init_packed(&m, data, size, buf, need);
	check(err == CAPNP_OK || err == CAPNP_ERR_FRAME ||
	      err == CAPNP_ERR_SEGMENTS || err == CAPNP_ERR_ROOT);
	if (err == CAPNP_OK) {
		capnp_msg_set_limits(&m, TRAVERSAL_WORDS, NESTING);
		err = capnp_canonicalize(&m, canon, sizeof(canon), &n);
		check(err != CAPNP_ERR_NOSPACE && err != CAPNP_ERR_RANGE &&
		      err != CAPNP_ERR_PACKED);
	}
	if (err == CAPNP_OK) {
		check(n > 0 && n % 8 == 0);
		check(capnp_msg_init_segment(&m2, canon, n) == CAPNP_OK);
		capnp_msg_set_limits(&m2, TRAVERSAL_WORDS, NESTING);
		check(capnp_canonicalize(&m2, canon2, sizeof(canon2), &n2) ==
		      CAPNP_OK);
		check(n2 == n && memcmp(canon, canon2, n) == 0);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t need = 0, n = 0;
	uint8_t *out;
	int err;

	err = capnp_unpack(data, size, NULL, 0, &need);
	check(err == CAPNP_OK || err == CAPNP_ERR_PACKED);
	check(need % 8 == 0 && need <= size * 1024 + 8);
	if (need > MAX_UNPACKED)
		return 0;
	out = malloc(need ? need : 1);
	check(out != NULL);
	check(capnp_unpack(data, size, out, need, &n) == err && n == need);
	if (need >= 8) {
		check(capnp_unpack(data, size, out, need - 8, &n) ==
		      CAPNP_ERR_NOSPACE);
		check(n <= need - 8);
	}
	if (err == CAPNP_OK) {
		check(capnp_unpack(data, size, out, need, &n) == CAPNP_OK);
		roundtrip(out, need);
		canonical(data, size, need);
	}
	free(out);
	return 0;
}
