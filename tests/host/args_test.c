/* Host tests for lib/boot/args.c: kernel argument splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boot/args.h"

static void
test_keys_values_flags(void **state)
{
	char buf[] = "  test=boot\tloglevel=debug  quiet x= ";
	struct args a;

	(void)state;
	args_parse(&a, buf);
	assert_int_equal(a.count, 4);
	assert_string_equal(args_get(&a, "test"), "boot");
	assert_string_equal(args_get(&a, "loglevel"), "debug");
	assert_string_equal(args_get(&a, "quiet"), "");
	assert_string_equal(args_get(&a, "x"), "");
	assert_null(args_get(&a, "missing"));
	assert_null(args_get(&a, "tes"));
}

static void
test_later_word_wins(void **state)
{
	char buf[] = "test=a other test=b";
	struct args a;

	(void)state;
	args_parse(&a, buf);
	assert_string_equal(args_get(&a, "test"), "b");
}

static void
test_value_may_hold_equals(void **state)
{
	char buf[] = "motd=a=b";
	struct args a;

	(void)state;
	args_parse(&a, buf);
	assert_string_equal(args_get(&a, "motd"), "a=b");
}

static void
test_empty_and_blank(void **state)
{
	char empty[] = "", blank[] = " \t \n";
	struct args a;

	(void)state;
	args_parse(&a, empty);
	assert_int_equal(a.count, 0);
	args_parse(&a, blank);
	assert_int_equal(a.count, 0);
}

static void
test_too_many_words_counted(void **state)
{
	char buf[ARGS_MAX * 4 + 64] = "";
	struct args a;
	int i;

	(void)state;
	for (i = 0; i < ARGS_MAX + 3; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "w%d ",
		         i);
	args_parse(&a, buf);
	assert_int_equal(a.count, ARGS_MAX);
	assert_int_equal(a.dropped, 3);
	assert_string_equal(args_get(&a, "w0"), "");
	assert_null(args_get(&a, "w33"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_values_flags),
	    cmocka_unit_test(test_later_word_wins),
	    cmocka_unit_test(test_value_may_hold_equals),
	    cmocka_unit_test(test_empty_and_blank),
	    cmocka_unit_test(test_too_many_words_counted),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
