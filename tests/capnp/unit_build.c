/*
 * Unit tests of the builder: layout of what it writes, segments and far
 * pointers, overflow of the caller's buffer, and deep copy.
 */
#include <stdio.h>

#include "words.h"

static uint64_t
word(const struct capnp_builder *b, uint32_t seg, uint32_t i)
{
	return capnp_load64(capnp_builder_segment(b, seg).base + (size_t)i * 8);
}

static void
test_init_too_small(void **state)
{
	uint8_t buf[7];
	struct capnp_builder b;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0),
	                 CAPNP_ERR_NOSPACE);
	/* Everything after a failed init is a harmless no-op. */
	assert_null(capnp_builder_init_root(&b, 1, 0).data);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
}

/* The exact words written for a small struct, checked by hand. */
static void
test_layout(void **state)
{
	uint64_t buf[8];
	struct capnp_builder b;
	struct capnp_struct_builder sb;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 2);
	capnp_set_u32(sb, 4, 0xabcdef01);
	capnp_set_bool(sb, 1, true);
	capnp_slot_set_text(capnp_bfield(sb, 0), "hey", 3);
	capnp_slot_init_struct(capnp_bfield(sb, 1), 0, 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_int_equal(capnp_builder_words(&b), 5);
	assert_int_equal(buf[0], CAPNP_STRUCT_PTR(0, 1, 2));
	assert_int_equal(buf[1], 0xabcdef0100000002ull);
	assert_int_equal(buf[2], CAPNP_LIST_PTR(1, CAPNP_ESIZE_BYTE, 4));
	/* An empty struct is not null: offset -1, no content. */
	assert_int_equal(buf[3], CAPNP_EMPTY_STRUCT_PTR);
	assert_int_equal(buf[4], 0x0000000000796568ull);
	/* Untouched past the used words. */
	assert_int_equal(buf[5], 0xeeeeeeeeeeeeeeeeull);
}

static void
test_lists_layout(void **state)
{
	uint64_t buf[32];
	struct capnp_builder b;
	struct capnp_struct_builder sb, e;
	struct capnp_list_builder bits, u16s, structs, voids;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 0, 4);
	bits = capnp_slot_init_list(capnp_bfield(sb, 0), CAPNP_ESIZE_BIT, 66);
	capnp_belem_set_bool(bits, 0, true);
	capnp_belem_set_bool(bits, 65, true);
	capnp_belem_set_bool(bits, 64, false);
	u16s = capnp_slot_init_list(capnp_bfield(sb, 1), CAPNP_ESIZE_2, 3);
	capnp_belem_set_u16(u16s, 2, 0xbeef);
	structs = capnp_slot_init_struct_list(capnp_bfield(sb, 2), 2, 1, 1);
	e = capnp_belem_struct(structs, 1);
	capnp_set_u64(e, 0, 7);
	capnp_slot_set_text(capnp_bfield(e, 0), "x", 1);
	voids =
	    capnp_slot_init_list(capnp_bfield(sb, 3), CAPNP_ESIZE_VOID, 1000);
	assert_int_equal(capnp_blist_len(voids), 1000);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);

	assert_int_equal(buf[1], CAPNP_LIST_PTR(3, CAPNP_ESIZE_BIT, 66));
	assert_int_equal(buf[5], 1);
	assert_int_equal(buf[6], 2);
	assert_int_equal(buf[2], CAPNP_LIST_PTR(4, CAPNP_ESIZE_2, 3));
	assert_int_equal(buf[7], 0x0000beef00000000ull);
	/* Composite: word count after the tag; tag carries the count. */
	assert_int_equal(buf[3], CAPNP_LIST_PTR(4, CAPNP_ESIZE_COMPOSITE, 4));
	assert_int_equal(buf[8], CAPNP_STRUCT_PTR(2, 1, 1));
	assert_int_equal(buf[11], 7);
	assert_int_equal(buf[12], CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 2));
	/* A void list takes no words. */
	assert_int_equal(buf[4], CAPNP_LIST_PTR(9, CAPNP_ESIZE_VOID, 1000));
	assert_int_equal(capnp_builder_words(&b), 14);
}

