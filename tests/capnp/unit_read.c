/*
 * Unit tests of the reader: pointer decoding, bounds, far pointers,
 * traversal and nesting limits, cycles, list compatibility, defaults.
 */
#include "words.h"

/* root -> struct {u32 = 0x11223344, u16 = 7; text "hi"} */
static const uint64_t simple[] = {
    CAPNP_STRUCT_PTR(0, 1, 1),
    0x0000000711223344ull,
    CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 3),
    0x0000000000006968ull,
};

static void
test_struct_fields(void **state)
{
	struct capnp_msg m;
	struct capnp_struct s;
	struct capnp_text t;

	(void)state;
	msg_words(&m, simple, NWORDS(simple));
	s = capnp_msg_root(&m);
	assert_int_equal(s.data_bytes, 8);
	assert_int_equal(s.nptrs, 1);
	assert_int_equal(capnp_get_u32(s, 0), 0x11223344);
	assert_int_equal(capnp_get_u16(s, 4), 7);
	assert_int_equal(capnp_get_u8(s, 0), 0x44);
	assert_true(capnp_get_bool(s, 2));
	assert_false(capnp_get_bool(s, 0));
	t = capnp_ref_text(capnp_field(s, 0));
	assert_int_equal(t.len, 2);
	assert_string_equal(t.str, "hi");
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/* Fields past the data section read 0: how old messages meet new schemas. */
static void
test_fields_beyond_sections(void **state)
{
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	msg_words(&m, simple, NWORDS(simple));
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_get_u64(s, 8), 0);
	assert_int_equal(capnp_get_u32(s, 6), 0);
	assert_false(capnp_get_bool(s, 64));
	assert_true(capnp_ref_is_null(capnp_field(s, 1)));
	assert_int_equal(capnp_ref_text(capnp_field(s, 5)).len, 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
test_null_and_empty(void **state)
{
	static const uint64_t null_root[] = {0};
	static const uint64_t empty_struct[] = {CAPNP_EMPTY_STRUCT_PTR};
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	/* A message without words has no root pointer: refused, as the
	 * reference refuses it, and the root reads as empty. */
	assert_int_equal(capnp_msg_init_segment(&m, null_root, 0),
	                 CAPNP_ERR_ROOT);
	s = capnp_msg_root(&m);
	assert_int_equal(s.data_bytes, 0);
	assert_int_equal(capnp_get_u64(s, 0), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_ROOT);
	/* A null root: all defaults, no error. */
	msg_words(&m, null_root, 1);
	assert_true(capnp_ref_is_null(capnp_msg_root_ref(&m)));
	assert_int_equal(capnp_msg_root(&m).nptrs, 0);
	/* A zero-sized struct (offset -1) is not null. */
	msg_words(&m, empty_struct, 1);
	assert_false(capnp_ref_is_null(capnp_msg_root_ref(&m)));
	assert_int_equal(capnp_ref_any(capnp_msg_root_ref(&m)).type,
	                 CAPNP_PTR_STRUCT);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
test_negative_offset(void **state)
{
	/* root -> word 2, whose pointer points back at the struct in word 1. */
	static const uint64_t w[] = {
	    CAPNP_STRUCT_PTR(1, 0, 1),
	    0x2a,
	    CAPNP_STRUCT_PTR(-2, 1, 0),
	};
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	s = capnp_ref_struct(capnp_field(capnp_msg_root(&m), 0));
	assert_int_equal(capnp_get_u64(s, 0), 0x2a);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
expect_root_error(const uint64_t *w, size_t n, int err)
{
	struct capnp_msg m;
	struct capnp_struct s;

	msg_words(&m, w, n);
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_msg_error(&m), err);
	/* A failed read is a null struct: nothing of it is exposed. */
	assert_null(s.data);
	assert_int_equal(s.data_bytes, 0);
	assert_int_equal(s.nptrs, 0);
}

static void
test_struct_bounds(void **state)
{
	static const uint64_t too_big[] = {CAPNP_STRUCT_PTR(0, 2, 0), 0};
	static const uint64_t past_end[] = {CAPNP_STRUCT_PTR(5, 1, 0), 0};
	static const uint64_t before_start[] = {CAPNP_STRUCT_PTR(-2, 1, 0)};
	static const uint64_t far_before[] = {
	    CAPNP_STRUCT_PTR(-(1 << 29), 1, 0)};
	static const uint64_t huge[] = {
	    CAPNP_STRUCT_PTR((1 << 29) - 1, 0xffff, 0xffff)};

	(void)state;
	expect_root_error(too_big, NWORDS(too_big), CAPNP_ERR_BOUNDS);
	expect_root_error(past_end, NWORDS(past_end), CAPNP_ERR_BOUNDS);
	expect_root_error(before_start, NWORDS(before_start), CAPNP_ERR_BOUNDS);
	expect_root_error(far_before, NWORDS(far_before), CAPNP_ERR_BOUNDS);
	expect_root_error(huge, NWORDS(huge), CAPNP_ERR_BOUNDS);
}

static void
test_wrong_pointer_kind(void **state)
{
	static const uint64_t list_root[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 0)};
	static const uint64_t other_root[] = {0x0000000500000007ull};
	struct capnp_msg m;

	(void)state;
	expect_root_error(list_root, 1, CAPNP_ERR_TYPE);
	/* A capability pointer where a struct is expected. */
	msg_words(&m, other_root, 1);
	capnp_msg_root(&m);
	assert_int_not_equal(capnp_msg_error(&m), CAPNP_OK);
	/* A struct where a list is expected. */
	msg_words(&m, simple, NWORDS(simple));
	assert_int_equal(capnp_list_len(capnp_ref_list(capnp_msg_root_ref(&m),
	                                               CAPNP_ESIZE_VOID)),
	                 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
}

static void
test_text_checks(void **state)
{
	static const uint64_t no_nul[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 2), 0x6968};
	static const uint64_t empty_list[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 0)};
	static const uint64_t wide[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_2, 1), 0};
	static const uint64_t past[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_BYTE, 9),
	                                0x6968};
	struct capnp_msg m;
	struct capnp_text t;

	(void)state;
	msg_words(&m, no_nul, NWORDS(no_nul));
	t = capnp_ref_text_default(capnp_msg_root_ref(&m), "dflt", 4);
	assert_string_equal(t.str, "dflt");
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TEXT);
	msg_words(&m, empty_list, 1);
	assert_int_equal(capnp_ref_text(capnp_msg_root_ref(&m)).len, 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TEXT);
	msg_words(&m, wide, NWORDS(wide));
	capnp_ref_text(capnp_msg_root_ref(&m));
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
	msg_words(&m, past, NWORDS(past));
	assert_int_equal(capnp_ref_data(capnp_msg_root_ref(&m)).len, 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
}

