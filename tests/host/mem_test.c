/*
 * Host tests for lib/base/mem.c, the freestanding memory and string
 * primitives.  The library is compiled under other names (base_memcpy,
 * ...; see mk/host-tests.mk) so it can be compared with the C library's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void *base_memcpy(void *dst, const void *src, size_t n);
void *base_memmove(void *dst, const void *src, size_t n);
void *base_memset(void *dst, int c, size_t n);
int base_memcmp(const void *a, const void *b, size_t n);
void *base_memchr(const void *s, int c, size_t n);
size_t base_strlen(const char *s);
size_t base_strnlen(const char *s, size_t max);
char *base_strchr(const char *s, int c);
int base_strcmp(const char *a, const char *b);
int base_strncmp(const char *a, const char *b, size_t n);

#define BUF 1100

static void
fill(uint8_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7);
}

/* Every small length, lengths around the string-instruction threshold,
 * and every misalignment, against the C library. */
static void
test_memcpy_memset_all_shapes(void **state)
{
	static const size_t big[] = {255, 256, 257, 263, 511, 1024, 1031};
	uint8_t src[BUF], a[BUF], b[BUF];
	size_t k, n, so, d;

	(void)state;
	for (k = 0; k <= 40 + sizeof(big) / sizeof(big[0]); k++)
		for (so = 0; so < 8; so++)
			for (d = 0; d < 8; d++) {
				n = k <= 40 ? k : big[k - 41];
				fill(src, BUF, (unsigned)(n + so));
				memset(a, 0xaa, BUF);
				memset(b, 0xaa, BUF);
				assert_ptr_equal(
				    base_memcpy(a + d, src + so, n), a + d);
				memcpy(b + d, src + so, n);
				assert_memory_equal(a, b, BUF);
				assert_ptr_equal(base_memset(a + d, (int)so, n),
				                 a + d);
				memset(b + d, (int)so, n);
				assert_memory_equal(a, b, BUF);
			}
}

static void
test_memmove_overlaps(void **state)
{
	uint8_t a[BUF], b[BUF];
	size_t n, from, to;

	(void)state;
	for (n = 0; n <= 24; n++)
		for (from = 0; from < 16; from++)
			for (to = 0; to < 16; to++) {
				fill(a, BUF, (unsigned)n);
				fill(b, BUF, (unsigned)n);
				base_memmove(a + to, a + from, n);
				memmove(b + to, b + from, n);
				assert_memory_equal(a, b, BUF);
			}
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
test_compare_and_search(void **state)
{
	static const char s[] = "capability ring";

	(void)state;
	assert_int_equal(sign(base_memcmp("abc", "abd", 3)), -1);
	assert_int_equal(sign(base_memcmp("abd", "abc", 3)), 1);
	assert_int_equal(base_memcmp("abc", "abd", 2), 0);
	assert_int_equal(sign(base_memcmp("\x80", "\x01", 1)), 1);
	assert_ptr_equal(base_memchr(s, 'r', sizeof(s)), strchr(s, 'r'));
	assert_null(base_memchr(s, 'z', sizeof(s)));
	assert_int_equal(base_strlen(s), strlen(s));
	assert_int_equal(base_strnlen(s, 4), 4);
	assert_int_equal(base_strnlen(s, 100), strlen(s));
	assert_ptr_equal(base_strchr(s, 'y'), strchr(s, 'y'));
	assert_ptr_equal(base_strchr(s, '\0'), s + strlen(s));
	assert_null(base_strchr(s, 'z'));
	assert_int_equal(base_strcmp("ring", "ring"), 0);
	assert_int_equal(sign(base_strcmp("ring", "rings")), -1);
	assert_int_equal(sign(base_strcmp("\xff", "a")), 1);
	assert_int_equal(base_strncmp("ringA", "ringB", 4), 0);
	assert_int_equal(sign(base_strncmp("ringA", "ringB", 5)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_memset_all_shapes),
	    cmocka_unit_test(test_memmove_overlaps),
	    cmocka_unit_test(test_compare_and_search),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
