/*
 * Host tests for lib/fmt: every conversion is compared with the host C
 * library's snprintf, which is the specification we follow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt/fmt.h"

/* The tests feed odd but legal (and a few illegal) formats on purpose. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

/* Formats with both engines and compares text and returned length. */
#define SAME(...)                                                              \
	do {                                                                   \
		char ours[256], libc[256];                                     \
		size_t n1 = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__);     \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);            \
		assert_string_equal(ours, libc);                               \
		assert_int_equal(n1, (size_t)n2);                              \
	} while (0)

static void
test_integers(void **state)
{
	(void)state;
	SAME("%d %i %u", 0, -1, 4000000000u);
	SAME("%d %d", INT32_MIN, INT32_MAX);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llu", (long long)-42, (unsigned long long)42);
	SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	SAME("%zu %zd %td", (size_t)123, (ssize_t)-5, (ptrdiff_t)-7);
	SAME("%jd", (intmax_t)-99);
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	SAME("%lx", 0xffffffff80000000ul);
}

static void
test_width_precision_flags(void **state)
{
	(void)state;
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%05d] [%-05d] [%+05d]", -42, -42, 42);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, 7, 7, 7);
	SAME("[%.0d] [%.0x] [%5.0d]", 0, 0, 0);
	SAME("[%#x] [%#X] [%#o] [%#x] [%#o]", 255u, 255u, 8u, 0u, 0u);
	SAME("[%#010x] [%#-10x] [%#.6x]", 255u, 255u, 255u);
	SAME("[%*d] [%-*d] [%.*d] [%*d]", 6, 1, 6, 1, 4, 1, -6, 1);
	SAME("[%.*s] [%.*s]", -1, "abc", 2, "abc");
	SAME("[%#.3o]", 8u);
}

static void
test_strings_chars_pointers(void **state)
{
	(void)state;
	SAME("[%s] [%10s] [%-10s] [%.2s]", "capOS", "capOS", "capOS", "capOS");
	SAME("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	SAME("100%% sure");
	SAME("%p", (void *)0x1234);
	SAME("%p", (void *)0xffffffff80001000ul);
}

static void
test_null_string(void **state)
{
	char buf[32];

	(void)state;
	fmt_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	assert_string_equal(buf, "(null)");
}

static void
test_truncation(void **state)
{
	char buf[8];
	size_t n;

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
	assert_int_equal(n, 12);
	assert_string_equal(buf, "abcdef-");
	n = fmt_snprintf(buf, 1, "hello");
	assert_int_equal(n, 5);
	assert_string_equal(buf, "");
	/* Size 0 writes nothing at all. */
	buf[0] = 'Q';
	n = fmt_snprintf(buf, 0, "hello");
	assert_int_equal(n, 5);
	assert_int_equal(buf[0], 'Q');
}

static void
test_unknown_conversion_is_visible(void **state)
{
	char buf[32];

	(void)state;
	fmt_snprintf(buf, sizeof(buf), "a%qb");
	assert_string_equal(buf, "a%qb");
	fmt_snprintf(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end%");
}

struct collect {
	char buf[64];
	size_t len;
	int calls;
};

static void
collect_sink(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->calls++;
}

static void
test_sink_receives_everything(void **state)
{
	struct collect c = {0};
	size_t n;

	(void)state;
	n = fmt_format(collect_sink, &c, "x=%d y=%s", 5, "ok");
	assert_int_equal(n, 8);
	assert_int_equal(c.len, 8);
	assert_memory_equal(c.buf, "x=5 y=ok", 8);
	assert_true(c.calls >= 2);
}

static void
test_text_pieces(void **state)
{
	char buf[16];
	struct fmt_text t = {buf, sizeof(buf), 0};

	(void)state;
	fmt_put_str(&t, "pid=");
	fmt_put_u64(&t, 0);
	fmt_put(&t, " ", 1);
	fmt_put_u64(&t, 18446744073709551615ull);
	assert_string_equal(buf, "pid=0 184467440");
	assert_int_equal(t.len, 15);
	fmt_put_str(&t, "more");
	assert_int_equal(t.len, 15);
	assert_string_equal(buf, "pid=0 184467440");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_width_precision_flags),
	    cmocka_unit_test(test_strings_chars_pointers),
	    cmocka_unit_test(test_null_string),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_unknown_conversion_is_visible),
	    cmocka_unit_test(test_sink_receives_everything),
	    cmocka_unit_test(test_text_pieces),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