static void
test_list_bounds(void **state)
{
	static const uint64_t prim[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_4, 3), 0};
	static const uint64_t bits[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_BIT, 65),
	                                0};
	static const uint64_t tag_too_big[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 2),
	    CAPNP_STRUCT_PTR(3, 1, 0), 0, 0};
	static const uint64_t words_past[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 3),
	    CAPNP_STRUCT_PTR(1, 1, 0), 0};
	static const uint64_t tag_not_struct[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 1),
	    CAPNP_LIST_PTR(1, CAPNP_ESIZE_8, 0), 0};
	struct capnp_msg m;
	struct capnp_list l;

	(void)state;
	msg_words(&m, prim, NWORDS(prim));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_4);
	assert_int_equal(capnp_list_len(l), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
	msg_words(&m, bits, NWORDS(bits));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_BIT);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
	msg_words(&m, tag_too_big, NWORDS(tag_too_big));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
	msg_words(&m, words_past, NWORDS(words_past));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
	msg_words(&m, tag_not_struct, NWORDS(tag_not_struct));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
}

static void
test_list_elements(void **state)
{
	static const uint64_t w[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_2, 5),
	    0x0004000300020001ull,
	    0x0000000000000005ull,
	};
	static const uint64_t bits[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_BIT, 10),
	                                0x0281};
	struct capnp_msg m;
	struct capnp_list l;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_2);
	assert_int_equal(capnp_list_len(l), 5);
	assert_int_equal(capnp_elem_u16(l, 0), 1);
	assert_int_equal(capnp_elem_u16(l, 4), 5);
	/* Narrower reads of wider elements see the low bits. */
	assert_int_equal(capnp_elem_u8(l, 3), 4);
	/* Wider than the element: nothing to read. */
	assert_int_equal(capnp_elem_u32(l, 0), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	assert_int_equal(capnp_elem_u16(l, 5), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_RANGE);
	msg_words(&m, bits, NWORDS(bits));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_BIT);
	assert_true(capnp_elem_bool(l, 0));
	assert_false(capnp_elem_bool(l, 1));
	assert_true(capnp_elem_bool(l, 7));
	assert_true(capnp_elem_bool(l, 9));
	assert_false(capnp_elem_bool(l, 8));
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/*
 * The reference's evolution rules: a primitive list reads as a list of
 * one-field structs, a struct list as a list of its first field, a bit
 * list as nothing else.
 */
