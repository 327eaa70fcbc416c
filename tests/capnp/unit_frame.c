/*
 * Unit tests of the stream framing: parsing hostile segment tables and
 * writing framed messages.
 */
#include "words.h"

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
test_one_segment(void **state)
{
	uint8_t buf[24] = {0};
	uint64_t root = CAPNP_STRUCT_PTR(0, 1, 0), v = 42;
	struct capnp_msg m;
	size_t used = 0;

	(void)state;
	put32(buf, 0);
	put32(buf + 4, 2);
	memcpy(buf + 8, &root, 8);
	memcpy(buf + 16, &v, 8);
	assert_int_equal(capnp_msg_init_frame(&m, buf, sizeof(buf), &used),
	                 CAPNP_OK);
	assert_int_equal(used, 24);
	assert_int_equal(m.nseg, 1);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 42);
}

static void
test_trailing_bytes(void **state)
{
	uint8_t buf[40] = {0};
	struct capnp_msg m;
	size_t used = 0;

	(void)state;
	/* Two messages back to back: the first reports its own length. */
	put32(buf + 4, 1);
	put32(buf + 20, 1);
	assert_int_equal(capnp_msg_init_frame(&m, buf, sizeof(buf), &used),
	                 CAPNP_OK);
	assert_int_equal(used, 16);
	assert_int_equal(
	    capnp_msg_init_frame(&m, buf + used, sizeof(buf) - used, &used),
	    CAPNP_OK);
	assert_int_equal(used, 16);
}

static void
test_header_padding(void **state)
{
	/* Two segments: 4 + 2 * 4 = 12 bytes of table, padded to 16. */
	uint8_t buf[16 + 16] = {0};
	struct capnp_msg m;
	size_t used = 0;

	(void)state;
	put32(buf, 1);
	put32(buf + 4, 1);
	put32(buf + 8, 1);
	put32(buf + 12, 0xdeadbeef); /* padding, ignored */
	buf[16 + 8] = 0x55;
	assert_int_equal(capnp_msg_init_frame(&m, buf, sizeof(buf), &used),
	                 CAPNP_OK);
	assert_int_equal(used, 32);
	assert_int_equal(m.nseg, 2);
	assert_ptr_equal(m.seg[0].base, buf + 16);
	assert_ptr_equal(m.seg[1].base, buf + 24);
	assert_int_equal(m.seg[1].base[0], 0x55);
}

static void
expect_frame_error(const uint8_t *buf, size_t len, int err)
{
	struct capnp_msg m;
	size_t used = 12345;

	assert_int_equal(capnp_msg_init_frame(&m, buf, len, &used), err);
	assert_int_equal(capnp_msg_error(&m), err);
	assert_int_equal(used, 12345);
	/* A failed parse leaves nothing readable. */
	assert_int_equal(m.nseg, 0);
	assert_null(capnp_msg_root(&m).data);
}

static void
test_framing_errors(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	expect_frame_error(buf, 0, CAPNP_ERR_FRAME);
	expect_frame_error(buf, 7, CAPNP_ERR_FRAME);
	/* Segment size past the end of the buffer. */
	put32(buf + 4, 1);
	expect_frame_error(buf, 15, CAPNP_ERR_FRAME);
	/* A size that would overflow 32-bit arithmetic. */
	put32(buf + 4, 0xffffffff);
	expect_frame_error(buf, sizeof(buf), CAPNP_ERR_FRAME);
	put32(buf + 4, 0x20000000);
	expect_frame_error(buf, sizeof(buf), CAPNP_ERR_FRAME);
	/* Segment count of 2^32 (wraps to 0) and just over the table. */
	put32(buf, 0xffffffff);
	expect_frame_error(buf, sizeof(buf), CAPNP_ERR_SEGMENTS);
	put32(buf, CAPNP_MAX_SEGMENTS);
	expect_frame_error(buf, sizeof(buf), CAPNP_ERR_SEGMENTS);
	/* The table itself truncated. */
	put32(buf, 3);
	put32(buf + 4, 0);
	expect_frame_error(buf, 16, CAPNP_ERR_FRAME);
	/* Sizes that each fit but together do not. */
	memset(buf, 0, sizeof(buf));
	put32(buf, 1);
	put32(buf + 4, 3);
	put32(buf + 8, 3);
	expect_frame_error(buf, 16 + 5 * 8, CAPNP_ERR_FRAME);
}

