/*
 * Unit tests of the packed encoding (exact bytes, hostile packed input,
 * output bounds) and of the canonical writer (truncation, struct lists,
 * refusals).
 */
#include "words.h"

/* Packs words and checks the exact bytes, then unpacks them back. */
static void
pack_is(const uint64_t *w, size_t n, const uint8_t *want, size_t want_len)
{
	uint8_t out[4096], back[4096];
	size_t len = 0, blen = 0;

	assert_int_equal(capnp_pack(w, n * 8, out, sizeof(out), &len),
	                 CAPNP_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(capnp_unpack(out, len, back, sizeof(back), &blen),
	                 CAPNP_OK);
	assert_int_equal(blen, n * 8);
	if (n > 0)
		assert_memory_equal(back, w, n * 8);
}

static void
test_pack_bytes(void **state)
{
	static const uint64_t zero[3] = {0, 0, 0};
	static const uint64_t mixed[2] = {0x0000000300000001ull,
	                                  0x1100000000000000ull};
	static const uint64_t full[3] = {0x0807060504030201ull,
	                                 0x0807060504030200ull,
	                                 0x0000000004030201ull};

	(void)state;
	pack_is(NULL, 0, NULL, 0);
	pack_is(zero, 1, (const uint8_t[]){0x00, 0x00}, 2);
	pack_is(zero, 3, (const uint8_t[]){0x00, 0x02}, 2);
	pack_is(mixed, 2, (const uint8_t[]){0x11, 0x01, 0x03, 0x80, 0x11}, 5);
	/* A full word opens a literal run; the second has one zero byte
	 * and joins it; the third has four and ends it. */
	pack_is(full, 3, (const uint8_t[]){0xff, 1,    2,    3, 4, 5, 6, 7,
	                                   8,    0x01, 0x00, 2, 3, 4, 5, 6,
	                                   7,    8,    0x0f, 1, 2, 3, 4},
	        23);
}

/* Runs stop at 255 more words and start again. */
static void
test_pack_long_runs(void **state)
{
	static uint64_t w[600];
	uint8_t out[8192];
	size_t len, i;

	(void)state;
	pack_is(w, 256, (const uint8_t[]){0x00, 0xff}, 2);
	pack_is(w, 257, (const uint8_t[]){0x00, 0xff, 0x00, 0x00}, 4);
	for (i = 0; i < 600; i++)
		w[i] = ~0ull;
	assert_int_equal(capnp_pack(w, sizeof(w), out, sizeof(out), &len),
	                 CAPNP_OK);
	/* 256 words per run: tag, 8 bytes, count 255, 255 words. */
	assert_int_equal(len, 2 * (10 + 255 * 8) + 10 + 87 * 8);
	assert_int_equal(out[9], 255);
	assert_true(len <= CAPNP_PACKED_MAX_BYTES(600));
}

static void
test_pack_bounds(void **state)
{
	static const uint64_t w[2] = {~0ull, 5};
	uint8_t out[16];
	size_t len = 0;

	(void)state;
	assert_int_equal(capnp_pack(w, 12, out, sizeof(out), &len),
	                 CAPNP_ERR_RANGE);
	assert_int_equal(capnp_pack(w, 16, NULL, 0, &len), CAPNP_OK);
	assert_int_equal(len, 12);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(capnp_pack(w, 16, out, 11, &len), CAPNP_ERR_NOSPACE);
	assert_int_equal(len, 12);
	assert_int_equal(out[11], 0xee);
}

/* What hostile packed input gets: errors, never a write past cap. */
static void
test_unpack_hostile(void **state)
{
	static const struct {
		uint8_t in[16];
		size_t len;
		int err;
		size_t written;
	} cases[] = {
	    {{0x03, 0x01}, 2, CAPNP_ERR_PACKED, 0}, /* word cut short */
	    {{0x00}, 1, CAPNP_ERR_PACKED, 8},       /* no run count */
	    {{0xff, 1, 2, 3, 4, 5, 6, 7, 8}, 9, CAPNP_ERR_PACKED, 8},
	    {{0xff, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1}, 11, CAPNP_ERR_PACKED, 8},
	    {{0x00, 0xff}, 2, CAPNP_OK, 2048}, /* 1024x, bounded */
	    {{0x01, 0x07, 0x00, 0x00}, 4, CAPNP_OK, 16},
	};
	uint8_t out[2048 + 8];
	size_t i, len;

	(void)state;
	for (i = 0; i < NWORDS(cases); i++) {
		assert_int_equal(
		    capnp_unpack(cases[i].in, cases[i].len, NULL, 0, &len),
		    cases[i].err);
		assert_int_equal(len, cases[i].written);
		assert_int_equal(
		    capnp_unpack(cases[i].in, cases[i].len, out, 2048, &len),
		    cases[i].err);
		assert_int_equal(len, cases[i].written);
	}
	/* Too little room: NOSPACE, nothing past the end. */
	memset(out, 0xee, sizeof(out));
	assert_int_equal(
	    capnp_unpack((const uint8_t[]){0x00, 0xff}, 2, out, 100, &len),
	    CAPNP_ERR_NOSPACE);
	assert_int_equal(len, 8);
	assert_int_equal(out[100], 0xee);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(
	    capnp_unpack((const uint8_t[]){0x01, 0x07}, 2, out, 7, &len),
	    CAPNP_ERR_NOSPACE);
	assert_int_equal(out[0], 0xee);
}

/* A built message, packed and read back; framing errors after unpacking. */
static void
test_packed_message(void **state)
{
	uint8_t mem[1024], packed[1024], buf[1024];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_msg m;
	size_t len, need;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 2), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 1);
	capnp_set_u64(sb, 0, 77);
	capnp_slot_set_text(capnp_bfield(sb, 0), "packed", 6);
	assert_true(b.nseg > 1);
	assert_int_equal(capnp_frame_write_packed(&b, NULL, 0, &need),
	                 CAPNP_OK);
	assert_int_equal(capnp_frame_write_packed(&b, packed, need - 1, &len),
	                 CAPNP_ERR_NOSPACE);
	assert_int_equal(
	    capnp_frame_write_packed(&b, packed, sizeof(packed), &len),
	    CAPNP_OK);
	assert_int_equal(len, need);

	assert_int_equal(
	    capnp_msg_init_packed(&m, packed, len, buf, sizeof(buf)), CAPNP_OK);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 77);
	assert_string_equal(
	    capnp_ref_text(capnp_field(capnp_msg_root(&m), 0)).str, "packed");
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);

	/* Unpacked words the frame does not cover; a frame cut short. */
	packed[len] = 0x00;
	packed[len + 1] = 0x00;
	assert_int_equal(
	    capnp_msg_init_packed(&m, packed, len + 2, buf, sizeof(buf)),
	    CAPNP_ERR_FRAME);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_FRAME);
	assert_int_equal(
	    capnp_msg_init_packed(&m, packed, len - 3, buf, sizeof(buf)),
	    CAPNP_ERR_PACKED);
	assert_int_equal(capnp_msg_init_packed(&m, packed, len, buf, 16),
	                 CAPNP_ERR_NOSPACE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_NOSPACE);

	/* A segment table over the limit is refused once unpacked. */
	{
		const uint64_t many[2] = {CAPNP_MAX_SEGMENTS, 0};

		assert_int_equal(capnp_pack(many, sizeof(many), packed,
		                            sizeof(packed), &len),
		                 CAPNP_OK);
		assert_int_equal(
		    capnp_msg_init_packed(&m, packed, len, buf, sizeof(buf)),
		    CAPNP_ERR_SEGMENTS);
	}
}

