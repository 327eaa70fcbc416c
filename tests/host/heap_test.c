/* Host tests for lib/mm/heap.c: allocation, coalescing and misuse checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/heap.h"

/* 1: the host tests' full poison check; 0: the kernel's sampled one. */
#ifndef HEAP_FULL_POISON_CHECK
#define HEAP_FULL_POISON_CHECK 0
#endif

#define ARENA_SIZE (1u << 20)
#define STEP       4096u

struct arena {
	uint8_t *base;
	size_t mapped;
	size_t limit;
	unsigned grows;
};

static bool
grow(void *ctx, uintptr_t end, size_t bytes)
{
	struct arena *a = ctx;

	if ((uintptr_t)a->base + a->mapped != end)
		return false; /* the heap must grow at its end */
	if (a->mapped + bytes > a->limit)
		return false;
	/* Fresh memory is garbage, as mapped frames may be in general. */
	memset(a->base + a->mapped, 0x5a, bytes);
	a->mapped += bytes;
	a->grows++;
	return true;
}

struct fixture {
	struct arena arena;
	struct heap heap;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->arena.base = aligned_alloc(4096, ARENA_SIZE);
	f->arena.limit = ARENA_SIZE;
	heap_init(&f->heap, (uintptr_t)f->arena.base, grow, &f->arena, STEP);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	free(f->arena.base);
	free(f);
	return 0;
}

static void *
must_alloc(struct heap *h, size_t n)
{
	void *p;

	assert_int_equal(heap_alloc(h, n, &p), HEAP_OK);
	assert_non_null(p);
	return p;
}

static void
test_alloc_free_roundtrip(void **state)
{
	struct fixture *f = *state;
	void *p = must_alloc(&f->heap, 100);

	assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
	memset(p, 0xab, 100);
	assert_int_equal(f->heap.allocations, 1);
	assert_int_equal(f->heap.bytes_in_use, 100);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
	assert_int_equal(f->heap.allocations, 0);
	assert_int_equal(f->heap.bytes_in_use, 0);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
}

static void
test_many_sizes_then_check(void **state)
{
	struct fixture *f = *state;
	void *p[300];
	int i;

	for (i = 0; i < 300; i++) {
		size_t n = 1 + (size_t)(i * 37) % 3000;

		p[i] = must_alloc(&f->heap, n);
		memset(p[i], i, n);
	}
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	for (i = 0; i < 300; i += 2)
		assert_int_equal(heap_free(&f->heap, p[i]), HEAP_OK);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	for (i = 1; i < 300; i += 2) {
		assert_int_equal(*(uint8_t *)p[i], (uint8_t)i);
		assert_int_equal(heap_free(&f->heap, p[i]), HEAP_OK);
	}
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(f->heap.allocations, 0);
}

static void
test_coalescing_reuses_space(void **state)
{
	struct fixture *f = *state;
	void *a, *b, *c, *big;
	unsigned grows;

	a = must_alloc(&f->heap, 1000);
	b = must_alloc(&f->heap, 1000);
	c = must_alloc(&f->heap, 1000);
	grows = f->arena.grows;
	assert_int_equal(heap_free(&f->heap, a), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, c), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, b), HEAP_OK);
	/* All three merged: 2900 bytes fit without growing. */
	big = must_alloc(&f->heap, 2900);
	assert_int_equal(f->arena.grows, grows);
	assert_ptr_equal(big, a);
	assert_int_equal(heap_free(&f->heap, big), HEAP_OK);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
}

static void
test_grows_across_steps(void **state)
{
	struct fixture *f = *state;
	void *p = must_alloc(&f->heap, 3 * STEP);

	memset(p, 1, 3 * STEP);
	assert_true(f->arena.mapped >= 3 * STEP);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
}

static void
test_double_free_detected(void **state)
{
	struct fixture *f = *state;
	void *p = must_alloc(&f->heap, 64);
	void *q = must_alloc(&f->heap, 64);

	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, p), HEAP_E_DOUBLE_FREE);
	assert_int_equal(heap_free(&f->heap, q), HEAP_OK);
}