static void
test_list_upgrades(void **state)
{
	static const uint64_t u32s[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_4, 2),
	                                0x0000000200000001ull};
	static const uint64_t structs[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 4),
	    CAPNP_STRUCT_PTR(2, 1, 1),
	    0x77,
	    CAPNP_LIST_PTR(2, CAPNP_ESIZE_BYTE, 2),
	    0x88,
	    0,
	    0x0061,
	};
	static const uint64_t bits[] = {CAPNP_LIST_PTR(0, CAPNP_ESIZE_BIT, 3),
	                                5};
	struct capnp_msg m;
	struct capnp_list l;
	struct capnp_struct s;

	(void)state;
	msg_words(&m, u32s, NWORDS(u32s));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	s = capnp_elem_struct(l, 1);
	assert_int_equal(s.data_bytes, 4);
	assert_int_equal(capnp_get_u32(s, 0), 2);
	assert_int_equal(capnp_get_u64(s, 0), 0);
	/* A u32 list cannot stand in for a u64 list. */
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_8);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);

	msg_words(&m, structs, NWORDS(structs));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_8);
	assert_int_equal(capnp_list_len(l), 2);
	assert_int_equal(capnp_elem_u64(l, 0), 0x77);
	assert_int_equal(capnp_elem_u64(l, 1), 0x88);
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_POINTER);
	assert_string_equal(capnp_ref_text(capnp_elem(l, 0)).str, "a");
	assert_true(capnp_ref_is_null(capnp_elem(l, 1)));
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);

	msg_words(&m, bits, NWORDS(bits));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_BYTE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
	msg_words(&m, bits, NWORDS(bits));
	capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
}

static void
test_far_single(void **state)
{
	static const uint64_t seg0[] = {CAPNP_FAR_PTR(false, 1, 1)};
	static const uint64_t seg1[] = {0, CAPNP_STRUCT_PTR(0, 1, 0), 99};
	struct capnp_msg m;

	(void)state;
	msg_two(&m, seg0, 1, seg1, 3);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 99);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
test_far_double(void **state)
{
	/* Pad in segment 1, content at the start of segment 0 word 1. */
	static const uint64_t seg0[] = {CAPNP_FAR_PTR(true, 0, 1), 1234};
	static const uint64_t seg1[] = {CAPNP_FAR_PTR(false, 1, 0),
	                                CAPNP_STRUCT_PTR(0, 1, 0)};
	struct capnp_msg m;

	(void)state;
	msg_two(&m, seg0, 2, seg1, 2);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 1234);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

static void
expect_two_seg_error(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                     int err)
{
	struct capnp_msg m;

	msg_two(&m, a, na, b, nb);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_error(&m), err);
}

