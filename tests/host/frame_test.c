/* Host tests for lib/mm/frame.c: the frame bitmap and its ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/frame.h"

#define NFRAMES 1000 /* not a multiple of 64, on purpose */

static uint64_t bits[(NFRAMES + 63) / 64];

static void
fresh(struct frame_alloc *fa)
{
	frame_init(fa, bits, NFRAMES);
}

static void
test_starts_all_used(void **state)
{
	struct frame_alloc fa;
	uint64_t pfn;

	(void)state;
	fresh(&fa);
	assert_int_equal(fa.free_count, 0);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &pfn),
	                 FRAME_E_NOMEM);
}

static void
test_mark_free_only_whole_frames(void **state)
{
	struct frame_alloc fa;

	(void)state;
	fresh(&fa);
	/* 0x1800..0x5800: frames 2, 3, 4 are whole, 1 and 5 partial. */
	frame_mark_free(&fa, 0x1800, 0x4000);
	assert_int_equal(fa.free_count, 3);
	assert_true(frame_is_used(&fa, 1));
	assert_false(frame_is_used(&fa, 2));
	assert_false(frame_is_used(&fa, 4));
	assert_true(frame_is_used(&fa, 5));
	/* Freeing again changes nothing. */
	frame_mark_free(&fa, 0x1800, 0x4000);
	assert_int_equal(fa.free_count, 3);
}

static void
test_mark_used_touching_frames(void **state)
{
	struct frame_alloc fa;

	(void)state;
	fresh(&fa);
	frame_mark_free(&fa, 0, NFRAMES * FRAME_SIZE);
	assert_int_equal(fa.free_count, NFRAMES);
	frame_mark_used(&fa, 0x2fff, 2); /* touches frames 2 and 3 */
	assert_int_equal(fa.free_count, NFRAMES - 2);
	assert_true(frame_is_used(&fa, 2));
	assert_true(frame_is_used(&fa, 3));
	assert_false(frame_is_used(&fa, 4));
	/* Ranges beyond the end are clipped, not written. */
	frame_mark_used(&fa, (NFRAMES - 1) * FRAME_SIZE, 100 * FRAME_SIZE);
	assert_int_equal(fa.free_count, NFRAMES - 3);
	frame_mark_used(&fa, UINT64_MAX - 10, 100); /* wraps */
	frame_mark_free(&fa, UINT64_MAX - 10, 100);
	assert_int_equal(fa.free_count, NFRAMES - 3);
}

static void
test_alloc_all_then_exhausted(void **state)
{
	struct frame_alloc fa;
	static uint8_t seen[NFRAMES];
	uint64_t pfn;
	int i;

	(void)state;
	fresh(&fa);
	memset(seen, 0, sizeof(seen));
	frame_mark_free(&fa, 0, NFRAMES * FRAME_SIZE);
	for (i = 0; i < NFRAMES; i++) {
		assert_int_equal(frame_alloc_one(&fa, FRAME_USER, &pfn),
		                 FRAME_OK);
		assert_true(pfn < NFRAMES);
		assert_int_equal(seen[pfn], 0);
		seen[pfn] = 1;
	}
	assert_int_equal(frame_alloc_one(&fa, FRAME_USER, &pfn), FRAME_E_NOMEM);
	assert_int_equal(fa.ledger[FRAME_USER], NFRAMES);
	assert_int_equal(frame_outstanding(&fa), NFRAMES);
}

static void
test_ledger_tracks_kinds(void **state)
{
	struct frame_alloc fa;
	uint64_t a, b, c;

	(void)state;
	fresh(&fa);
	frame_mark_free(&fa, 0, 64 * FRAME_SIZE);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &a), FRAME_OK);
	assert_int_equal(frame_alloc_one(&fa, FRAME_PAGETABLE, &b), FRAME_OK);
	assert_int_equal(frame_alloc_one(&fa, FRAME_PAGETABLE, &c), FRAME_OK);
	assert_int_equal(fa.ledger[FRAME_KERNEL], 1);
	assert_int_equal(fa.ledger[FRAME_PAGETABLE], 2);
	assert_int_equal(frame_outstanding(&fa), 3);
	/* Freeing under a kind that holds nothing is caught. */
	assert_int_equal(frame_free_one(&fa, FRAME_USER, a), FRAME_E_LEDGER);
	assert_true(frame_is_used(&fa, a));
	assert_int_equal(frame_free_one(&fa, FRAME_KERNEL, a), FRAME_OK);
	assert_int_equal(frame_free_one(&fa, FRAME_PAGETABLE, b), FRAME_OK);
	assert_int_equal(frame_free_one(&fa, FRAME_PAGETABLE, c), FRAME_OK);
	assert_int_equal(frame_outstanding(&fa), 0);
	assert_int_equal(fa.free_count, 64);
}

