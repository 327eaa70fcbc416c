/*
 * Host tests for lib/boot/mb2.c.  Boot information structures are built
 * tag by tag in a buffer, then damaged in each way a broken or hostile
 * loader could damage them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/mb2.h"

struct builder {
	uint8_t buf[4096] __attribute__((aligned(8)));
	uint32_t len;
};

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void
begin(struct builder *b)
{
	memset(b->buf, 0, sizeof(b->buf));
	b->len = 8;
}

/* Appends a tag with the given payload; returns its offset. */
static uint32_t
tag(struct builder *b, uint32_t type, const void *payload, uint32_t n)
{
	uint32_t at = b->len;

	put32(b->buf + at, type);
	put32(b->buf + at + 4, 8 + n);
	if (n)
		memcpy(b->buf + at + 8, payload, n);
	b->len = (at + 8 + n + 7) & ~7u;
	return at;
}

static void
end(struct builder *b)
{
	tag(b, 0, NULL, 0);
	put32(b->buf, b->len);
}

static uint32_t
add_mmap(struct builder *b, int entries)
{
	uint8_t p[8 + 24 * 4];
	int i;

	put32(p, 24);
	put32(p + 4, 0);
	for (i = 0; i < entries; i++) {
		put64(p + 8 + 24 * i, 0x100000ull * (i + 1));
		put64(p + 8 + 24 * i + 8, 0x80000);
		put32(p + 8 + 24 * i + 16, i == 1 ? 2 : 1);
		put32(p + 8 + 24 * i + 20, 0);
	}
	return tag(b, 6, p, 8 + 24 * entries);
}

static uint32_t
add_module(struct builder *b, uint32_t start, uint32_t stop, const char *name)
{
	uint8_t p[64];
	size_t n = strlen(name) + 1;

	put32(p, start);
	put32(p + 4, stop);
	memcpy(p + 8, name, n);
	return tag(b, 3, p, 8 + (uint32_t)n);
}

static void
standard(struct builder *b)
{
	begin(b);
	tag(b, 1, "test=boot", 10);
	tag(b, 2, "GRUB", 5);
	add_module(b, 0x200000, 0x201000, "manifest");
	add_mmap(b, 3);
	end(b);
}

static void
test_parses_standard_info(void **state)
{
	struct builder b;
	struct mb2_info mb;
	struct mb2_mmap_entry e;

	(void)state;
	standard(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_OK);
	assert_string_equal(mb.cmdline, "test=boot");
	assert_string_equal(mb.loader_name, "GRUB");
	assert_int_equal(mb.module_count, 1);
	assert_int_equal(mb.modules[0].start, 0x200000);
	assert_int_equal(mb.modules[0].end, 0x201000);
	assert_string_equal(mb.modules[0].cmdline, "manifest");
	assert_int_equal(mb.mmap_count, 3);
	e = mb2_mmap_get(&mb, 1);
	assert_int_equal(e.base, 0x200000);
	assert_int_equal(e.len, 0x80000);
	assert_int_equal(e.type, MB2_MEM_RESERVED);
}

static void
test_unknown_tags_skipped(void **state)
{
	struct builder b;
	struct mb2_info mb;
	uint8_t junk[13] = {0};

	(void)state;
	begin(&b);
	tag(&b, 99, junk, sizeof(junk)); /* odd size: next tag is padded */
	add_mmap(&b, 1);
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_OK);
	assert_int_equal(mb.mmap_count, 1);
	assert_null(mb.cmdline);
}

static void
test_total_size_checks(void **state)
{
	struct builder b;
	struct mb2_info mb;

	(void)state;
	standard(&b);
	assert_int_equal(mb2_parse(b.buf, b.len - 1, &mb), MB2_E_TRUNCATED);
	assert_int_equal(mb2_parse(b.buf, 4, &mb), MB2_E_TRUNCATED);
	put32(b.buf, 8);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_TRUNCATED);
	put32(b.buf, MB2_MAX_INFO_SIZE + 8);
	assert_int_equal(mb2_parse(b.buf, MB2_MAX_INFO_SIZE + 8, &mb),
	                 MB2_E_TRUNCATED);
}

