/*
 * Host tests for lib/smp/cpus: which MADT CPUs the boot CPU starts (the
 * boot CPU itself skipped wherever it is listed, duplicates once, the
 * MAX_CPUS and cpus= limits counting the boot CPU) and the cpus= parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "smp/cpus.h"

#define MAXC 16

static void
test_all_but_boot(void **state)
{
	const uint32_t ids[] = {0, 1, 2, 3};
	uint32_t aps[MAXC - 1];

	(void)state;
	assert_int_equal(smp_choose_aps(ids, 4, 0, MAXC, 0, aps), 3);
	assert_int_equal(aps[0], 1);
	assert_int_equal(aps[1], 2);
	assert_int_equal(aps[2], 3);
}

static void
test_boot_not_first(void **state)
{
	const uint32_t ids[] = {4, 6, 2, 8};
	uint32_t aps[MAXC - 1];

	(void)state;
	/* The boot CPU (id 2) is third in the table. */
	assert_int_equal(smp_choose_aps(ids, 4, 2, MAXC, 0, aps), 3);
	assert_int_equal(aps[0], 4);
	assert_int_equal(aps[1], 6);
	assert_int_equal(aps[2], 8);
}

static void
test_boot_unlisted(void **state)
{
	const uint32_t ids[] = {1, 2};
	uint32_t aps[MAXC - 1];

	(void)state;
	/* A table that forgets the boot CPU: it still counts in cpus=2. */
	assert_int_equal(smp_choose_aps(ids, 2, 0, MAXC, 2, aps), 1);
	assert_int_equal(aps[0], 1);
}

static void
test_duplicates(void **state)
{
	const uint32_t ids[] = {0, 1, 1, 0, 2};
	uint32_t aps[MAXC - 1];

	(void)state;
	assert_int_equal(smp_choose_aps(ids, 5, 0, MAXC, 0, aps), 2);
	assert_int_equal(aps[0], 1);
	assert_int_equal(aps[1], 2);
}

static void
test_limits(void **state)
{
	uint32_t ids[40], aps[MAXC - 1];
	unsigned i;

	(void)state;
	for (i = 0; i < 40; i++)
		ids[i] = i;
	/* MAX_CPUS: the boot CPU and 15 others, never past aps[]. */
	assert_int_equal(smp_choose_aps(ids, 40, 0, MAXC, 0, aps), MAXC - 1);
	assert_int_equal(aps[MAXC - 2], MAXC - 1);
	/* cpus= above MAX_CPUS is MAX_CPUS. */
	assert_int_equal(smp_choose_aps(ids, 40, 0, MAXC, 99, aps), MAXC - 1);
	/* cpus=1: the boot CPU only. */
	assert_int_equal(smp_choose_aps(ids, 40, 0, MAXC, 1, aps), 0);
	assert_int_equal(smp_choose_aps(ids, 40, 5, MAXC, 3, aps), 2);
	assert_int_equal(aps[0], 0);
	assert_int_equal(aps[1], 1);
	/* No table, or only the boot CPU. */
	assert_int_equal(smp_choose_aps(ids, 0, 0, MAXC, 0, aps), 0);
	assert_int_equal(smp_choose_aps(ids, 1, 0, MAXC, 0, aps), 0);
}

static void
test_parse(void **state)
{
	unsigned v = 77;

	(void)state;
	assert_true(smp_parse_cpus("1", &v));
	assert_int_equal(v, 1);
	assert_true(smp_parse_cpus("16", &v));
	assert_int_equal(v, 16);
	v = 77;
	assert_false(smp_parse_cpus("0", &v));
	assert_false(smp_parse_cpus("", &v));
	assert_false(smp_parse_cpus(NULL, &v));
	assert_false(smp_parse_cpus("2x", &v));
	assert_false(smp_parse_cpus("-1", &v));
	assert_false(smp_parse_cpus(" 2", &v));
	assert_false(smp_parse_cpus("99999999999999999999", &v));
	assert_int_equal(v, 77);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_but_boot),
	    cmocka_unit_test(test_boot_not_first),
	    cmocka_unit_test(test_boot_unlisted),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