/* Nothing is written outside the buffer, and the error sticks. */
static void
test_overflow(void **state)
{
	uint8_t mem[64 + 32];
	struct capnp_builder b;
	struct capnp_struct_builder sb, inner;
	uint32_t i;

	(void)state;
	memset(mem, 0xcc, sizeof(mem));
	assert_int_equal(capnp_builder_init(&b, mem, 64, 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 2, 2);
	capnp_slot_set_text(capnp_bfield(sb, 0),
	                    "0123456789abcdefghijklmnopqrstu", 31);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
	/* Later writes that would fit are dropped too. */
	inner = capnp_slot_init_struct(capnp_bfield(sb, 1), 1, 0);
	assert_null(inner.data);
	capnp_set_u64(inner, 0, 1);
	capnp_slot_set_cap(capnp_bfield(sb, 1), 3);
	assert_int_equal(word(&b, 0, 4), 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
	for (i = 64; i < sizeof(mem); i++)
		assert_int_equal(mem[i], 0xcc);
}

static void
test_overflow_lists(void **state)
{
	uint8_t mem[64];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_list_builder l;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 0, 2);
	l = capnp_slot_init_struct_list(capnp_bfield(sb, 0), 100, 1, 0);
	assert_int_equal(capnp_blist_len(l), 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
	capnp_belem_set_u64(l, 0, 1);

	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 0, 2);
	capnp_slot_init_list(capnp_bfield(sb, 0), CAPNP_ESIZE_8,
	                     CAPNP_MAX_LIST_ELEMENTS + 1);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_RANGE);
}

/* Caller bugs are errors, never writes out of a struct or list. */
static void
test_range_errors(void **state)
{
	uint64_t buf[8];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_list_builder l;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 1);
	l = capnp_slot_init_list(capnp_bfield(sb, 0), CAPNP_ESIZE_4, 2);
	buf[4] = 0;
	capnp_belem_set_u32(l, 2, 0xffffffff);
	assert_int_equal(buf[4], 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_RANGE);

	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 1);
	capnp_set_u64(sb, 8, 1);
	assert_int_equal(buf[2], 0);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_RANGE);

	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 1);
	capnp_slot_set_text(capnp_bfield(sb, 1), "x", 1);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_RANGE);
}

static void
test_far_pointers(void **state)
{
	uint8_t mem[512];
	struct capnp_builder b;
	struct capnp_struct_builder sb, in;
	struct capnp_msg m;
	struct capnp_struct r;

	(void)state;
	/* Two-word segments: every object lands behind a far pointer. */
	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 2), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 1, 1);
	capnp_set_u64(sb, 0, 11);
	in = capnp_slot_init_struct(capnp_bfield(sb, 0), 1, 1);
	capnp_set_u64(in, 0, 22);
	capnp_slot_set_text(capnp_bfield(in, 0), "far away", 8);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_int_equal(b.nseg, 4);
	/* Root: far pointer to a one-word landing pad before the struct. */
	assert_int_equal(word(&b, 0, 0), CAPNP_FAR_PTR(false, 0, 1));
	assert_int_equal(word(&b, 1, 0), CAPNP_STRUCT_PTR(0, 1, 1));
	assert_int_equal(word(&b, 1, 2), CAPNP_FAR_PTR(false, 0, 2));

	assert_int_equal(capnp_builder_to_msg(&b, &m), CAPNP_OK);
	r = capnp_msg_root(&m);
	assert_int_equal(capnp_get_u64(r, 0), 11);
	r = capnp_ref_struct(capnp_field(r, 0));
	assert_int_equal(capnp_get_u64(r, 0), 22);
	assert_string_equal(capnp_ref_text(capnp_field(r, 0)).str, "far away");
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
test_double_far(void **state)
{
	uint8_t mem[512];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_msg m;
	struct capnp_struct r;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 2), CAPNP_OK);
	b.flags |= CAPNP_BUILD_DOUBLE_FAR;
	sb = capnp_builder_init_root(&b, 1, 1);
	capnp_set_u64(sb, 0, 33);
	capnp_slot_set_text(capnp_bfield(sb, 0), "double", 6);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	/* Content alone in segment 1, the two-word pad in segment 2. */
	assert_int_equal(word(&b, 0, 0), CAPNP_FAR_PTR(true, 0, 2));
	assert_int_equal(word(&b, 2, 0), CAPNP_FAR_PTR(false, 0, 1));
	assert_int_equal(word(&b, 2, 1), CAPNP_STRUCT_PTR(0, 1, 1));
	assert_int_equal(word(&b, 1, 0), 33);

	assert_int_equal(capnp_builder_to_msg(&b, &m), CAPNP_OK);
	r = capnp_msg_root(&m);
	assert_int_equal(capnp_get_u64(r, 0), 33);
	assert_string_equal(capnp_ref_text(capnp_field(r, 0)).str, "double");
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/*
 * Without the testing flag, a double-far pointer is written when the
 * newest segment has room for the object but not for a pad before it.
 */