static void
test_empty_segments(void **state)
{
	uint8_t buf[24] = {0};
	uint64_t root = CAPNP_STRUCT_PTR(0, 0, 0);
	struct capnp_msg m;

	(void)state;
	/* One empty segment: no root pointer, refused as the reference
	 * refuses it; the root then reads as empty. */
	assert_int_equal(capnp_msg_init_frame(&m, buf, 8, NULL),
	                 CAPNP_ERR_ROOT);
	assert_int_equal(capnp_msg_root(&m).nptrs, 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_ROOT);
	/* An empty first segment before a full one: the same. */
	put32(buf, 1);
	put32(buf + 4, 0);
	put32(buf + 8, 1);
	memcpy(buf + 16, &root, 8);
	assert_int_equal(capnp_msg_init_frame(&m, buf, 24, NULL),
	                 CAPNP_ERR_ROOT);
	/* A null root pointer is fine. */
	put32(buf, 0);
	put32(buf + 4, 1);
	memset(buf + 8, 0, 8);
	assert_int_equal(capnp_msg_init_frame(&m, buf, 16, NULL), CAPNP_OK);
	assert_true(capnp_ref_is_null(capnp_msg_root_ref(&m)));
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/*
 * 512 segments, the most the reader takes: segments past the inline table
 * are found from the frame's sizes.  Segment i holds a struct pointer and
 * the value 1000 + i (segment 0 a far pointer to segment id first); the
 * sizes alternate so that offsets are not a multiple of the id.
 */
static uint8_t many[4 + 4 * CAPNP_MAX_SEGMENTS + 4 + CAPNP_MAX_SEGMENTS * 24];

static size_t
many_frame(uint32_t nseg, uint32_t id)
{
	uint64_t ptr = CAPNP_STRUCT_PTR(0, 1, 0), v;
	size_t off = (4 + 4 * (size_t)nseg + 7) & ~(size_t)7;
	uint32_t i, words;

	memset(many, 0, sizeof(many));
	put32(many, nseg - 1);
	for (i = 0; i < nseg; i++) {
		words = 2 + i % 2;
		put32(many + 4 + 4 * i, words);
		v = i == 0 ? CAPNP_FAR_PTR(false, 0, id) : ptr;
		memcpy(many + off, &v, 8);
		v = 1000 + i;
		memcpy(many + off + 8, &v, 8);
		off += (size_t)words * 8;
	}
	return off;
}

static void
test_many_segments(void **state)
{
	static const uint32_t ids[] = {1, 31, 32, 33, 63, 64, 65, 300, 511};
	struct capnp_msg m;
	size_t len, used = 0, need = 0;
	uint32_t k;

	(void)state;
	for (k = 0; k < NWORDS(ids); k++) {
		len = many_frame(CAPNP_MAX_SEGMENTS, ids[k]);
		assert_int_equal(capnp_frame_need(many, len, &need), CAPNP_OK);
		assert_int_equal(need, len);
		assert_int_equal(capnp_msg_init_frame(&m, many, len, &used),
		                 CAPNP_OK);
		assert_int_equal(used, len);
		assert_int_equal(m.nseg, CAPNP_MAX_SEGMENTS);
		assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0),
		                 1000 + ids[k]);
		assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	}
	/* The copy keeps working: nothing points into the original. */
	{
		struct capnp_msg c = m;

		memset(&m, 0xa5, sizeof(m));
		assert_int_equal(capnp_get_u64(capnp_msg_root(&c), 0), 1511);
	}
	/* One more is refused; so is one too many by a single segment. */
	len = many_frame(CAPNP_MAX_SEGMENTS, 1);
	put32(many, CAPNP_MAX_SEGMENTS);
	assert_int_equal(capnp_msg_init_frame(&m, many, len, NULL),
	                 CAPNP_ERR_SEGMENTS);
	assert_int_equal(capnp_frame_need(many, len, &need),
	                 CAPNP_ERR_SEGMENTS);
	/* An empty segment is unknown, as in the reference. */
	len = many_frame(40, 35);
	put32(many + 4 + 4 * 35, 0);
	assert_int_equal(capnp_msg_init_frame(&m, many, len - 3 * 8, NULL),
	                 CAPNP_OK);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_SEGMENT);
}