static void
test_far_errors(void **state)
{
	static const uint64_t bad_seg[] = {CAPNP_FAR_PTR(false, 0, 2)};
	static const uint64_t pad_past[] = {CAPNP_FAR_PTR(false, 3, 1)};
	static const uint64_t dpad_past[] = {CAPNP_FAR_PTR(true, 1, 1)};
	static const uint64_t to_pad0[] = {CAPNP_FAR_PTR(false, 0, 1)};
	static const uint64_t to_dpad0[] = {CAPNP_FAR_PTR(true, 0, 1)};
	static const uint64_t huge_pad[] = {
	    CAPNP_FAR_PTR(false, 0x1fffffff, 1)};
	static const uint64_t pad_far[] = {CAPNP_FAR_PTR(false, 0, 0), 0};
	static const uint64_t dpad_not_far[] = {CAPNP_STRUCT_PTR(0, 1, 0),
	                                        CAPNP_STRUCT_PTR(0, 1, 0)};
	static const uint64_t dpad_double[] = {CAPNP_FAR_PTR(true, 0, 0),
	                                       CAPNP_STRUCT_PTR(0, 1, 0)};
	static const uint64_t dpad_bad_seg[] = {CAPNP_FAR_PTR(false, 0, 7),
	                                        CAPNP_STRUCT_PTR(0, 1, 0)};
	static const uint64_t dpad_past_content[] = {CAPNP_FAR_PTR(false, 2, 1),
	                                             CAPNP_STRUCT_PTR(0, 1, 0)};
	static const uint64_t three[] = {0, 0, 0};

	(void)state;
	expect_two_seg_error(bad_seg, 1, three, 3, CAPNP_ERR_SEGMENT);
	expect_two_seg_error(pad_past, 1, three, 3, CAPNP_ERR_BOUNDS);
	expect_two_seg_error(dpad_past, 1, three, 2, CAPNP_ERR_BOUNDS);
	expect_two_seg_error(huge_pad, 1, three, 3, CAPNP_ERR_BOUNDS);
	/* Landing pad that is itself a far pointer. */
	expect_two_seg_error(to_pad0, 1, pad_far, 2, CAPNP_ERR_FAR);
	/* Double-far pads must be a plain far pointer then a tag. */
	expect_two_seg_error(to_dpad0, 1, dpad_not_far, 2, CAPNP_ERR_FAR);
	expect_two_seg_error(to_dpad0, 1, dpad_double, 2, CAPNP_ERR_FAR);
	expect_two_seg_error(to_dpad0, 1, dpad_bad_seg, 2, CAPNP_ERR_SEGMENT);
	expect_two_seg_error(to_dpad0, 1, dpad_past_content, 2,
	                     CAPNP_ERR_BOUNDS);
}

/*
 * A far pointer whose landing pad is a zero word is not a null pointer:
 * the reference reads the zero word as a pointer to an empty struct, so
 * a struct field reads as an empty struct (not the schema default), and
 * a list or text field is an error.  The same for a double-far tag.
 */
static void
test_far_zero_pad(void **state)
{
	static const uint64_t def_words[] = {CAPNP_STRUCT_PTR(0, 1, 0), 4321};
	static const struct capnp_seg def = {(const uint8_t *)def_words, 2};
	static const uint64_t seg0[] = {CAPNP_STRUCT_PTR(0, 0, 2),
	                                CAPNP_FAR_PTR(false, 0, 1),
	                                CAPNP_FAR_PTR(true, 1, 1)};
	/* word 0: the zero pad; words 1-2: a double-far pad to segment 0
	 * word 0 with a zero tag. */
	static const uint64_t seg1[] = {0, CAPNP_FAR_PTR(false, 0, 0), 0};
	struct capnp_msg m;
	struct capnp_struct root, s;
	struct capnp_ptr p;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		msg_two(&m, seg0, NWORDS(seg0), seg1, NWORDS(seg1));
		root = capnp_msg_root(&m);
		assert_false(capnp_ref_is_null(capnp_field(root, i)));
		s = capnp_ref_struct_default(capnp_field(root, i), &def);
		assert_non_null(s.msg);
		assert_int_equal(s.data_bytes, 0);
		assert_int_equal(s.nptrs, 0);
		assert_int_equal(capnp_get_u64(s, 0), 0);
		p = capnp_ref_any(capnp_field(root, i));
		assert_int_equal(p.type, CAPNP_PTR_STRUCT);
		assert_int_equal(p.u.s.data_bytes, 0);
		assert_int_equal(capnp_msg_error(&m), CAPNP_OK);

		capnp_ref_list(capnp_field(root, i), CAPNP_ESIZE_4);
		assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
		msg_two(&m, seg0, NWORDS(seg0), seg1, NWORDS(seg1));
		root = capnp_msg_root(&m);
		assert_int_equal(capnp_ref_text(capnp_field(root, i)).len, 0);
		assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
	}
}