static void
test_double_free_and_range(void **state)
{
	struct frame_alloc fa;
	uint64_t a;

	(void)state;
	fresh(&fa);
	frame_mark_free(&fa, 0, 8 * FRAME_SIZE);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &a), FRAME_OK);
	assert_int_equal(frame_free_one(&fa, FRAME_KERNEL, a), FRAME_OK);
	assert_int_equal(frame_free_one(&fa, FRAME_KERNEL, a),
	                 FRAME_E_DOUBLE_FREE);
	assert_int_equal(frame_free_one(&fa, FRAME_KERNEL, NFRAMES),
	                 FRAME_E_RANGE);
	assert_int_equal(frame_free_one(&fa, FRAME_KIND_COUNT, a),
	                 FRAME_E_KIND);
	assert_int_equal(fa.free_count, 8);
}

static void
test_reuse_after_free(void **state)
{
	struct frame_alloc fa;
	uint64_t a, b;

	(void)state;
	fresh(&fa);
	frame_mark_free(&fa, 5 * FRAME_SIZE, FRAME_SIZE);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &a), FRAME_OK);
	assert_int_equal(a, 5);
	assert_int_equal(frame_free_one(&fa, FRAME_KERNEL, a), FRAME_OK);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &b), FRAME_OK);
	assert_int_equal(b, 5);
}

static void
test_tail_bits_never_handed_out(void **state)
{
	struct frame_alloc fa;
	uint64_t pfn;

	(void)state;
	fresh(&fa);
	/* Free the last partial word only; bits past NFRAMES must stay. */
	frame_mark_free(&fa, (NFRAMES - 2) * FRAME_SIZE, 100 * FRAME_SIZE);
	assert_int_equal(fa.free_count, 2);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &pfn), FRAME_OK);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &pfn), FRAME_OK);
	assert_int_equal(frame_alloc_one(&fa, FRAME_KERNEL, &pfn),
	                 FRAME_E_NOMEM);
}

/* Marking a word at a time (lib/mm/frame.c) matches a frame-by-frame
 * model, for ranges starting and ending anywhere within or across
 * words, overlapping ranges already in either state. */
static void
test_mark_ranges_match_model(void **state)
{
	struct frame_alloc fa;
	bool model[NFRAMES];
	uint64_t seed = 12345, nfree = 0;
	int i, f;

	(void)state;
	fresh(&fa);
	memset(model, 0, sizeof(model)); /* false: used */
	for (i = 0; i < 2000; i++) {
		uint64_t first, n;
		bool to_free;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		first = (seed >> 33) % NFRAMES;
		n = (seed >> 13) % (i % 3 == 0 ? 300 : 70);
		to_free = (seed >> 7) & 1;
		if (to_free)
			frame_mark_free(&fa, first * FRAME_SIZE,
			                n * FRAME_SIZE);
		else
			frame_mark_used(&fa, first * FRAME_SIZE,
			                n * FRAME_SIZE);
		for (f = (int)first; f < (int)(first + n) && f < NFRAMES; f++)
			model[f] = to_free;
	}
	for (f = 0; f < NFRAMES; f++) {
		bool used = (bits[f / 64] >> (f % 64)) & 1;

		assert_int_equal(used, !model[f]);
		nfree += model[f];
	}
	assert_int_equal(fa.free_count, nfree);
	/* The tail bits past NFRAMES stay set. */
	assert_int_equal(bits[NFRAMES / 64] >> (NFRAMES % 64),
	                 ~0ull >> (NFRAMES % 64));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_starts_all_used),
	    cmocka_unit_test(test_mark_free_only_whole_frames),
	    cmocka_unit_test(test_mark_used_touching_frames),
	    cmocka_unit_test(test_alloc_all_then_exhausted),
	    cmocka_unit_test(test_ledger_tracks_kinds),
	    cmocka_unit_test(test_double_free_and_range),
	    cmocka_unit_test(test_reuse_after_free),
	    cmocka_unit_test(test_tail_bits_never_handed_out),
	    cmocka_unit_test(test_mark_ranges_match_model),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