static void
test_overflow_detected(void **state)
{
	struct fixture *f = *state;
	char *p = must_alloc(&f->heap, 24);

	memset(p, 'x', 25);
	assert_int_equal(heap_check(&f->heap), HEAP_E_OVERFLOW);
	assert_int_equal(heap_free(&f->heap, p), HEAP_E_OVERFLOW);
	assert_int_equal((uintptr_t)f->heap.bad_chunk + 32, (uintptr_t)p);
}

static void
test_foreign_pointers_refused(void **state)
{
	struct fixture *f = *state;
	char *p = must_alloc(&f->heap, 64);
	int local;

	assert_int_equal(heap_free(&f->heap, &local), HEAP_E_BAD_POINTER);
	assert_int_equal(heap_free(&f->heap, p + 16), HEAP_E_BAD_POINTER);
	assert_int_equal(heap_free(&f->heap, p + 1), HEAP_E_BAD_POINTER);
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
}

static void
test_use_after_free_detected(void **state)
{
	struct fixture *f = *state;
	char *p = must_alloc(&f->heap, 256);
	void *q;

	must_alloc(&f->heap, 16); /* keeps p's chunk from merging away */
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
	p[100] = 1;
	assert_int_equal(heap_check(&f->heap), HEAP_E_USE_AFTER_FREE);
#if HEAP_FULL_POISON_CHECK
	/* Checked in full, allocation finds a write anywhere it hands out. */
	assert_int_equal(heap_alloc(&f->heap, 200, &q), HEAP_E_USE_AFTER_FREE);
	assert_null(q);
#else
	/* The kernel's configuration: allocation samples the first bytes
	 * after the free-list links (a write further in is heap_check's to
	 * find), so a write among them is found. */
	p[100] = (char)0xdd; /* the poison again */
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	p[16 + 8] = 1;
	assert_int_equal(heap_alloc(&f->heap, 200, &q), HEAP_E_USE_AFTER_FREE);
	assert_null(q);
#endif
}

static void
test_exhaustion_and_limits(void **state)
{
	struct fixture *f = *state;
	void *p;

	assert_int_equal(heap_alloc(&f->heap, HEAP_MAX_ALLOC + 1, &p),
	                 HEAP_E_TOO_BIG);
	assert_null(p);
	assert_int_equal(heap_alloc(&f->heap, ARENA_SIZE, &p), HEAP_E_NOMEM);
	assert_null(p);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	/* Still usable afterwards. */
	p = must_alloc(&f->heap, 10);
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
}

static void
test_zero_size(void **state)
{
	struct fixture *f = *state;
	void *p = must_alloc(&f->heap, 0);
	void *q = must_alloc(&f->heap, 0);

	assert_ptr_not_equal(p, q);
	assert_int_equal(heap_free(&f->heap, p), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, q), HEAP_OK);
}

static void
test_aligned_allocations(void **state)
{
	struct fixture *f = *state;
	static const size_t aligns[] = {1, 16, 32, 64, 256, 4096, 65536};
	void *p[7], *q;
	unsigned i;

	for (i = 0; i < 7; i++) {
		/* An odd-sized one first, so the next does not start aligned
		 * by luck. */
		q = must_alloc(&f->heap, 24 + i * 40);
		assert_int_equal(
		    heap_alloc_aligned(&f->heap, aligns[i], 100 + i, &p[i]),
		    HEAP_OK);
		assert_int_equal((uintptr_t)p[i] % aligns[i], 0);
		memset(p[i], (int)i + 1, 100 + i);
		assert_int_equal(heap_size(&f->heap, p[i]), 100 + i);
		assert_int_equal(heap_free(&f->heap, q), HEAP_OK);
	}
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(f->heap.allocations, 7);
	assert_int_equal(f->heap.bytes_in_use, 7 * 100 + 21);
	for (i = 0; i < 7; i++) {
		assert_int_equal(((uint8_t *)p[i])[99 + i], i + 1);
		assert_int_equal(heap_free(&f->heap, p[i]), HEAP_OK);
	}
	assert_int_equal(f->heap.allocations, 0);
	assert_int_equal(f->heap.bytes_in_use, 0);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(heap_alloc_aligned(&f->heap, 48, 8, &q),
	                 HEAP_E_BAD_ALIGN);
	assert_null(q);
	assert_int_equal(heap_alloc_aligned(&f->heap, 0, 8, &q),
	                 HEAP_E_BAD_ALIGN);
	assert_int_equal(
	    heap_alloc_aligned(&f->heap, HEAP_MAX_ALIGN * 2, 8, &q),
	    HEAP_E_BAD_ALIGN);
}