static void
canon_is(const uint64_t *w, size_t n, const uint64_t *want, size_t want_n)
{
	struct capnp_msg m;
	uint64_t out[64];
	size_t len;

	msg_words(&m, w, n);
	assert_int_equal(capnp_canonicalize(&m, out, sizeof(out), &len),
	                 CAPNP_OK);
	assert_int_equal(len, want_n * 8);
	assert_memory_equal(out, want, len);
}

/*
 * Trailing zero data words and null pointers go; the children follow
 * their parent in pointer order, far from where the input had them.
 */
static void
test_canonical_struct(void **state)
{
	const uint64_t in[] = {
	    CAPNP_STRUCT_PTR(0, 3, 3),
	    5,
	    0,
	    0, /* data: one word left */
	    CAPNP_STRUCT_PTR(6, 1, 0),
	    CAPNP_LIST_PTR(2, CAPNP_ESIZE_BYTE, 2),
	    0,
	    0,
	    TEXT8('a', 0),
	    0,
	    0,
	    0, /* struct with a zero data word */
	};
	const uint64_t want[] = {
	    CAPNP_STRUCT_PTR(0, 1, 2),
	    5,
	    CAPNP_EMPTY_STRUCT_PTR,
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 2),
	    TEXT8('a', 0),
	};

	(void)state;
	canon_is(in, NWORDS(in), want, NWORDS(want));
}

