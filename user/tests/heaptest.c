/*
 * heaptest: libcapos's heap in a process (boot suite case user-heap,
 * run=heaptest).  Four threads at once make random malloc, calloc,
 * realloc, aligned_alloc and free calls, each block filled with a pattern
 * of its own and checked before it changes or goes; then every block is
 * freed and the heap is back at its baseline.  Running out of memory is
 * NULL, not the end of the process.
 */
#include "capos.h"

#define NTHREADS 4
#define SLOTS    24
#define OPS      3000
#define MAX_SIZE 2000

struct block {
	uint8_t *p;
	size_t n;
	uint8_t tag;
};

struct stress {
	uint32_t seed;
	struct block b[SLOTS];
	uint32_t bad, misaligned, null;
};

static bool
intact(const struct block *b)
{
	size_t k;

	for (k = 0; k < b->n; k++)
		if (b->p[k] != (uint8_t)(b->tag + k))
			return false;
	return true;
}

static void
fill(struct block *b, size_t from)
{
	size_t k;

	for (k = from; k < b->n; k++)
		b->p[k] = (uint8_t)(b->tag + k);
}

static void *
stress_thread(void *arg)
{
	struct stress *s = arg;
	uint32_t i;

	for (i = 0; i < OPS; i++) {
		struct block *b;
		size_t n, align;
		uint32_t op;
		void *r;

		s->seed = s->seed * 1103515245u + 12345u;
		b = &s->b[(s->seed >> 8) % SLOTS];
		op = (s->seed >> 16) % 5;
		n = (s->seed >> 20) % MAX_SIZE;
		if (b->p && !intact(b))
			s->bad++;
		if (b->p && op == 0) {
			free(b->p);
			b->p = NULL;
			continue;
		}
		if (b->p && op == 1) {
			r = realloc(b->p, n);
			if (!r) {
				s->null++;
				continue;
			}
			size_t kept = b->n < n ? b->n : n;

			b->p = r;
			b->n = n;
			fill(b, kept);
			continue;
		}
		free(b->p);
		align = (size_t)32 << (s->seed % 5);
		if (op == 2)
			r = aligned_alloc(align, n);
		else if (op == 3)
			r = calloc(n, 1);
		else
			r = malloc(n);
		b->p = r;
		b->n = r ? n : 0;
		b->tag = (uint8_t)s->seed;
		if (!r) {
			s->null++;
			continue;
		}
		if (op == 2 && (uintptr_t)r % align)
			s->misaligned++;
		if (op == 3)
			for (size_t k = 0; k < n; k++)
				if (b->p[k])
					s->bad++;
		fill(b, 0);
	}
	for (i = 0; i < SLOTS; i++) {
		if (s->b[i].p && !intact(&s->b[i]))
			s->bad++;
		free(s->b[i].p);
	}
	return NULL;
}

int
main(void)
{
	static struct stress s[NTHREADS];
	struct capos_thread *t[NTHREADS];
	size_t bytes0, allocs0, bytes1, allocs1;
	uint32_t bad = 0, misaligned = 0, nulls = 0;
	int i, n = 0;
	void *huge;

	ktest_prefix("heap.");
	capos_heap_usage(&bytes0, &allocs0);
	for (i = 0; i < NTHREADS; i++) {
		s[i].seed = 1000u + (uint32_t)i * 7919u;
		n +=
		    capos_thread_create(&t[i], stress_thread, &s[i], NULL) == 0;
	}
	for (i = 0; i < n; i++)
		capos_thread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++) {
		bad += s[i].bad;
		misaligned += s[i].misaligned;
		nulls += s[i].null;
	}
	ktest_check(n == NTHREADS, "threads", "%d of %d started", n, NTHREADS);
	ktest_check(bad == 0, "contents_kept", "%u blocks changed under us",
	            bad);
	ktest_check(misaligned == 0, "aligned_alloc_aligned", "%u misaligned",
	            misaligned);
	ktest_check(nulls == 0, "no_spurious_null", "%u NULLs", nulls);
	capos_heap_usage(&bytes1, &allocs1);
	ktest_check(bytes1 == bytes0 && allocs1 == allocs0, "back_to_baseline",
	            "%zu bytes in %zu blocks before, %zu in %zu after", bytes0,
	            allocs0, bytes1, allocs1);
	huge = malloc((size_t)1 << 40);
	ktest_check(huge == NULL, "huge_is_null", "malloc(1 TiB) = %p", huge);
	ktest_check(aligned_alloc(48, 16) == NULL, "bad_align_is_null",
	            "aligned_alloc(48, 16) returned memory");
	printf("heaptest: %d failures\n", ktest_failures());
	return ktest_failures();
}