static void
test_double_far_when_pad_does_not_fit(void **state)
{
	uint8_t mem[512];
	struct capnp_builder b;
	struct capnp_struct_builder sb, in;
	struct capnp_msg m;
	struct capnp_struct r;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, mem, sizeof(mem), 4), CAPNP_OK);
	/* Segment 0: root pointer and a struct of three pointers, full. */
	sb = capnp_builder_init_root(&b, 0, 3);
	/* Segment 1: pad and two words of text; one word left. */
	capnp_slot_set_text(capnp_bfield(sb, 0), "fifteen letters", 15);
	/* A one-word struct fits in that word; its pad cannot precede it. */
	in = capnp_slot_init_struct(capnp_bfield(sb, 1), 1, 0);
	capnp_set_u64(in, 0, 44);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_int_equal(b.nseg, 3);
	assert_int_equal(word(&b, 0, 1), CAPNP_FAR_PTR(false, 0, 1));
	assert_int_equal(word(&b, 0, 2), CAPNP_FAR_PTR(true, 0, 2));
	assert_int_equal(word(&b, 2, 0), CAPNP_FAR_PTR(false, 3, 1));
	assert_int_equal(word(&b, 2, 1), CAPNP_STRUCT_PTR(0, 1, 0));
	assert_int_equal(word(&b, 1, 3), 44);

	assert_int_equal(capnp_builder_to_msg(&b, &m), CAPNP_OK);
	r = capnp_msg_root(&m);
	assert_string_equal(capnp_ref_text(capnp_field(r, 0)).str,
	                    "fifteen letters");
	assert_int_equal(capnp_get_u64(capnp_ref_struct(capnp_field(r, 1)), 0),
	                 44);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/* One text per segment, after the list's: n texts make n + 2 segments. */
static void
build_texts(struct capnp_builder *b, void *mem, size_t bytes, uint32_t n)
{
	struct capnp_list_builder l;
	char s[16];
	uint32_t i;

	assert_int_equal(capnp_builder_init(b, mem, bytes, 1), CAPNP_OK);
	l = capnp_slot_init_list(capnp_builder_root(b), CAPNP_ESIZE_POINTER, n);
	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "text %u", i);
		capnp_slot_set_text(capnp_belem(l, i), s, strlen(s));
	}
}

static void
check_texts(struct capnp_msg *m, uint32_t n)
{
	struct capnp_list l =
	    capnp_ref_list(capnp_msg_root_ref(m), CAPNP_ESIZE_POINTER);
	char s[16];
	uint32_t i;

	assert_int_equal(capnp_list_len(l), n);
	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "text %u", i);
		assert_string_equal(capnp_ref_text(capnp_elem(l, i)).str, s);
	}
	assert_int_equal(capnp_msg_error(m), CAPNP_OK);
}

/* Past the inline table, the segment table lives at the buffer's end. */
static void
test_many_segments(void **state)
{
	static uint8_t mem[1 << 16], framed[1 << 16];
	struct capnp_builder b;
	struct capnp_msg m;
	size_t len, used;

	(void)state;
	build_texts(&b, mem + 3, sizeof(mem) - 3, CAPNP_BUILD_MAX_SEGMENTS - 2);
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_int_equal(b.nseg, CAPNP_BUILD_MAX_SEGMENTS);
	assert_non_null(b.ext);
	assert_int_equal((uintptr_t)b.ext % _Alignof(struct capnp_seg), 0);
	assert_true((uint8_t *)b.ext >= mem + 3 + b.carved * 8);
	assert_int_equal(capnp_builder_to_msg(&b, &m), CAPNP_OK);
	assert_int_equal(m.nseg, CAPNP_BUILD_MAX_SEGMENTS);
	check_texts(&m, CAPNP_BUILD_MAX_SEGMENTS - 2);

	assert_int_equal(capnp_frame_write(&b, framed, sizeof(framed), &len),
	                 CAPNP_OK);
	assert_int_equal(len, capnp_frame_size(&b));
	assert_int_equal(capnp_msg_init_frame(&m, framed, len, &used),
	                 CAPNP_OK);
	assert_int_equal(used, len);
	check_texts(&m, CAPNP_BUILD_MAX_SEGMENTS - 2);
}