static void
test_realloc_in_place_and_moving(void **state)
{
	struct fixture *f = *state;
	uint8_t *p, *q, *wall;
	void *r;
	int i;

	p = must_alloc(&f->heap, 100);
	for (i = 0; i < 100; i++)
		p[i] = (uint8_t)i;
	/* Shrinking stays in place and keeps the bytes. */
	assert_int_equal(heap_realloc(&f->heap, p, 40, &r), HEAP_OK);
	assert_ptr_equal(r, p);
	assert_int_equal(heap_size(&f->heap, p), 40);
	/* Growing into the free space after it stays in place. */
	assert_int_equal(heap_realloc(&f->heap, p, 2000, &r), HEAP_OK);
	assert_ptr_equal(r, p);
	for (i = 0; i < 40; i++)
		assert_int_equal(p[i], i);
	memset(p + 40, 0x77, 2000 - 40);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	/* A used chunk right after it: growing moves it, with its bytes. */
	wall = must_alloc(&f->heap, 16);
	assert_int_equal(heap_realloc(&f->heap, p, 5000, &r), HEAP_OK);
	q = r;
	assert_ptr_not_equal(q, p);
	for (i = 0; i < 40; i++)
		assert_int_equal(q[i], i);
	for (i = 40; i < 2000; i++)
		assert_int_equal(q[i], 0x77);
	assert_int_equal(f->heap.allocations, 2);
	assert_int_equal(f->heap.bytes_in_use, 5000 + 16);
	/* The old pointer is gone: freeing it again is a double free. */
	assert_int_equal(heap_free(&f->heap, p), HEAP_E_DOUBLE_FREE);
	/* NULL is malloc; a bad pointer is refused and nothing changes. */
	assert_int_equal(heap_realloc(&f->heap, NULL, 10, &r), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, r), HEAP_OK);
	assert_int_equal(heap_realloc(&f->heap, q + 16, 10, &r),
	                 HEAP_E_BAD_POINTER);
	assert_null(r);
	/* Out of memory leaves the allocation as it was. */
	assert_int_equal(heap_realloc(&f->heap, q, ARENA_SIZE, &r),
	                 HEAP_E_NOMEM);
	assert_int_equal(q[39], 39);
	assert_int_equal(heap_free(&f->heap, q), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, wall), HEAP_OK);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(f->heap.bytes_in_use, 0);
}