/* A far pointer in a one-segment message may name segment 0 only. */
static void
test_far_single_segment(void **state)
{
	static const uint64_t ok[] = {CAPNP_FAR_PTR(false, 1, 0),
	                              CAPNP_STRUCT_PTR(0, 1, 0), 5};
	static const uint64_t bad[] = {CAPNP_FAR_PTR(false, 1, 1),
	                               CAPNP_STRUCT_PTR(0, 1, 0), 5};

	(void)state;
	struct capnp_msg m;

	msg_words(&m, ok, NWORDS(ok));
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 5);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	expect_root_error(bad, NWORDS(bad), CAPNP_ERR_SEGMENT);
}

/* Follows pointer 0 of each struct down; returns the depth reached. */
static int
chase(struct capnp_msg *m, int max)
{
	struct capnp_struct s = capnp_msg_root(m);
	int depth = 0;

	while (depth < max && capnp_msg_error(m) == CAPNP_OK && s.nptrs > 0) {
		s = capnp_ref_struct(capnp_field(s, 0));
		depth++;
	}
	return depth;
}

static void
test_cycle_hits_nesting_limit(void **state)
{
	/* The struct's only pointer points at the struct itself. */
	static const uint64_t w[] = {CAPNP_STRUCT_PTR(0, 0, 1),
	                             CAPNP_STRUCT_PTR(-1, 0, 1)};
	struct capnp_msg m;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	assert_true(chase(&m, 100000) <= CAPNP_DEFAULT_NESTING);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_NESTING);

	/* With nesting out of the way, the traversal limit stops it. */
	msg_words(&m, w, NWORDS(w));
	capnp_msg_set_limits(&m, 1000, INT16_MAX);
	assert_true(chase(&m, 100000) <= 1000);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_LIMIT);
}

/* A generic walk of everything reachable; returns objects visited. */
static long
walk(struct capnp_ptr p)
{
	long n = 1;
	uint32_t i;

	if (p.type == CAPNP_PTR_STRUCT) {
		for (i = 0; i < p.u.s.nptrs; i++)
			n += walk(capnp_ref_any(capnp_field(p.u.s, i)));
	} else if (p.type == CAPNP_PTR_LIST) {
		for (i = 0; i < p.u.l.len; i++) {
			if (p.u.l.nptrs > 0)
				n += walk(capnp_ref_any(capnp_elem(p.u.l, i)));
			else if (p.u.l.esize == CAPNP_ESIZE_VOID && i > 8)
				break;
		}
	}
	return n;
}

static void
test_cyclic_list(void **state)
{
	/* A list of two pointers, each pointing back at the list. */
	static const uint64_t w[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_POINTER, 2),
	    CAPNP_LIST_PTR(-2, CAPNP_ESIZE_POINTER, 2),
	    CAPNP_LIST_PTR(-3, CAPNP_ESIZE_POINTER, 2),
	};
	struct capnp_msg m;
	long n;

	(void)state;
	/* Binary fan-out: nesting alone would allow 2^64 visits. */
	msg_words(&m, w, NWORDS(w));
	capnp_msg_set_limits(&m, 4096, 64);
	n = walk(capnp_ref_any(capnp_msg_root_ref(&m)));
	/* At most 2048 lists of 2 words fit the budget, 2 visits each. */
	assert_true(n <= 2 * 2048 + 1);
	assert_int_equal(m.budget, 0);
	/* The walk went 64 deep first, so nesting was the first error. */
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_NESTING);
}

