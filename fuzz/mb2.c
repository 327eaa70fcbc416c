/*
 * libFuzzer target for the Multiboot2 boot information parser
 * (lib/boot/mb2.c).  The input is the information structure as the
 * loader would leave it.  On success every pointer the parser hands out
 * must lie inside [info, info + total_size), strings must end there, the
 * memory map and modules must be well formed; on failure the error must
 * be one of the documented codes.  The parse must not depend on the
 * buffer's alignment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/mb2.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

static uint8_t copy_buf[MB2_MAX_INFO_SIZE + 16];

/* [p, p + len) inside [base, base + total). */
static int
inside(const uint8_t *base, uint32_t total, const void *p, size_t len)
{
	const uint8_t *q = p;

	return q >= base && (size_t)(q - base) <= total &&
	       len <= total - (size_t)(q - base);
}

static void
check_string(const uint8_t *base, uint32_t total, const char *s)
{
	size_t left;

	if (s == NULL)
		return;
	CHECK(inside(base, total, s, 1));
	left = total - (size_t)((const uint8_t *)s - base);
	CHECK(memchr(s, '\0', left) != NULL);
}

static void
check_info(const uint8_t *base, size_t avail, const struct mb2_info *mb)
{
	uint32_t i;

	CHECK(mb->total_size >= 16 && mb->total_size <= avail &&
	      mb->total_size <= MB2_MAX_INFO_SIZE);
	check_string(base, mb->total_size, mb->cmdline);
	check_string(base, mb->total_size, mb->loader_name);
	CHECK(mb->mmap != NULL);
	CHECK(mb->mmap_entry_size >= 24 && mb->mmap_entry_size % 8 == 0);
	CHECK(mb->mmap_count > 0);
	CHECK(inside(base, mb->total_size, mb->mmap,
	             (size_t)mb->mmap_count * mb->mmap_entry_size));
	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		CHECK(mb2_mem_type_name(e.type) != NULL);
	}
	CHECK(mb->module_count <= MB2_MAX_MODULES);
	for (i = 0; i < mb->module_count; i++) {
		CHECK(mb->modules[i].start <= mb->modules[i].end);
		CHECK(mb->modules[i].cmdline != NULL);
		check_string(base, mb->total_size, mb->modules[i].cmdline);
	}
	if (mb->rsdp != NULL)
		CHECK(inside(base, mb->total_size, mb->rsdp, mb->rsdp_len));
	else
		CHECK(mb->rsdp_len == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb2_info a, b;
	int ra, rb;

	ra = mb2_parse(data, size, &a);
	CHECK(ra <= MB2_OK && ra >= MB2_E_DUPLICATE_TAG);
	CHECK(strcmp(mb2_strerror(ra), "unknown error") != 0);
	if (ra == MB2_OK)
		check_info(data, size, &a);
	/* The same bytes at an odd address parse the same way, with every
	 * pointer at the same offset. */
	if (size <= sizeof(copy_buf) - 1) {
		memcpy(copy_buf + 1, data, size);
		rb = mb2_parse(copy_buf + 1, size, &b);
		CHECK(rb == ra);
		if (ra == MB2_OK) {
			CHECK(b.mmap_count == a.mmap_count &&
			      b.module_count == a.module_count &&
			      b.mmap - (copy_buf + 1) == a.mmap - data);
			CHECK((a.cmdline == NULL) == (b.cmdline == NULL));
			if (a.cmdline != NULL)
				CHECK(strcmp(a.cmdline, b.cmdline) == 0);
		}
	}
	return 0;
}