static void
test_tag_running_past_end(void **state)
{
	struct builder b;
	struct mb2_info mb;
	uint32_t at;

	(void)state;
	begin(&b);
	at = tag(&b, 1, "x", 2);
	add_mmap(&b, 1);
	end(&b);
	put32(b.buf + at + 4, b.len * 2);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_TAG);
	put32(b.buf + at + 4, 4); /* smaller than a tag header */
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_TAG);
}

static void
test_missing_end_tag(void **state)
{
	struct builder b;
	struct mb2_info mb;

	(void)state;
	begin(&b);
	add_mmap(&b, 1);
	put32(b.buf, b.len);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_NO_END);
}

static void
test_unterminated_strings(void **state)
{
	struct builder b;
	struct mb2_info mb;

	(void)state;
	begin(&b);
	tag(&b, 1, "abcdefgh", 8); /* no NUL inside the tag */
	add_mmap(&b, 1);
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_STRING);

	begin(&b);
	add_mmap(&b, 1);
	{
		uint8_t p[8];

		put32(p, 0x1000);
		put32(p + 4, 0x2000);
		tag(&b, 3, p, 8); /* module with no name at all */
	}
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_STRING);
}

static void
test_bad_modules(void **state)
{
	struct builder b;
	struct mb2_info mb;
	int i;

	(void)state;
	begin(&b);
	add_mmap(&b, 1);
	add_module(&b, 0x3000, 0x2000, "backwards");
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_MODULE);

	begin(&b);
	add_mmap(&b, 1);
	for (i = 0; i <= MB2_MAX_MODULES; i++)
		add_module(&b, 0x1000, 0x2000, "m");
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_TOO_MANY_MODULES);
}

static void
test_bad_memory_maps(void **state)
{
	struct builder b;
	struct mb2_info mb;
	uint32_t at;

	(void)state;
	begin(&b);
	tag(&b, 1, "x", 2);
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_NO_MMAP);

	begin(&b);
	at = add_mmap(&b, 2);
	end(&b);
	put32(b.buf + at + 8, 20); /* entry size below the minimum */
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_MMAP);
	put32(b.buf + at + 8, 28); /* not a multiple of 8 */
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_MMAP);
	put32(b.buf + at + 8, 4096); /* bigger than the tag: no entries */
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_BAD_MMAP);

	begin(&b);
	add_mmap(&b, 1);
	add_mmap(&b, 1);
	end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len, &mb), MB2_E_DUPLICATE_TAG);
}

/* Every truncation of a valid structure is refused or parsed in bounds. */
static void
test_every_truncation_is_safe(void **state)
{
	struct builder b;
	struct mb2_info mb;
	uint32_t cut;

	(void)state;
	standard(&b);
	for (cut = 0; cut < b.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, b.buf, cut);
		/* ASan catches any read past the copy. */
		assert_int_not_equal(mb2_parse(copy, cut, &mb), MB2_OK);
		free(copy);
	}
}

static void
test_random_damage_is_safe(void **state)
{
	struct builder b;
	struct mb2_info mb;
	int round;

	(void)state;
	srand(1234);
	for (round = 0; round < 20000; round++) {
		uint8_t *copy;
		int flips = 1 + rand() % 4, i;

		standard(&b);
		copy = malloc(b.len);
		memcpy(copy, b.buf, b.len);
		for (i = 0; i < flips; i++)
			copy[rand() % b.len] = (uint8_t)rand();
		if (mb2_parse(copy, b.len, &mb) == MB2_OK) {
			uint32_t k;

			for (k = 0; k < mb.mmap_count; k++)
				(void)mb2_mmap_get(&mb, k);
			for (k = 0; k < mb.module_count; k++)
				assert_true(strlen(mb.modules[k].cmdline) <
				            b.len);
		}
		free(copy);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parses_standard_info),
	    cmocka_unit_test(test_unknown_tags_skipped),
	    cmocka_unit_test(test_total_size_checks),
	    cmocka_unit_test(test_tag_running_past_end),
	    cmocka_unit_test(test_missing_end_tag),
	    cmocka_unit_test(test_unterminated_strings),
	    cmocka_unit_test(test_bad_modules),
	    cmocka_unit_test(test_bad_memory_maps),
	    cmocka_unit_test(test_every_truncation_is_safe),
	    cmocka_unit_test(test_random_damage_is_safe),
	};

	return cmocka_run_group_tests_name("mb2", tests, NULL, NULL);
}