/* Zero-sized elements are charged a word each, as in the reference. */
static void
test_amplification(void **state)
{
	static const uint64_t voids[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_VOID, CAPNP_MAX_LIST_ELEMENTS)};
	static const uint64_t empties[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_COMPOSITE, 0),
	    CAPNP_STRUCT_PTR((1 << 29) - 1, 0, 0)};
	static const uint64_t few[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_VOID, 100)};
	struct capnp_msg m;
	struct capnp_list l;

	(void)state;
	msg_words(&m, voids, 1);
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_VOID);
	assert_int_equal(capnp_list_len(l), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_LIMIT);

	msg_words(&m, empties, NWORDS(empties));
	l = capnp_ref_list(capnp_msg_root_ref(&m), CAPNP_ESIZE_COMPOSITE);
	assert_int_equal(capnp_list_len(l), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_LIMIT);

	msg_words(&m, few, 1);
	capnp_msg_set_limits(&m, 250, 64);
	assert_int_equal(capnp_list_len(capnp_ref_list(capnp_msg_root_ref(&m),
	                                               CAPNP_ESIZE_VOID)),
	                 100);
	assert_int_equal(capnp_list_len(capnp_ref_list(capnp_msg_root_ref(&m),
	                                               CAPNP_ESIZE_VOID)),
	                 100);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	/* The third read of the same list goes over 250 words. */
	assert_int_equal(capnp_list_len(capnp_ref_list(capnp_msg_root_ref(&m),
	                                               CAPNP_ESIZE_VOID)),
	                 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_LIMIT);
}

/* Struct reads charge data plus pointer words, every time. */
static void
test_traversal_counting(void **state)
{
	struct capnp_msg m;

	(void)state;
	msg_words(&m, simple, NWORDS(simple));
	capnp_msg_set_limits(&m, 2 + 1 + 2, 64);
	capnp_msg_root(&m);
	capnp_ref_text(capnp_field(capnp_msg_root(&m), 0));
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_LIMIT);
}

static void
test_nesting_exact(void **state)
{
	/* A chain root -> s1 -> s2 -> s3, each {ptr}. */
	static const uint64_t w[] = {
	    CAPNP_STRUCT_PTR(0, 0, 1), CAPNP_STRUCT_PTR(0, 0, 1),
	    CAPNP_STRUCT_PTR(0, 0, 1), CAPNP_STRUCT_PTR(0, 1, 0), 77};
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	capnp_msg_set_limits(&m, 1000, 4);
	s = capnp_msg_root(&m);
	s = capnp_ref_struct(capnp_field(s, 0));
	s = capnp_ref_struct(capnp_field(s, 0));
	s = capnp_ref_struct(capnp_field(s, 0));
	assert_int_equal(capnp_get_u64(s, 0), 77);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);

	msg_words(&m, w, NWORDS(w));
	capnp_msg_set_limits(&m, 1000, 3);
	s = capnp_msg_root(&m);
	s = capnp_ref_struct(capnp_field(s, 0));
	s = capnp_ref_struct(capnp_field(s, 0));
	s = capnp_ref_struct(capnp_field(s, 0));
	assert_int_equal(capnp_get_u64(s, 0), 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_NESTING);
}

static void
test_capabilities(void **state)
{
	static const uint64_t w[] = {
	    CAPNP_STRUCT_PTR(0, 0, 3),
	    CAPNP_CAP_PTR(5),
	    0x0000000500000007ull, /* "other" with reserved bits set */
	    CAPNP_STRUCT_PTR(-1, 0, 0),
	};
	struct capnp_msg m;
	struct capnp_struct s;
	struct capnp_ptr p;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_ref_cap(capnp_field(s, 0)), 5);
	p = capnp_ref_any(capnp_field(s, 0));
	assert_int_equal(p.type, CAPNP_PTR_CAP);
	assert_int_equal(p.u.cap, 5);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	assert_null(capnp_ref_struct(capnp_field(s, 0)).data);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);

	msg_words(&m, w, NWORDS(w));
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_ref_cap(capnp_field(s, 1)), CAPNP_NO_CAP);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_POINTER);

	msg_words(&m, w, NWORDS(w));
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_ref_cap(capnp_field(s, 2)), CAPNP_NO_CAP);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_TYPE);
}

