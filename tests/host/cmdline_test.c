/* Host tests for lib/shell/cmdline.c: the shell's command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shell/cmdline.h"

static struct cmdline cl;
static struct cmdline_error err;

static int
parse(const char *s)
{
	return cmdline_parse(s, strlen(s), &cl, &err);
}

/* The line fails at column with a message containing what. */
static void
refused(const char *s, unsigned column, const char *what)
{
	assert_int_equal(parse(s), -1);
	if (!strstr(err.message, what))
		fail_msg("%s: message \"%s\" lacks \"%s\"", s, err.message,
		         what);
	assert_int_equal(err.column, column);
}

static void
test_empty_lines(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_null(cl.command);
	assert_int_equal(parse("  \t "), 0);
	assert_null(cl.command);
}

static void
test_command_and_args(void **state)
{
	(void)state;
	assert_int_equal(parse("  kill 3"), 0);
	assert_string_equal(cl.command, "kill");
	assert_int_equal(cl.nargs, 1);
	assert_string_equal(cl.args[0], "3");
	assert_false(cl.with);
	assert_int_equal(parse("log -f\t./x_y-1"), 0);
	assert_int_equal(cl.nargs, 2);
	assert_string_equal(cl.args[0], "-f");
	assert_string_equal(cl.args[1], "./x_y-1");
}

static void
test_strings(void **state)
{
	(void)state;
	assert_int_equal(parse("echo \"a b\" \"q\\\"\\\\\\n\\t\" \"\""), 0);
	assert_int_equal(cl.nargs, 3);
	assert_string_equal(cl.args[0], "a b");
	assert_string_equal(cl.args[1], "q\"\\\n\t");
	assert_string_equal(cl.args[2], "");
	/* Bytes above 0x7e are fine inside a string. */
	assert_int_equal(parse("echo \"h\xc3\xa9\""), 0);
	assert_string_equal(cl.args[0], "h\xc3\xa9");
}

static void
test_run_with_grants(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("run \"hello\" with { stdio: @stdio, chat: client @chat, }"),
	    0);
	assert_string_equal(cl.command, "run");
	assert_int_equal(cl.nargs, 1);
	assert_string_equal(cl.args[0], "hello");
	assert_true(cl.with);
	assert_int_equal(cl.ngrants, 2);
	assert_string_equal(cl.grants[0].name, "stdio");
	assert_string_equal(cl.grants[0].source, "stdio");
	assert_false(cl.grants[0].client);
	assert_string_equal(cl.grants[1].name, "chat");
	assert_string_equal(cl.grants[1].source, "chat");
	assert_true(cl.grants[1].client);
	assert_int_equal(parse("spawn spin with {}"), 0);
	assert_true(cl.with);
	assert_int_equal(cl.ngrants, 0);
	assert_int_equal(parse("run x with{a:@b}"), 0);
	assert_int_equal(cl.ngrants, 1);
}

static void
test_hostile_lines(void **state)
{
	(void)state;
	refused("echo \"abc", 6, "unterminated string");
	refused("echo \"abc\\", 6, "unterminated string");
	refused("echo \"a\\qb\"", 8, "unknown escape");
	refused("echo a\x01", 7, "control character");
	refused("echo \"a\x1b[2J\"", 8, "control character in a string");
	refused("echo \x7f", 6, "control character");
	refused("echo caf\xc3\xa9", 9, "non-ASCII");
	refused("echo a;b", 7, "unexpected character");
	refused("run x with { { a: @b } }", 14, "expected a cap name");
	refused("run x with a", 12, "expected '{'");
	refused("run x with { a: @b", 19, "expected ',' or '}'");
	refused("run x with { a @b }", 16, "expected ':'");
	refused("run x with { a: b }", 17, "expected '@'");
	refused("run x with { a: client client @b }", 24, "expected '@'");
	refused("run x with { a: @b } extra", 22, "after '}'");
	refused("run x with { a: @\"b\" }", 18, "the name of a cap");
	refused("{ a }", 1, "expected a command");
	refused("\"quoted\" command", 1, "expected a command");
	refused("run x } y", 7, "expected an argument");
	refused("run x with { "
	        "a_name_that_is_far_too_long_for_a_capset: @b }",
	        14, "longer than 31");
}

static void
test_limits(void **state)
{
	char line[CMDLINE_MAX + 2];
	char *big;
	int i, n;

	(void)state;
	/* Exactly the limit parses; one more byte does not. */
	memset(line, 'a', CMDLINE_MAX);
	assert_int_equal(cmdline_parse(line, CMDLINE_MAX, &cl, &err), 0);
	assert_int_equal(strlen(cl.command), CMDLINE_MAX);
	line[CMDLINE_MAX] = 'a';
	assert_int_equal(cmdline_parse(line, CMDLINE_MAX + 1, &cl, &err), -1);
	assert_non_null(strstr(err.message, "line too long"));

	/* A 100 KiB line is refused without being read through. */
	big = malloc(100 * 1024);
	assert_non_null(big);
	memset(big, '{', 100 * 1024);
	assert_int_equal(cmdline_parse(big, 100 * 1024, &cl, &err), -1);
	assert_non_null(strstr(err.message, "line too long"));
	free(big);

	/* Deeply nested braces within the limit: one clear error. */
	n = snprintf(line, sizeof(line), "run x with ");
	for (i = 0; i < 500; i++)
		line[n++] = '{';
	assert_int_equal(cmdline_parse(line, (size_t)n, &cl, &err), -1);
	assert_int_equal(err.column, 13);

	/* A line of one-byte tokens fills the text buffer the most. */
	n = snprintf(line, sizeof(line), "x");
	for (i = 0; n + 2 <= CMDLINE_MAX; i++) {
		line[n++] = ' ';
		line[n++] = 'a';
	}
	assert_int_equal(cmdline_parse(line, (size_t)n, &cl, &err), -1);
	assert_non_null(strstr(err.message, "more than 16 arguments"));

	/* 16 arguments pass, 32 grants pass, 33 do not. */
	assert_int_equal(parse("x 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"), 0);
	assert_int_equal(cl.nargs, CMDLINE_ARGS_MAX);
	n = snprintf(line, sizeof(line), "run p with {");
	for (i = 0; i < CMDLINE_GRANTS_MAX; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "g%d:@c%d,",
		              i, i);
	snprintf(line + n, sizeof(line) - (size_t)n, "}");
	assert_int_equal(parse(line), 0);
	assert_int_equal(cl.ngrants, CMDLINE_GRANTS_MAX);
	assert_string_equal(cl.grants[31].name, "g31");
	assert_string_equal(cl.grants[31].source, "c31");
	snprintf(line + n, sizeof(line) - (size_t)n, "g32:@c32}");
	refused(line, (unsigned)n + 1, "more than 32 grants");
}

/* Every byte string up to length 3 over an alphabet of the grammar's
 * pieces and some bad bytes parses or fails cleanly (ASan watches). */
static void
test_small_inputs_exhaustive(void **state)
{
	static const char alpha[] = "a\"{}:,@ \\\x01\xff";
	char line[3];
	size_t n = sizeof(alpha) - 1, i, j, k;

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++) {
				line[0] = alpha[i];
				line[1] = alpha[j];
				line[2] = alpha[k];
				if (cmdline_parse(line, 3, &cl, &err))
					assert_true(err.message[0] != '\0' &&
					            err.column >= 1 &&
					            err.column <= 4);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_lines),
	    cmocka_unit_test(test_command_and_args),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_run_with_grants),
	    cmocka_unit_test(test_hostile_lines),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_small_inputs_exhaustive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
