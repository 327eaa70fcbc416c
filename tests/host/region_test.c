/* Host tests for lib/mm/region.c: the region list of VirtualMemory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/region.h"

#define PG  REGION_PAGE_SIZE
#define CAP 4

static struct region storage[CAP];

static struct region_list
fresh(void)
{
	struct region_list l;

	region_list_init(&l, storage, CAP);
	return l;
}

static int
add(struct region_list *l, uint64_t start, uint64_t end)
{
	struct region r = {start, end, NULL, 0, 0};

	return region_insert(l, &r);
}

static void
test_range_accepts_a_window_range(void **state)
{
	uint64_t end = 0;

	(void)state;
	assert_true(region_range(0x1000, 2, 0x1000, 0x10000, &end));
	assert_int_equal(end, 0x3000);
	/* Exactly to the window's end. */
	assert_true(region_range(0xf000, 1, 0x1000, 0x10000, &end));
	assert_int_equal(end, 0x10000);
}

static void
test_range_refuses_bad_ranges(void **state)
{
	uint64_t end = 0;

	(void)state;
	assert_false(region_range(0x1001, 1, 0x1000, 0x10000, &end));
	assert_false(region_range(0x1000, 0, 0x1000, 0x10000, &end));
	assert_false(region_range(0x0000, 1, 0x1000, 0x10000, &end));
	assert_false(region_range(0x10000, 1, 0x1000, 0x10000, &end));
	assert_false(region_range(0xf000, 2, 0x1000, 0x10000, &end));
	assert_false(region_range(0x1000, 1, 0x10000, 0x1000, &end));
}

static void
test_range_refuses_overflowing_counts(void **state)
{
	uint64_t end = 0;

	(void)state;
	/* pages * 4096 wraps to 0 and to a small number. */
	assert_false(region_range(0x1000, 1ull << 52, 0x1000,
	                          UINT64_MAX & ~0xfffull, &end));
	assert_false(region_range(0x1000, (1ull << 52) + 1, 0x1000,
	                          UINT64_MAX & ~0xfffull, &end));
	assert_false(region_range(0x1000, UINT64_MAX, 0x1000, 0x10000, &end));
	/* addr + size wraps past the top. */
	assert_false(region_range(0xfffffffffffff000ull, 2, 0x1000,
	                          0xfffffffffffff000ull, &end));
}

static void
test_insert_keeps_order_and_finds(void **state)
{
	struct region_list l = fresh();

	(void)state;
	assert_int_equal(add(&l, 5 * PG, 6 * PG), REGION_OK);
	assert_int_equal(add(&l, 1 * PG, 2 * PG), REGION_OK);
	assert_int_equal(add(&l, 3 * PG, 4 * PG), REGION_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.r[0].start, 1 * PG);
	assert_int_equal(l.r[1].start, 3 * PG);
	assert_int_equal(l.r[2].start, 5 * PG);
	assert_ptr_equal(region_find(&l, 3 * PG + 7), &l.r[1]);
	assert_null(region_find(&l, 2 * PG));
	assert_null(region_find(&l, 6 * PG));
	assert_null(region_find(&l, 0));
}

static void
test_insert_refuses_overlap_full_and_bad(void **state)
{
	struct region_list l = fresh();

	(void)state;
	assert_int_equal(add(&l, 2 * PG, 4 * PG), REGION_OK);
	assert_int_equal(add(&l, 3 * PG, 5 * PG), REGION_E_OVERLAP);
	assert_int_equal(add(&l, 1 * PG, 3 * PG), REGION_E_OVERLAP);
	assert_int_equal(add(&l, 1 * PG, 9 * PG), REGION_E_OVERLAP);
	assert_int_equal(add(&l, 2 * PG, 4 * PG), REGION_E_OVERLAP);
	assert_int_equal(add(&l, 4 * PG, 4 * PG), REGION_E_RANGE);
	assert_int_equal(add(&l, 4 * PG + 1, 5 * PG), REGION_E_RANGE);
	/* Touching neighbours are fine. */
	assert_int_equal(add(&l, 1 * PG, 2 * PG), REGION_OK);
	assert_int_equal(add(&l, 4 * PG, 5 * PG), REGION_OK);
	assert_int_equal(add(&l, 7 * PG, 8 * PG), REGION_OK);
	assert_int_equal(add(&l, 9 * PG, 10 * PG), REGION_E_FULL);
	assert_int_equal(l.n, CAP);
}

