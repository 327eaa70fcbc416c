/*
 * heaptest: libcapos's heap in a process (boot suite case user-heap,
 * run=heaptest, with a VirtualMemory cap).
 *
 * - Four threads at once make random malloc, calloc, realloc,
 *   aligned_alloc and free calls, each block filled with a pattern of its
 *   own and checked before it changes or goes; then every block is freed
 *   and the heap is back at its baseline.
 * - One thread twice runs the same sequence through 4 MiB of blocks, large
 *   ones (their own mappings) among them, growing and shrinking some with
 *   realloc: far more than the old fixed arena held, the frames it took
 *   are counted (SystemInfo); once all is freed the frames are back but
 *   for a few page-table pages, and a second run ends with exactly the
 *   free frames the first ended with.
 * - Running out of memory is NULL, not the end of the process.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

#define NTHREADS  4
#define SLOTS     48
#define OPS       3000
#define MAX_SIZE  3000
#define BIG_EVERY 64 /* ops; a block of its own (>= 128 KiB) */

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
		if (i % BIG_EVERY == 0)
			n += 130u << 10;
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

/* --- frames: one thread, a fixed sequence --------------------------------- */

#define FR_BLOCKS 64
#define FR_TOTAL  (4u << 20)
/* Frames a first run may keep: page-table pages for the address ranges it
 * used first (an address space keeps those until it goes). */
#define FR_TABLES_MAX 8

static capos_capid_t sysinfo;

static uint64_t
free_frames(void)
{
	uint64_t total, free;

	return capos_sysinfo_memory(sysinfo, &total, &free) ? 0 : free;
}

/* Allocates FR_TOTAL bytes in blocks of sizes from 1 KiB to 320 KiB,
 * reallocs every third one to half or twice its size, checks every byte,
 * frees all.  *low: the free frames at the fullest point.  Returns the
 * blocks that did not hold their bytes (or were not given). */
static uint32_t
frames_run(uint64_t *low)
{
	struct block b[FR_BLOCKS];
	uint32_t i, bad = 0;
	size_t total = 0;

	for (i = 0; i < FR_BLOCKS; i++) {
		size_t n =
		    (i % 8 == 0) ? (320u << 10) : (size_t)(1024 + i * 997);

		if (total + n > FR_TOTAL)
			n = 1024;
		total += n;
		b[i].p = malloc(n);
		b[i].n = b[i].p ? n : 0;
		b[i].tag = (uint8_t)(i * 31);
		bad += !b[i].p;
		fill(&b[i], 0);
	}
	for (i = 0; i < FR_BLOCKS; i += 3) {
		size_t n = (i % 2) ? b[i].n * 2 : b[i].n / 2;
		size_t kept = b[i].n < n ? b[i].n : n;
		void *r = b[i].p ? realloc(b[i].p, n) : NULL;

		if (!r)
			continue;
		b[i].p = r;
		b[i].n = n;
		fill(&b[i], kept);
	}
	*low = free_frames();
	for (i = 0; i < FR_BLOCKS; i++) {
		if (b[i].p && !intact(&b[i]))
			bad++;
		free(b[i].p);
	}
	return bad;
}

static void
test_frames(void)
{
	uint64_t before, low0, after0, low1, after1;
	uint32_t bad;

	if (capos_capset_find("sysinfo", capos_SystemInfo_TYPE_ID, &sysinfo)) {
		ktest_check(false, "frames.sysinfo", "no SystemInfo cap");
		return;
	}
	before = free_frames();
	bad = frames_run(&low0);
	after0 = free_frames();
	bad += frames_run(&low1);
	after1 = free_frames();
	printf("heaptest: free frames %lu before, %lu at the fullest, %lu "
	       "after\n",
	       (unsigned long)before, (unsigned long)low0,
	       (unsigned long)after0);
	ktest_check(bad == 0, "frames.contents_kept",
	            "%u blocks lost their bytes or were not given", bad);
	ktest_check(before - low0 >= FR_TOTAL / 4096,
	            "frames.beyond_fixed_arena",
	            "%lu frames in use at the fullest point",
	            (unsigned long)(before - low0));
	ktest_check(before - after0 <= FR_TABLES_MAX, "frames.returned_by_free",
	            "%lu frames kept after everything was freed",
	            (unsigned long)(before - after0));
	ktest_check(after1 == after0 && low1 == low0, "frames.second_run_same",
	            "free frames after each run %lu, %lu; at the fullest %lu, "
	            "%lu",
	            (unsigned long)after0, (unsigned long)after1,
	            (unsigned long)low0, (unsigned long)low1);
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
	test_frames();
	huge = malloc((size_t)1 << 40);
	ktest_check(huge == NULL, "huge_is_null", "malloc(1 TiB) = %p", huge);
	ktest_check(aligned_alloc(48, 16) == NULL, "bad_align_is_null",
	            "aligned_alloc(48, 16) returned memory");
	printf("heaptest: %d failures\n", ktest_failures());
	return ktest_failures();
}
