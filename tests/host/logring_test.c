/*
 * Host tests for lib/log/logring: sequence numbers, drop-oldest and its
 * count, cursors older than the oldest record, beyond the newest and at
 * the wrap of the slot index, and names and texts cut to fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "log/logring.h"

#define CAP 8

static struct log_record slots[CAP];
static struct logring ring;

static int
setup(void **state)
{
	(void)state;
	memset(slots, 0xa5, sizeof(slots));
	logring_init(&ring, slots, CAP);
	return 0;
}

static void
append_n(unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		char text[24];
		int len = snprintf(text, sizeof(text), "m%llu",
		                   (unsigned long long)ring.next);

		logring_append(&ring, 2, 7, "proc", text, (size_t)len, i, 0);
	}
}

static void
test_empty(void **state)
{
	uint64_t start, lost;

	(void)state;
	assert_int_equal(logring_oldest(&ring), 0);
	assert_null(logring_get(&ring, 0));
	assert_true(logring_seek(&ring, 0, &start, &lost));
	assert_int_equal(start, 0);
	assert_int_equal(lost, 0);
	assert_false(logring_seek(&ring, 1, &start, &lost));
}

static void
test_fields(void **state)
{
	const struct log_record *r;

	(void)state;
	logring_append(&ring, 3, 42, "writer", "hello", 5, 1000, -5);
	r = logring_get(&ring, 0);
	assert_non_null(r);
	assert_int_equal(r->seq, 0);
	assert_int_equal(r->kind, 3);
	assert_int_equal(r->pid, 42);
	assert_int_equal(r->mono_ns, 1000);
	assert_int_equal(r->wall_ns, -5);
	assert_string_equal(r->name, "writer");
	assert_string_equal(r->text, "hello");
	assert_int_equal(r->text_len, 5);
	assert_int_equal(ring.dropped, 0);
}

static void
test_fill_without_drop(void **state)
{
	uint64_t s;

	(void)state;
	append_n(CAP);
	assert_int_equal(ring.next, CAP);
	assert_int_equal(ring.dropped, 0);
	assert_int_equal(logring_oldest(&ring), 0);
	for (s = 0; s < CAP; s++)
		assert_int_equal(logring_get(&ring, s)->seq, s);
	assert_null(logring_get(&ring, CAP));
}

static void
test_overflow_keeps_newest(void **state)
{
	uint64_t s;
	char want[24];

	(void)state;
	append_n(3 * CAP + 3);
	assert_int_equal(ring.dropped, 2 * CAP + 3);
	assert_int_equal(logring_oldest(&ring), 2 * CAP + 3);
	assert_null(logring_get(&ring, 2 * CAP + 2));
	for (s = logring_oldest(&ring); s < ring.next; s++) {
		snprintf(want, sizeof(want), "m%llu", (unsigned long long)s);
		assert_int_equal(logring_get(&ring, s)->seq, s);
		assert_string_equal(logring_get(&ring, s)->text, want);
	}
}

static void
test_stale_cursor(void **state)
{
	uint64_t start, lost;

	(void)state;
	append_n(CAP + 5);
	assert_true(logring_seek(&ring, 0, &start, &lost));
	assert_int_equal(start, 5);
	assert_int_equal(lost, 5);
	assert_true(logring_seek(&ring, 4, &start, &lost));
	assert_int_equal(start, 5);
	assert_int_equal(lost, 1);
	assert_true(logring_seek(&ring, 5, &start, &lost));
	assert_int_equal(start, 5);
	assert_int_equal(lost, 0);
	/* The newest cursor: nothing to read yet, nothing lost. */
	assert_true(logring_seek(&ring, CAP + 5, &start, &lost));
	assert_int_equal(start, CAP + 5);
	assert_int_equal(lost, 0);
}

static void
test_cursor_beyond_next(void **state)
{
	uint64_t start = 99, lost = 99;

	(void)state;
	append_n(3);
	assert_false(logring_seek(&ring, 4, &start, &lost));
	assert_false(logring_seek(&ring, UINT64_MAX, &start, &lost));
	assert_int_equal(start, 99);
	assert_int_equal(lost, 99);
}

static void
test_cut_to_fit(void **state)
{
	char big[LOGRING_TEXT_SIZE * 2];
	char name[LOGRING_NAME_SIZE * 2];
	const struct log_record *r;

	(void)state;
	memset(big, 'x', sizeof(big));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	logring_append(&ring, 0, 1, name, big, sizeof(big), 0, 0);
	r = logring_get(&ring, 0);
	assert_int_equal(strlen(r->text), LOGRING_TEXT_SIZE - 1);
	assert_int_equal(r->text_len, LOGRING_TEXT_SIZE - 1);
	assert_int_equal(strlen(r->name), LOGRING_NAME_SIZE - 1);
	/* A NUL inside the text ends it; a NULL name is empty. */
	logring_append(&ring, 0, 1, NULL, "ab\0cd", 5, 0, 0);
	r = logring_get(&ring, 1);
	assert_string_equal(r->text, "ab");
	assert_int_equal(r->text_len, 2);
	assert_string_equal(r->name, "");
}

/* A ring of one record: every append drops the one before. */
static void
test_capacity_one(void **state)
{
	struct log_record one;
	struct logring r1;
	uint64_t start, lost;

	(void)state;
	logring_init(&r1, &one, 1);
	logring_append(&r1, 0, 0, "k", "a", 1, 0, 0);
	logring_append(&r1, 0, 0, "k", "b", 1, 0, 0);
	assert_int_equal(r1.dropped, 1);
	assert_null(logring_get(&r1, 0));
	assert_string_equal(logring_get(&r1, 1)->text, "b");
	assert_true(logring_seek(&r1, 0, &start, &lost));
	assert_int_equal(start, 1);
	assert_int_equal(lost, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_empty, setup),
	    cmocka_unit_test_setup(test_fields, setup),
	    cmocka_unit_test_setup(test_fill_without_drop, setup),
	    cmocka_unit_test_setup(test_overflow_keeps_newest, setup),
	    cmocka_unit_test_setup(test_stale_cursor, setup),
	    cmocka_unit_test_setup(test_cursor_beyond_next, setup),
	    cmocka_unit_test_setup(test_cut_to_fit, setup),
	    cmocka_unit_test_setup(test_capacity_one, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