static void
test_defaults(void **state)
{
	static const uint64_t def_words[] = {CAPNP_STRUCT_PTR(0, 1, 0), 4321};
	static const struct capnp_seg def = {(const uint8_t *)def_words, 2};
	static const uint64_t w[] = {CAPNP_STRUCT_PTR(0, 1, 2), 1,
	                             CAPNP_STRUCT_PTR(9, 1, 0), 0};
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	s = capnp_msg_root(&m);
	/* Null pointer: the default, and no error. */
	assert_int_equal(
	    capnp_get_u64(capnp_ref_struct_default(capnp_field(s, 1), &def), 0),
	    4321);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	/* An invalid pointer also yields the default, with the error. */
	assert_int_equal(
	    capnp_get_u64(capnp_ref_struct_default(capnp_field(s, 0), &def), 0),
	    4321);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_BOUNDS);
}

/* Schema defaults are not words of the message: reading them, however
 * often, costs the message's traversal budget nothing. */
static void
test_defaults_not_charged(void **state)
{
	static const uint64_t def_words[] = {
	    CAPNP_STRUCT_PTR(0, 2, 1),
	    1,
	    2,
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_8, 4),
	    5,
	    6,
	    7,
	    8};
	static const struct capnp_seg def = {(const uint8_t *)def_words, 8};
	static const uint64_t def_list_words[] = {
	    CAPNP_LIST_PTR(0, CAPNP_ESIZE_8, 3), 1, 2, 3};
	static const struct capnp_seg def_list = {
	    (const uint8_t *)def_list_words, 4};
	static const uint64_t w[] = {CAPNP_STRUCT_PTR(0, 0, 1), 0};
	struct capnp_msg m;
	struct capnp_struct root, s;
	struct capnp_list l;
	int i;

	(void)state;
	msg_words(&m, w, NWORDS(w));
	/* Exactly the root struct's one word. */
	capnp_msg_set_limits(&m, 1, 8);
	root = capnp_msg_root(&m);
	for (i = 0; i < 100; i++) {
		s = capnp_ref_struct_default(capnp_field(root, 0), &def);
		assert_null(s.msg);
		assert_int_equal(capnp_get_u64(s, 8), 2);
		l = capnp_ref_list(capnp_field(s, 0), CAPNP_ESIZE_8);
		assert_int_equal(capnp_elem_u64(l, 3), 8);
		l = capnp_ref_list_default(capnp_field(root, 0), CAPNP_ESIZE_8,
		                           &def_list);
		assert_int_equal(capnp_elem_u64(l, 2), 3);
	}
	assert_int_equal(m.budget, 0);
	assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
}

/* Readers never assume alignment: the segment may start anywhere. */
static void
test_unaligned(void **state)
{
	static uint8_t buf[sizeof(simple) + 1];
	struct capnp_msg m;
	struct capnp_struct s;

	(void)state;
	memcpy(buf + 1, simple, sizeof(simple));
	assert_int_equal(capnp_msg_init_segment(&m, buf + 1, sizeof(simple)),
	                 CAPNP_OK);
	s = capnp_msg_root(&m);
	assert_int_equal(capnp_get_u32(s, 0), 0x11223344);
	assert_string_equal(capnp_ref_text(capnp_field(s, 0)).str, "hi");
	assert_int_equal(capnp_msg_init_segment(&m, buf, 7), CAPNP_ERR_FRAME);
	assert_null(capnp_msg_root(&m).data);
}

static void
test_segment_table(void **state)
{
	static const uint64_t w[] = {CAPNP_STRUCT_PTR(0, 1, 0), 9};
	static const uint64_t empty_root[] = {0};
	static struct capnp_seg segs[CAPNP_MAX_SEGMENTS + 1] = {
	    {(const uint8_t *)w, 2}};
	static const struct capnp_seg no_root[2] = {
	    {(const uint8_t *)empty_root, 0}, {(const uint8_t *)w, 2}};
	struct capnp_msg m;

	(void)state;
	assert_int_equal(capnp_msg_init_segments(&m, no_root, 2),
	                 CAPNP_ERR_ROOT);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_init_segments(&m, segs, 0),
	                 CAPNP_ERR_SEGMENTS);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(
	    capnp_msg_init_segments(&m, segs, CAPNP_MAX_SEGMENTS + 1),
	    CAPNP_ERR_SEGMENTS);
	assert_int_equal(capnp_msg_init_segments(&m, segs, CAPNP_MAX_SEGMENTS),
	                 CAPNP_OK);
	assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0), 9);
}