static void
test_too_many_segments(void **state)
{
	static uint8_t mem[1 << 16];
	struct capnp_builder b;

	(void)state;
	build_texts(&b, mem, sizeof(mem), CAPNP_BUILD_MAX_SEGMENTS - 1);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_SEGMENTS);
	assert_int_equal(b.nseg, CAPNP_BUILD_MAX_SEGMENTS);
}

/* No room for the table: the 33rd segment is refused, nothing spills. */
static void
test_no_room_for_segment_table(void **state)
{
	static uint8_t mem[4096 + 8];
	struct capnp_builder b;

	(void)state;
	memset(mem, 0xee, sizeof(mem));
	build_texts(&b, mem, 4096, 100);
	assert_int_equal(capnp_builder_error(&b), CAPNP_ERR_NOSPACE);
	assert_int_equal(b.nseg, CAPNP_BUILD_INLINE_SEGMENTS);
	assert_null(b.ext);
	assert_int_equal(mem[4096], 0xee);
}

static void
test_caps_and_data(void **state)
{
	uint64_t buf[16];
	struct capnp_builder b;
	struct capnp_struct_builder sb;
	struct capnp_msg m;
	struct capnp_struct r;
	struct capnp_data d;

	(void)state;
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf), 0), CAPNP_OK);
	sb = capnp_builder_init_root(&b, 0, 4);
	capnp_slot_set_cap(capnp_bfield(sb, 0), 9);
	capnp_slot_set_data(capnp_bfield(sb, 1), "\0\1\2", 3);
	capnp_slot_set_data(capnp_bfield(sb, 2), NULL, 0);
	capnp_slot_set_text(capnp_bfield(sb, 3), "gone", 4);
	capnp_slot_set_null(capnp_bfield(sb, 3));
	assert_int_equal(capnp_builder_error(&b), CAPNP_OK);
	assert_int_equal(buf[1], CAPNP_CAP_PTR(9));

	assert_int_equal(capnp_builder_to_msg(&b, &m), CAPNP_OK);
	r = capnp_msg_root(&m);
	assert_int_equal(capnp_ref_cap(capnp_field(r, 0)), 9);
	d = capnp_ref_data(capnp_field(r, 1));
	assert_int_equal(d.len, 3);
	assert_memory_equal(d.ptr, "\0\1\2", 3);
	/* Empty data is present, not null. */
	assert_false(capnp_ref_is_null(capnp_field(r, 2)));
	assert_int_equal(capnp_ref_data(capnp_field(r, 2)).len, 0);
	assert_true(capnp_ref_is_null(capnp_field(r, 3)));
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/* Builds {u64 5; ptrs: text, [u16 x3], [{u64; text} x2], [[u8]], cap}. */
static void
build_sample(struct capnp_builder *b)
{
	struct capnp_struct_builder sb, e;
	struct capnp_list_builder l, inner;

	sb = capnp_builder_init_root(b, 1, 5);
	capnp_set_u64(sb, 0, 5);
	capnp_slot_set_text(capnp_bfield(sb, 0), "sample", 6);
	l = capnp_slot_init_list(capnp_bfield(sb, 1), CAPNP_ESIZE_2, 3);
	capnp_belem_set_u16(l, 0, 1);
	capnp_belem_set_u16(l, 2, 3);
	l = capnp_slot_init_struct_list(capnp_bfield(sb, 2), 2, 1, 1);
	e = capnp_belem_struct(l, 1);
	capnp_set_u64(e, 0, 9);
	capnp_slot_set_text(capnp_bfield(e, 0), "nine", 4);
	l = capnp_slot_init_list(capnp_bfield(sb, 3), CAPNP_ESIZE_POINTER, 1);
	inner = capnp_slot_init_list(capnp_belem(l, 0), CAPNP_ESIZE_BYTE, 2);
	capnp_belem_set_u8(inner, 1, 0x7f);
	capnp_slot_set_cap(capnp_bfield(sb, 4), 2);
}