static void
test_within_and_overlaps(void **state)
{
	struct region_list l = fresh();

	(void)state;
	assert_int_equal(add(&l, 2 * PG, 6 * PG), REGION_OK);
	assert_non_null(region_within(&l, 2 * PG, 6 * PG));
	assert_non_null(region_within(&l, 3 * PG, 4 * PG));
	assert_null(region_within(&l, 3 * PG, 7 * PG));
	assert_null(region_within(&l, 1 * PG, 3 * PG));
	assert_true(region_overlaps(&l, 5 * PG, 9 * PG));
	assert_true(region_overlaps(&l, 0, 3 * PG));
	assert_false(region_overlaps(&l, 6 * PG, 9 * PG));
	assert_false(region_overlaps(&l, 0, 2 * PG));
}

static void
test_remove_at(void **state)
{
	struct region_list l = fresh();

	(void)state;
	add(&l, 1 * PG, 2 * PG);
	add(&l, 3 * PG, 4 * PG);
	add(&l, 5 * PG, 6 * PG);
	region_remove_at(&l, 1);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.r[1].start, 5 * PG);
	region_remove_at(&l, 7); /* out of range: nothing */
	assert_int_equal(l.n, 2);
	assert_int_equal(add(&l, 3 * PG, 5 * PG), REGION_OK);
}

static void
test_find_free_first_fit(void **state)
{
	struct region_list l = fresh();
	uint64_t at = 0;

	(void)state;
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 2 * PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 1 * PG);
	add(&l, 1 * PG, 2 * PG);
	add(&l, 3 * PG, 5 * PG);
	/* The one-page hole at 2 is too small for two pages. */
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 2 * PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 5 * PG);
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 2 * PG);
	/* Exactly what is left at the top of the window. */
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 5 * PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 5 * PG);
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 6 * PG, &at),
	                 REGION_E_NOSPACE);
	/* A region straddling the window's start. */
	assert_int_equal(region_find_free(&l, 4 * PG, 10 * PG, PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 5 * PG);
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 0, &at),
	                 REGION_E_RANGE);
	assert_int_equal(region_find_free(&l, 1 * PG, 10 * PG, 100, &at),
	                 REGION_E_RANGE);
}

static void
test_find_free_full_window(void **state)
{
	struct region_list l = fresh();
	uint64_t at = 0;

	(void)state;
	add(&l, 1 * PG, 4 * PG);
	add(&l, 4 * PG, 8 * PG);
	assert_int_equal(region_find_free(&l, 1 * PG, 8 * PG, PG, &at),
	                 REGION_E_NOSPACE);
	/* Regions past the window do not make room in it. */
	assert_int_equal(region_find_free(&l, 1 * PG, 9 * PG, PG, &at),
	                 REGION_OK);
	assert_int_equal(at, 8 * PG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_range_accepts_a_window_range),
	    cmocka_unit_test(test_range_refuses_bad_ranges),
	    cmocka_unit_test(test_range_refuses_overflowing_counts),
	    cmocka_unit_test(test_insert_keeps_order_and_finds),
	    cmocka_unit_test(test_insert_refuses_overlap_full_and_bad),
	    cmocka_unit_test(test_within_and_overlaps),
	    cmocka_unit_test(test_remove_at),
	    cmocka_unit_test(test_find_free_first_fit),
	    cmocka_unit_test(test_find_free_full_window),
	};

	return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