/* 512 segments from the caller's table: the ones past the inline table
 * are read from the caller's, which stays in use. */
static void
test_many_segments(void **state)
{
	static uint64_t words[CAPNP_MAX_SEGMENTS][2];
	static struct capnp_seg segs[CAPNP_MAX_SEGMENTS];
	static const uint32_t ids[] = {1, 31, 32, 33, 100, 300, 511};
	struct capnp_msg m;
	uint32_t i, k;

	(void)state;
	for (i = 0; i < CAPNP_MAX_SEGMENTS; i++) {
		words[i][0] = CAPNP_STRUCT_PTR(0, 1, 0);
		words[i][1] = 1000 + i;
		segs[i].base = (const uint8_t *)words[i];
		segs[i].words = 2;
	}
	for (k = 0; k < NWORDS(ids); k++) {
		words[0][0] = CAPNP_FAR_PTR(false, 0, ids[k]);
		assert_int_equal(
		    capnp_msg_init_segments(&m, segs, CAPNP_MAX_SEGMENTS),
		    CAPNP_OK);
		assert_int_equal(capnp_get_u64(capnp_msg_root(&m), 0),
		                 1000 + ids[k]);
		assert_int_equal(capnp_msg_error(&m), CAPNP_OK);
	}
	/* One segment fewer: segment 511 is unknown. */
	assert_int_equal(
	    capnp_msg_init_segments(&m, segs, CAPNP_MAX_SEGMENTS - 1),
	    CAPNP_OK);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_SEGMENT);
	/* An empty segment is unknown too, as in the reference. */
	segs[511].words = 0;
	assert_int_equal(capnp_msg_init_segments(&m, segs, CAPNP_MAX_SEGMENTS),
	                 CAPNP_OK);
	assert_null(capnp_msg_root(&m).data);
	assert_int_equal(capnp_msg_error(&m), CAPNP_ERR_SEGMENT);
}

static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(capnp_strerror(CAPNP_OK), "ok");
	assert_string_equal(capnp_strerror(CAPNP_ERR_LIMIT),
	                    "traversal limit exceeded");
	assert_string_equal(capnp_strerror(CAPNP_ERR_ROOT),
	                    "message has no root pointer");
	assert_string_equal(capnp_strerror(12345), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_struct_fields),
	    cmocka_unit_test(test_fields_beyond_sections),
	    cmocka_unit_test(test_null_and_empty),
	    cmocka_unit_test(test_negative_offset),
	    cmocka_unit_test(test_struct_bounds),
	    cmocka_unit_test(test_wrong_pointer_kind),
	    cmocka_unit_test(test_text_checks),
	    cmocka_unit_test(test_list_bounds),
	    cmocka_unit_test(test_list_elements),
	    cmocka_unit_test(test_list_upgrades),
	    cmocka_unit_test(test_far_single),
	    cmocka_unit_test(test_far_double),
	    cmocka_unit_test(test_far_errors),
	    cmocka_unit_test(test_far_zero_pad),
	    cmocka_unit_test(test_far_single_segment),
	    cmocka_unit_test(test_cycle_hits_nesting_limit),
	    cmocka_unit_test(test_cyclic_list),
	    cmocka_unit_test(test_amplification),
	    cmocka_unit_test(test_traversal_counting),
	    cmocka_unit_test(test_nesting_exact),
	    cmocka_unit_test(test_capabilities),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_defaults_not_charged),
	    cmocka_unit_test(test_unaligned),
	    cmocka_unit_test(test_segment_table),
	    cmocka_unit_test(test_many_segments),
	    cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("capnp-read", tests, NULL, NULL);
}