/* A struct list takes its largest element's truncated sizes. */
static void
test_canonical_struct_list(void **state)
{
	const uint64_t in[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 9),
	    CAPNP_STRUCT_PTR(3, 2, 1),
	    1,
	    0,
	    0,
	    0,
	    2,
	    0,
	    0,
	    0,
	    0,
	};
	const uint64_t want[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 6),
	    CAPNP_STRUCT_PTR(3, 2, 0),
	    1,
	    0,
	    0,
	    2,
	    0,
	    0,
	};
	const uint64_t empty_in[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 2),
	    CAPNP_STRUCT_PTR(2, 1, 0),
	    0,
	    0,
	};
	const uint64_t empty_want[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 0),
	    CAPNP_STRUCT_PTR(2, 0, 0),
	};
	struct capnp_msg m;
	uint64_t out[16];
	size_t len;

	(void)state;
	/* The root must be a struct: a list root is a type error. */
	msg_words(&m, in, NWORDS(in));
	assert_int_equal(capnp_canonicalize(&m, out, sizeof(out), &len),
	                 CAPNP_ERR_TYPE);
	/* As a struct's field, the list is canonical as above. */
	{
		uint64_t s[NWORDS(in) + 1], w[NWORDS(want) + 1];

		s[0] = CAPNP_STRUCT_PTR(0, 0, 1);
		memcpy(s + 1, in, sizeof(in));
		w[0] = CAPNP_STRUCT_PTR(0, 0, 1);
		memcpy(w + 1, want, sizeof(want));
		canon_is(s, NWORDS(s), w, NWORDS(w));
		s[0] = CAPNP_STRUCT_PTR(0, 0, 1);
		memcpy(s + 1, empty_in, sizeof(empty_in));
		w[0] = CAPNP_STRUCT_PTR(0, 0, 1);
		memcpy(w + 1, empty_want, sizeof(empty_want));
		canon_is(s, 1 + NWORDS(empty_in), w, 1 + NWORDS(empty_want));
	}
}

static void
test_canonical_refusals(void **state)
{
	const uint64_t cap[] = {CAPNP_STRUCT_PTR(0, 0, 1), CAPNP_CAP_PTR(0)};
	const uint64_t big[] = {CAPNP_STRUCT_PTR(0, 2, 0), 1, 2};
	const uint64_t bad[] = {CAPNP_STRUCT_PTR(5, 1, 0)};
	struct capnp_msg m;
	uint64_t out[4];
	size_t len = 99;

	(void)state;
	msg_words(&m, cap, NWORDS(cap));
	assert_int_equal(capnp_canonicalize(&m, out, sizeof(out), &len),
	                 CAPNP_ERR_CAP);
	assert_int_equal(len, 0);
	msg_words(&m, big, NWORDS(big));
	assert_int_equal(capnp_canonicalize(&m, out, 16, &len),
	                 CAPNP_ERR_NOSPACE);
	msg_words(&m, bad, NWORDS(bad));
	assert_int_equal(capnp_canonicalize(&m, out, sizeof(out), &len),
	                 CAPNP_ERR_BOUNDS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack_bytes),
	    cmocka_unit_test(test_pack_long_runs),
	    cmocka_unit_test(test_pack_bounds),
	    cmocka_unit_test(test_unpack_hostile),
	    cmocka_unit_test(test_packed_message),
	    cmocka_unit_test(test_canonical_struct),
	    cmocka_unit_test(test_canonical_struct_list),
	    cmocka_unit_test(test_canonical_refusals),
	};

	return cmocka_run_group_tests_name("capnp-pack", tests, NULL, NULL);
}
