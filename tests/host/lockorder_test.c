/*
 * Host tests for lib/lockorder: the orders docs/smp.md allows (down the
 * rank table, same rank in address order, trylocks out of order) and the
 * ones it refuses (up the table, same rank backwards, a lock taken twice,
 * releases out of order or of locks not held, a stack overflow), each
 * refusal leaving the stack as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder/lockorder.h"

/* Stand-ins for locks: only their addresses matter, in array order. */
static char locks[LOCKORDER_DEPTH + 2];

#define L(i) ((const void *)&locks[i])

static void
test_empty(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_null(lockorder_top(&s));
	assert_int_equal(lockorder_check(&s, L(0), 7), LOCKORDER_OK);
	assert_int_equal(lockorder_check(&s, L(0), 1), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(0)), LOCKORDER_NOT_HELD);
	assert_int_equal(s.depth, 0);
}

/* proc -> aspace -> ep -> obj -> rq -> pmm -> log, released backwards. */
static void
test_down_the_table(void **state)
{
	struct lockorder s = {0};
	uint32_t r;

	(void)state;
	for (r = 1; r <= 7; r++)
		assert_int_equal(lockorder_acquire(&s, L(r), r, "x"),
		                 LOCKORDER_OK);
	assert_int_equal(s.depth, 7);
	assert_ptr_equal(lockorder_top(&s)->lock, L(7));
	assert_int_equal(lockorder_top(&s)->rank, 7);
	for (r = 7; r >= 1; r--)
		assert_int_equal(lockorder_release(&s, L(r)), LOCKORDER_OK);
	assert_int_equal(s.depth, 0);
	assert_null(lockorder_top(&s));
}

/* Skipping ranks is fine: proc then rq then log. */
static void
test_skip_ranks(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(5), 1, "proc"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(0), 5, "rq"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(3), 7, "log"), LOCKORDER_OK);
	assert_string_equal(lockorder_top(&s)->name, "log");
}

static void
test_up_the_table_refused(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(0), 3, "ep"), LOCKORDER_OK);
	/* An outer lock after an inner one: the classic ABBA half. */
	assert_int_equal(lockorder_acquire(&s, L(1), 1, "proc"),
	                 LOCKORDER_RANK);
	assert_int_equal(lockorder_acquire(&s, L(1), 2, "aspace"),
	                 LOCKORDER_RANK);
	assert_int_equal(s.depth, 1);
	assert_string_equal(lockorder_top(&s)->name, "ep");
	/* Below it is still allowed after the refusals. */
	assert_int_equal(lockorder_acquire(&s, L(1), 4, "obj"), LOCKORDER_OK);
}

/* Two `proc` locks (a transfer): lower address first. */
static void
test_same_rank_address_order(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(2), 1, "a"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(4), 1, "b"), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(4)), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(2)), LOCKORDER_OK);

	assert_int_equal(lockorder_acquire(&s, L(4), 1, "b"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(2), 1, "a"),
	                 LOCKORDER_ADDRESS);
	assert_int_equal(s.depth, 1);
}

static void
test_taken_twice(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(1), 2, "as"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(1), 2, "as"), LOCKORDER_HELD);
	/* Deeper in the stack too, even by a lock claiming another rank. */
	assert_int_equal(lockorder_acquire(&s, L(2), 6, "pmm"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(1), 7, "as"), LOCKORDER_HELD);
	assert_int_equal(s.depth, 2);
}

static void
test_release_rules(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(0), 1, "proc"), LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(1), 3, "ep"), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(0)), LOCKORDER_NOT_TOP);
	assert_int_equal(lockorder_release(&s, L(5)), LOCKORDER_NOT_HELD);
	assert_int_equal(s.depth, 2);
	assert_int_equal(lockorder_release(&s, L(1)), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(1)), LOCKORDER_NOT_HELD);
	assert_int_equal(lockorder_release(&s, L(0)), LOCKORDER_OK);
	assert_int_equal(s.depth, 0);
}

/* A trylock skips the order check but not the stack. */
static void
test_trylock_push(void **state)
{
	struct lockorder s = {0};

	(void)state;
	assert_int_equal(lockorder_acquire(&s, L(3), 5, "rq3"), LOCKORDER_OK);
	assert_int_equal(lockorder_push(&s, L(1), 5, "rq1"), LOCKORDER_OK);
	assert_int_equal(lockorder_push(&s, L(1), 5, "rq1"), LOCKORDER_HELD);
	assert_ptr_equal(lockorder_top(&s)->lock, L(1));
	/* The next ordered take compares with the trylocked top. */
	assert_int_equal(lockorder_acquire(&s, L(0), 5, "rq0"),
	                 LOCKORDER_ADDRESS);
	assert_int_equal(lockorder_acquire(&s, L(0), 6, "pmm"), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(3)), LOCKORDER_NOT_TOP);
	assert_int_equal(lockorder_release(&s, L(0)), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(1)), LOCKORDER_OK);
	assert_int_equal(lockorder_release(&s, L(3)), LOCKORDER_OK);
}

static void
test_full(void **state)
{
	struct lockorder s = {0};
	uint32_t i;

	(void)state;
	for (i = 0; i < LOCKORDER_DEPTH; i++)
		assert_int_equal(lockorder_acquire(&s, L(i), 1, "p"),
		                 LOCKORDER_OK);
	assert_int_equal(lockorder_check(&s, L(LOCKORDER_DEPTH), 7),
	                 LOCKORDER_FULL);
	assert_int_equal(lockorder_push(&s, L(LOCKORDER_DEPTH), 7, "x"),
	                 LOCKORDER_FULL);
	assert_int_equal(s.depth, LOCKORDER_DEPTH);
	assert_int_equal(lockorder_release(&s, L(LOCKORDER_DEPTH - 1)),
	                 LOCKORDER_OK);
	assert_int_equal(lockorder_acquire(&s, L(LOCKORDER_DEPTH), 7, "x"),
	                 LOCKORDER_OK);
}

static void
test_verdict_text(void **state)
{
	int v;

	(void)state;
	for (v = LOCKORDER_OK; v <= LOCKORDER_NOT_TOP; v++)
		assert_string_not_equal(
		    lockorder_verdict_text((enum lockorder_verdict)v),
		    "unknown verdict");
	assert_string_equal(lockorder_verdict_text((enum lockorder_verdict)99),
	                    "unknown verdict");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_down_the_table),
	    cmocka_unit_test(test_skip_ranks),
	    cmocka_unit_test(test_up_the_table_refused),
	    cmocka_unit_test(test_same_rank_address_order),
	    cmocka_unit_test(test_taken_twice),
	    cmocka_unit_test(test_release_rules),
	    cmocka_unit_test(test_trylock_push),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_verdict_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
