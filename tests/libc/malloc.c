/*
 * malloc: a stress of malloc/realloc/free with sizes from a fixed
 * generator (small, medium and a few large ones), every block filled
 * with a pattern of its own and checked before it changes; calloc's
 * zeroing (also of reused memory); aligned_alloc and posix_memalign.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define SLOTS  200
#define ROUNDS 6000

struct block {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static struct block slots[SLOTS];

static void
paint(struct block *b)
{
	size_t i;

	for (i = 0; i < b->size; i++)
		b->p[i] = (unsigned char)(b->tag + i * 13);
}

/* Whether the first N bytes of B still hold its pattern. */
static int
intact(const struct block *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b->p[i] != (unsigned char)(b->tag + i * 13))
			return 0;
	return 1;
}

static size_t
draw_size(struct lcg *g)
{
	unsigned kind = lcg_below(g, 100);

	if (kind < 70)
		return lcg_below(g, 128);
	if (kind < 97)
		return 128 + lcg_below(g, 8192);
	return 65536 + lcg_below(g, 300000);
}

static void
stress(void)
{
	struct lcg g = {777};
	int r, torn = 0, failed = 0, mallocs = 0, reallocs = 0, frees = 0;
	size_t i;

	for (r = 0; r < ROUNDS; r++) {
		struct block *b = &slots[lcg_below(&g, SLOTS)];
		unsigned op = lcg_below(&g, 3);

		if (b->p && !intact(b, b->size))
			torn++;
		if (!b->p || op == 0) {
			free(b->p);
			b->size = draw_size(&g);
			b->p = malloc(b->size);
			mallocs++;
		} else if (op == 1) {
			size_t keep, size = draw_size(&g);
			unsigned char *p = realloc(b->p, size);

			reallocs++;
			if (!p && size) {
				failed++;
				continue;
			}
			keep = size < b->size ? size : b->size;
			b->p = p;
			if (!intact(b, keep))
				torn++;
			b->size = size;
		} else {
			free(b->p);
			b->p = NULL;
			b->size = 0;
			frees++;
			continue;
		}
		if (!b->p && b->size) {
			failed++;
			continue;
		}
		b->tag = (unsigned char)r;
		if (b->p)
			paint(b);
	}
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p && !intact(&slots[i], slots[i].size))
			torn++;
		free(slots[i].p);
		slots[i].p = NULL;
	}
	CHECK(torn == 0, "%d blocks lost their contents", torn);
	CHECK(failed == 0, "%d allocations failed", failed);
	printf("stress: %d mallocs, %d reallocs, %d frees\n", mallocs, reallocs,
	       frees);
}

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void
zeroing(void)
{
	static const size_t sizes[] = {1, 15, 16, 100, 4096, 70000, 1 << 20};
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < 3; j++) {
			unsigned char *p = malloc(sizes[i]);
			unsigned char *z;

			CHECK(p != NULL, "malloc(%zu)", sizes[i]);
			if (p) {
				memset(p, 0xff, sizes[i]);
				free(p);
			}
			z = calloc(sizes[i], 1);
			CHECK(z && all_zero(z, sizes[i]),
			      "calloc(%zu) not zeroed", sizes[i]);
			free(z);
		}
	errno = 0;
	CHECK(calloc(SIZE_MAX / 2, 4) == NULL && errno == ENOMEM,
	      "calloc overflow not refused");
	errno = 0;
	CHECK(malloc(SIZE_MAX - 4096) == NULL && errno == ENOMEM,
	      "huge malloc not refused");
	printf("calloc: zeroed, overflow refused\n");
}

static void
alignment(void)
{
	size_t align;
	int bad = 0, err;
	void *p;

	for (align = 8; align <= 65536; align *= 2) {
		size_t size;

		for (size = align; size <= 4 * align; size += align) {
			p = aligned_alloc(align, size);
			if (!p || (uintptr_t)p % align)
				bad++;
			if (p)
				memset(p, 0x5a, size);
			free(p);
			p = NULL;
			err = posix_memalign(&p, align, size + 1);
			if (err || !p || (uintptr_t)p % align)
				bad++;
			free(p);
		}
	}
	CHECK(bad == 0, "%d misaligned or failed", bad);
	p = NULL;
	err = posix_memalign(&p, 24, 64);
	CHECK(err == EINVAL, "posix_memalign(24) returned %d", err);
	err = posix_memalign(&p, 4, 64);
	CHECK(err == EINVAL, "posix_memalign(4) returned %d", err);
	printf("alignment: 8..65536 ok, non-powers refused\n");
}

static void
edges(void)
{
	void *p = malloc(0), *q;

	free(p);
	free(NULL);
	q = realloc(NULL, 10);
	CHECK(q != NULL, "realloc(NULL, 10)");
	memcpy(q, "123456789", 10);
	q = realloc(q, 100000);
	CHECK(q && strcmp(q, "123456789") == 0, "realloc grow kept content");
	q = realloc(q, 5);
	CHECK(q && memcmp(q, "12345", 5) == 0, "realloc shrink kept content");
	free(q);
	printf("edges: ok\n");
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	stress();
	zeroing();
	alignment();
	edges();
	return check_summary("malloc");
}