static void
check_sample(struct capnp_msg *m)
{
	struct capnp_struct r = capnp_msg_root(m);
	struct capnp_list l;

	assert_int_equal(capnp_get_u64(r, 0), 5);
	assert_string_equal(capnp_ref_text(capnp_field(r, 0)).str, "sample");
	l = capnp_ref_list(capnp_field(r, 1), CAPNP_ESIZE_2);
	assert_int_equal(capnp_list_len(l), 3);
	assert_int_equal(capnp_elem_u16(l, 2), 3);
	l = capnp_ref_list(capnp_field(r, 2), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_list_len(l), 2);
	assert_int_equal(capnp_get_u64(capnp_elem_struct(l, 1), 0), 9);
	assert_string_equal(
	    capnp_ref_text(capnp_field(capnp_elem_struct(l, 1), 0)).str,
	    "nine");
	l = capnp_ref_list(capnp_field(r, 3), CAPNP_ESIZE_POINTER);
	l = capnp_ref_list(capnp_elem(l, 0), CAPNP_ESIZE_BYTE);
	assert_int_equal(capnp_elem_u8(l, 1), 0x7f);
	assert_int_equal(capnp_ref_cap(capnp_field(r, 4)), 2);
	assert_int_equal(capnp_msg_error(m), CAPNP_OK);
}

static void
test_copy(void **state)
{
	static uint8_t a[1024], c[2048];
	struct capnp_builder ba, bc;
	struct capnp_msg ma, mc;
	struct capnp_ptr root;

	(void)state;
	assert_int_equal(capnp_builder_init(&ba, a, sizeof(a), 0), CAPNP_OK);
	build_sample(&ba);
	assert_int_equal(capnp_builder_error(&ba), CAPNP_OK);
	assert_int_equal(capnp_builder_to_msg(&ba, &ma), CAPNP_OK);
	check_sample(&ma);

	/* Into a many-segment builder, and the copy reads the same. */
	assert_int_equal(capnp_builder_to_msg(&ba, &ma), CAPNP_OK);
	root = capnp_ref_any(capnp_msg_root_ref(&ma));
	assert_int_equal(capnp_builder_init(&bc, c, sizeof(c), 3), CAPNP_OK);
	capnp_slot_copy(capnp_builder_root(&bc), &root);
	assert_int_equal(capnp_builder_error(&bc), CAPNP_OK);
	assert_true(bc.nseg > 1);
	assert_int_equal(capnp_builder_to_msg(&bc, &mc), CAPNP_OK);
	check_sample(&mc);
	/* The same content, plus landing pads for the far pointers. */
	assert_true(capnp_builder_words(&bc) > capnp_builder_words(&ba));

	/* Into a buffer too small: an error, no overflow. */
	assert_int_equal(capnp_builder_init(&bc, c, 64, 0), CAPNP_OK);
	capnp_slot_copy(capnp_builder_root(&bc), &root);
	assert_int_equal(capnp_builder_error(&bc), CAPNP_ERR_NOSPACE);
}

/* Copying a cyclic message stops at the source's limits. */
static void
test_copy_cycle(void **state)
{
	static const uint64_t w[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_POINTER, 2),
	    CAPNP_LIST_PTR(-2, CAPNP_ESIZE_POINTER, 2),
	    CAPNP_LIST_PTR(-3, CAPNP_ESIZE_POINTER, 2),
	};
	static uint8_t out[1 << 16];
	struct capnp_builder b;
	struct capnp_msg m;
	struct capnp_ptr root;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	capnp_msg_set_limits(&m, 2000, 64);
	root = capnp_ref_any(capnp_msg_root_ref(&m));
	assert_int_equal(capnp_builder_init(&b, out, sizeof(out), 0), CAPNP_OK);
	capnp_slot_copy(capnp_builder_root(&b), &root);
	assert_int_not_equal(capnp_msg_error(&m), CAPNP_OK);
	assert_true(capnp_builder_words(&b) < 2 * 2000 + 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_too_small),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_lists_layout),
	    cmocka_unit_test(test_overflow),
	    cmocka_unit_test(test_overflow_lists),
	    cmocka_unit_test(test_range_errors),
	    cmocka_unit_test(test_far_pointers),
	    cmocka_unit_test(test_double_far),
	    cmocka_unit_test(test_double_far_when_pad_does_not_fit),
	    cmocka_unit_test(test_many_segments),
	    cmocka_unit_test(test_too_many_segments),
	    cmocka_unit_test(test_no_room_for_segment_table),
	    cmocka_unit_test(test_caps_and_data),
	    cmocka_unit_test(test_copy),
	    cmocka_unit_test(test_copy_cycle),
	};

	return cmocka_run_group_tests_name("capnp-build", tests, NULL, NULL);
}
