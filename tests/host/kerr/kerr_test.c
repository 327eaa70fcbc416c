/*
 * The kernel's one error enum and its one mapping to the ABI
 * (kernel/core/kerr.h): every kind reaches a program as a code
 * <capos/errors.h> defines, the ABI's own kinds as themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <capos/errors.h>

#include "core/kerr.h"

/* Every code the ABI defines, success included. */
static const int32_t abi_codes[] = {
    CAPOS_OK,
    CAPOS_E_BAD_OPCODE,
    CAPOS_E_RESERVED_OP,
    CAPOS_E_BAD_FLAGS,
    CAPOS_E_BAD_FIELD,
    CAPOS_E_BAD_CAP,
    CAPOS_E_BAD_BUFFER,
    CAPOS_E_TOO_LONG,
    CAPOS_E_NOT_SUPPORTED,
    CAPOS_E_BAD_XFER,
    CAPOS_E_QUOTA,
    CAPOS_E_BAD_CALL_ID,
    CAPOS_E_DISCONNECTED,
    CAPOS_E_TIMED_OUT,
    CAPOS_E_CANCELLED,
    CAPOS_E_NOSYS,
    CAPOS_E_BAD_ARG,
    CAPOS_E_RING_CORRUPT,
    CAPOS_E_APP_EXCEPTION,
    CAPOS_E_TRUNCATED,
};

/* The kernel's own kinds and what a program sees of each. */
static const struct {
	enum kerr kind;
	int32_t abi;
} kernel_kinds[] = {
    {KERR_NOMEM, CAPOS_E_QUOTA},           {KERR_BAD_ADDR, CAPOS_E_BAD_BUFFER},
    {KERR_NOT_MAPPED, CAPOS_E_BAD_BUFFER}, {KERR_EXISTS, CAPOS_E_BAD_ARG},
    {KERR_BAD_ELF, CAPOS_E_BAD_ARG},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void
test_abi_kinds_are_themselves(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(abi_codes); i++)
		assert_int_equal(kerr_to_abi((enum kerr)abi_codes[i]),
		                 abi_codes[i]);
	/* Spot checks that the names say the same as the numbers. */
	assert_int_equal(KERR_BAD_CAP, CAPOS_E_BAD_CAP);
	assert_int_equal(KERR_EXCEPTION, CAPOS_E_APP_EXCEPTION);
	assert_int_equal(KERR_TRUNCATED, CAPOS_E_TRUNCATED);
}

static void
test_kernel_kinds_map_to_abi_codes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(kernel_kinds); i++) {
		int32_t got = kerr_to_abi(kernel_kinds[i].kind);

		assert_int_equal(got, kernel_kinds[i].abi);
		assert_string_not_equal(capos_error_name(got),
		                        "CAPOS_E_UNKNOWN");
		assert_true(got < 0);
	}
}

/* The kernel's own kinds lie below every ABI code (which grow down from
 * -64 one at a time) and above "completes later" (INT32_MIN), and are
 * distinct. */
static void
test_kernel_kinds_apart(void **state)
{
	size_t i, j;

	(void)state;
	assert_int_equal(KERR_KERNEL_FIRST, KERR_NOMEM);
	for (i = 0; i < COUNT(kernel_kinds); i++) {
		int32_t k = kernel_kinds[i].kind;

		assert_true(k <= KERR_KERNEL_FIRST);
		assert_true(k >= KERR_KERNEL_LAST);
		assert_true(k > INT32_MIN);
		assert_true(k < CAPOS_E_TRUNCATED - 100);
		assert_string_equal(capos_error_name(k), "CAPOS_E_UNKNOWN");
		for (j = 0; j < i; j++)
			assert_int_not_equal(k, kernel_kinds[j].kind);
	}
	/* Every kind between first and last is listed above. */
	assert_int_equal(KERR_KERNEL_FIRST - KERR_KERNEL_LAST + 1,
	                 COUNT(kernel_kinds));
}

static void
test_not_a_kind_is_not_leaked(void **state)
{
	(void)state;
	assert_int_equal(kerr_to_abi((enum kerr) - 500), CAPOS_E_BAD_ARG);
	assert_int_equal(kerr_to_abi((enum kerr)(KERR_KERNEL_LAST - 1)),
	                 CAPOS_E_BAD_ARG);
}

static void
test_result_keeps_counts(void **state)
{
	(void)state;
	assert_int_equal(kerr_result(0), 0);
	assert_int_equal(kerr_result(4096), 4096);
	assert_int_equal(kerr_result(KERR_BAD_CAP), CAPOS_E_BAD_CAP);
	assert_int_equal(kerr_result(KERR_NOMEM), CAPOS_E_QUOTA);
	assert_int_equal(kerr_result(KERR_NOT_MAPPED), CAPOS_E_BAD_BUFFER);
}

static void
test_cap_table_results(void **state)
{
	(void)state;
	assert_int_equal(kerr_from_cap(CAP_OK), KERR_OK);
	assert_int_equal(kerr_from_cap(CAP_E_FORGED), KERR_BAD_CAP);
	assert_int_equal(kerr_from_cap(CAP_E_RANGE), KERR_BAD_CAP);
	assert_int_equal(kerr_from_cap(CAP_E_FREE), KERR_BAD_CAP);
	assert_int_equal(kerr_from_cap(CAP_E_STALE), KERR_BAD_CAP);
	assert_int_equal(kerr_from_cap(CAP_E_RESERVED), KERR_BAD_CAP);
	assert_int_equal(kerr_from_cap(CAP_E_FULL), KERR_QUOTA);
	assert_int_equal(kerr_from_cap(CAP_E_NOT_TRANSFERABLE), KERR_BAD_XFER);
	/* What a program then sees. */
	assert_int_equal(kerr_to_abi(kerr_from_cap(CAP_E_STALE)),
	                 CAPOS_E_BAD_CAP);
	assert_int_equal(kerr_to_abi(kerr_from_cap(CAP_E_FULL)), CAPOS_E_QUOTA);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_abi_kinds_are_themselves),
	    cmocka_unit_test(test_kernel_kinds_map_to_abi_codes),
	    cmocka_unit_test(test_kernel_kinds_apart),
	    cmocka_unit_test(test_not_a_kind_is_not_leaked),
	    cmocka_unit_test(test_result_keeps_counts),
	    cmocka_unit_test(test_cap_table_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