static void
test_need(void **state)
{
	uint8_t buf[16] = {0};
	size_t need = 0;

	(void)state;
	assert_int_equal(capnp_frame_need(buf, 0, &need), CAPNP_OK);
	assert_int_equal(need, 8);
	put32(buf, 2);
	assert_int_equal(capnp_frame_need(buf, 4, &need), CAPNP_OK);
	assert_int_equal(need, 16);
	put32(buf + 4, 1);
	put32(buf + 8, 2);
	put32(buf + 12, 3);
	assert_int_equal(capnp_frame_need(buf, 16, &need), CAPNP_OK);
	assert_int_equal(need, 16 + 6 * 8);
	put32(buf, 0xffffffff);
	assert_int_equal(capnp_frame_need(buf, 16, &need), CAPNP_ERR_SEGMENTS);
}

static void
test_write_round_trip(void **state)
{
	uint8_t arena[256], out[512], small[40];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_msg m;
	size_t written = 0;
	uint32_t i;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, arena, sizeof(arena), 3),
	                 CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 2);
	capnp_set_u64(sb, 0, 0x1122334455667788ull);
	capnp_slot_set_text(capnp_bfield(sb, 0), "segment two", 11);
	capnp_slot_set_text(capnp_bfield(sb, 1), "three", 5);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_true(b.nseg > 1);
	assert_int_equal(capnp_frame_size(&b), ((4 + 4 * b.nseg + 7) & ~7u) +
	                                           capnp_builder_words(&b) * 8);

	/* Too small: an error and not a byte written. */
	memset(small, 0x5a, sizeof(small));
	assert_int_equal(capnp_frame_write(&b, small, sizeof(small), &written),
	                 CAPNP_ERR_NOSPACE);
	for (i = 0; i < sizeof(small); i++)
		assert_int_equal(small[i], 0x5a);

	assert_int_equal(capnp_frame_write(&b, out, sizeof(out), &written),
	                 CAPNP_OK);
	assert_int_equal(written, capnp_frame_size(&b));
	assert_int_equal(capnp_msg_init_frame(&m, out, written, NULL),
	                 CAPNP_OK);
	assert_int_equal(m.nseg, b.nseg);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0),
	                 0x1122334455667788ull);
	assert_string_equal(
	    capnp_ref_text(capnp_field(capnp_msg_root(&m), 0)).str,
	    "segment two");
	assert_string_equal(
	    capnp_ref_text(capnp_field(capnp_msg_root(&m), 1)).str, "three");
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
test_write_failed_builder(void **state)
{
	uint8_t arena[16], out[64];
	struct capnp_builder b;
	size_t written = 0;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, arena, sizeof(arena), 0),
	                 CAPNP_OK);
	capnp_builder_init_root(&b, 4, 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
	/* A message that failed to build is never framed. */
	assert_int_equal(capnp_frame_write(&b, out, sizeof(out), &written),
	                 CAPNP_ERR_NOSPACE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_segment),
	    cmocka_unit_test(test_trailing_bytes),
	    cmocka_unit_test(test_header_padding),
	    cmocka_unit_test(test_framing_errors),
	    cmocka_unit_test(test_empty_segments),
	    cmocka_unit_test(test_many_segments),
	    cmocka_unit_test(test_need),
	    cmocka_unit_test(test_write_round_trip),
	    cmocka_unit_test(test_write_failed_builder),
	};

	return cmocka_run_group_tests_name("capnp-frame", tests, NULL, NULL);
}