static void
test_trim_gives_back_the_end(void **state)
{
	struct fixture *f = *state;
	void *a, *big;
	uintptr_t end0;
	size_t removed;

	a = must_alloc(&f->heap, 100);
	big = must_alloc(&f->heap, 10 * STEP);
	/* Only the free tail after big (under two steps) can go; then
	 * nothing is left to give back. */
	removed = heap_trim(&f->heap, 0, STEP);
	assert_true(removed < 2 * STEP);
	f->arena.mapped -= removed;
	assert_int_equal(heap_trim(&f->heap, 0, STEP), 0);
	end0 = f->heap.end;
	assert_int_equal(heap_free(&f->heap, big), HEAP_OK);
	removed = heap_trim(&f->heap, STEP, STEP);
	assert_true(removed >= 8 * STEP);
	assert_int_equal(removed % STEP, 0);
	assert_int_equal(f->heap.end, end0 - removed);
	assert_int_equal((f->heap.end - f->heap.start) % STEP, 0);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	/* The caller unmapped it; the arena grows again from the new end. */
	f->arena.mapped -= removed;
	big = must_alloc(&f->heap, 12 * STEP);
	memset(big, 3, 12 * STEP);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, big), HEAP_OK);
	assert_int_equal(heap_free(&f->heap, a), HEAP_OK);
	assert_int_equal(heap_trim(&f->heap, 0, 48), 0); /* not a power of 2 */
	assert_true(heap_trim(&f->heap, 0, STEP) > 0);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
}

/* Random allocations, frees, reallocs and aligned allocations, each
 * block filled with a pattern of its own and checked before it goes. */
static void
test_random_stress(void **state)
{
	struct fixture *f = *state;
	struct {
		uint8_t *p;
		size_t n;
		uint8_t tag;
	} b[64] = {{0}};
	uint32_t seed = 12345;
	unsigned i, k;

	for (i = 0; i < 20000; i++) {
		unsigned slot, op;
		size_t n;
		void *r;

		seed = seed * 1103515245u + 12345u;
		slot = (seed >> 8) % 64;
		op = (seed >> 16) % 4;
		n = (seed >> 20) % 3000;
		if (b[slot].p) {
			for (k = 0; k < b[slot].n; k++)
				assert_int_equal(b[slot].p[k],
				                 (uint8_t)(b[slot].tag + k));
		}
		if (b[slot].p && op == 0) {
			assert_int_equal(heap_free(&f->heap, b[slot].p),
			                 HEAP_OK);
			b[slot].p = NULL;
			continue;
		}
		if (b[slot].p && op == 1) {
			assert_int_equal(
			    heap_realloc(&f->heap, b[slot].p, n, &r), HEAP_OK);
			b[slot].p = r;
			for (k = b[slot].n; k < n; k++)
				b[slot].p[k] = (uint8_t)(b[slot].tag + k);
			b[slot].n = n;
			continue;
		}
		if (b[slot].p)
			assert_int_equal(heap_free(&f->heap, b[slot].p),
			                 HEAP_OK);
		if (op == 2)
			assert_int_equal(
			    heap_alloc_aligned(&f->heap,
			                       (size_t)64 << (seed % 4), n, &r),
			    HEAP_OK);
		else
			assert_int_equal(heap_alloc(&f->heap, n, &r), HEAP_OK);
		b[slot].p = r;
		b[slot].n = n;
		b[slot].tag = (uint8_t)seed;
		for (k = 0; k < n; k++)
			b[slot].p[k] = (uint8_t)(b[slot].tag + k);
		if (i % 1000 == 0)
			assert_int_equal(heap_check(&f->heap), HEAP_OK);
	}
	for (i = 0; i < 64; i++)
		if (b[i].p)
			assert_int_equal(heap_free(&f->heap, b[i].p), HEAP_OK);
	assert_int_equal(heap_check(&f->heap), HEAP_OK);
	assert_int_equal(f->heap.allocations, 0);
	assert_int_equal(f->heap.bytes_in_use, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_alloc_free_roundtrip),
	    T(test_many_sizes_then_check),
	    T(test_coalescing_reuses_space),
	    T(test_grows_across_steps),
	    T(test_double_free_detected),
	    T(test_overflow_detected),
	    T(test_foreign_pointers_refused),
	    T(test_use_after_free_detected),
	    T(test_exhaustion_and_limits),
	    T(test_zero_size),
	    T(test_aligned_allocations),
	    T(test_realloc_in_place_and_moving),
	    T(test_trim_gives_back_the_end),
	    T(test_random_stress),
#undef T
	};

	return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
