/*
 * malloc and friends over lib/mm/heap.c.
 *
 * With a VirtualMemory cap in the CapSet (any name), the arena is a
 * window of address space reserved on the first allocation and committed
 * as the heap grows; free space at its end goes back (decommitted) once
 * more than TRIM_KEEP of it is free.  Blocks of LARGE_MIN bytes and more
 * get a reservation of their own, committed whole and unmapped by free.
 * Without VirtualMemory, the arena is a fixed region of the program's bss
 * (demand-zero: it costs nothing until used).  Either way running out is
 * NULL, never the end of the process; misuse (a bad pointer, a double
 * free, an overrun canary) ends the process with the heap's diagnosis, as
 * it would panic the kernel.  One mutex serialises the threads; the
 * VirtualMemory client's own mutex is taken only under it.
 */
#include "capos.h"
#include "internal.h"
#include "mm/heap.h"

#include "capos.capnp.h"

#define PAGE         4096u
#define BSS_ARENA    (256u << 10)
#define GROW_STEP    (16u << 10)
#define TRIM_KEEP    (64u << 10)
#define LARGE_MIN    (128u << 10)
#define LARGE_HDR    64u /* keeps the payload 64-byte aligned */
#define LARGE_MAX    ((size_t)1 << 36)
#define WINDOW_TRIES 4

/* Window sizes tried in turn, within the virtualPages limit. */
static const size_t window_sizes[WINDOW_TRIES] = {
    (size_t)256 << 20, (size_t)64 << 20, (size_t)16 << 20, (size_t)4 << 20};

static uint8_t bss_arena[BSS_ARENA] __attribute__((aligned(PAGE)));
static struct heap heap;
static struct capos_mutex heap_lock = CAPOS_MUTEX_INIT;
static bool ready;
static capos_capid_t vm;
static bool have_vm;
static uintptr_t window_end;

/* A block with a reservation of its own; the header starts it. */
struct large {
	uint64_t magic;
	uint64_t pages;
	uint64_t size;
	struct large *next;
};
#define LARGE_MAGIC 0x4c41524745424c4bull /* "LARGEBLK" */
_Static_assert(sizeof(struct large) <= LARGE_HDR, "header fits");

static struct large *larges;
static size_t large_bytes, large_count;

static bool
grow_bss(void *ctx, uintptr_t end, size_t bytes)
{
	(void)ctx;
	return end + bytes <= (uintptr_t)bss_arena + BSS_ARENA &&
	       end + bytes > end;
}

static bool
grow_vm(void *ctx, uintptr_t end, size_t bytes)
{
	(void)ctx;
	if (bytes > window_end - end)
		return false;
	return capos_vm_commit(vm, end, bytes / PAGE) == 0;
}

/* The first allocation chooses the arena (under heap_lock). */
static void
heap_ready(void)
{
	uint64_t base;
	int i;

	if (ready)
		return;
	ready = true;
	if (capos_capset_find_interface(capos_VirtualMemory_TYPE_ID, &vm) == 0)
		for (i = 0; i < WINDOW_TRIES && !have_vm; i++)
			if (capos_vm_reserve(vm, window_sizes[i] / PAGE, 0,
			                     &base) == 0) {
				have_vm = true;
				window_end = (uintptr_t)base + window_sizes[i];
				heap_init(&heap, (uintptr_t)base, grow_vm, NULL,
				          GROW_STEP);
			}
	if (!have_vm)
		heap_init(&heap, (uintptr_t)bss_arena, grow_bss, NULL,
		          GROW_STEP);
}

void
capos_heap_init(void)
{
	/* Nothing yet: a program that never allocates makes no call. */
}

/* Gives the arena's free end beyond TRIM_KEEP back (under heap_lock). */
static void
trim(void)
{
	size_t removed;

	if (!have_vm)
		return;
	removed = heap_trim(&heap, TRIM_KEEP, PAGE);
	/* A failed decommit leaves the pages committed: the next growth
	 * commits them again, which keeps their contents. */
	if (removed)
		capos_vm_decommit(vm, heap.end, removed / PAGE);
}

/* --- large blocks (under heap_lock) ------------------------------------- */

static void *
large_alloc(size_t size)
{
	uint64_t pages, base;
	struct large *l;

	if (size > LARGE_MAX)
		return NULL;
	pages = (size + LARGE_HDR + PAGE - 1) / PAGE;
	if (capos_vm_reserve(vm, pages, 0, &base))
		return NULL;
	if (capos_vm_commit(vm, base, pages)) {
		capos_vm_unmap(vm, base, pages);
		return NULL;
	}
	l = (struct large *)(uintptr_t)base;
	l->magic = LARGE_MAGIC;
	l->pages = pages;
	l->size = size;
	l->next = larges;
	larges = l;
	large_bytes += size;
	large_count++;
	return (uint8_t *)l + LARGE_HDR;
}

/* The large block p is the payload of, found without reading memory
 * that may not be mapped; NULL when p is none. */
static struct large **
large_find(const void *p)
{
	struct large **pp;

	for (pp = &larges; *pp; pp = &(*pp)->next)
		if ((const uint8_t *)*pp + LARGE_HDR == p)
			return pp;
	return NULL;
}

static void
large_free(struct large **pp)
{
	struct large *l = *pp;

	*pp = l->next;
	large_bytes -= l->size;
	large_count--;
	capos_vm_unmap(vm, (uintptr_t)l, l->pages);
}

/* --- the C interface ------------------------------------------------------ */

/* Out of memory is NULL; misuse ends the process with the diagnosis. */
static void *
checked(int err, void *p, const char *what, const void *arg)
{
	if (err && err != HEAP_E_NOMEM && err != HEAP_E_TOO_BIG &&
	    err != HEAP_E_BAD_ALIGN) {
		printf("%s(%p): %s\n", what, arg, heap_strerror(err));
		capos_exit(134);
	}
	return p;
}

void *
malloc(size_t size)
{
	void *p = NULL;
	int err = 0;

	capos_mutex_lock(&heap_lock);
	heap_ready();
	if (have_vm && size >= LARGE_MIN)
		p = large_alloc(size);
	else
		err = heap_alloc(&heap, size, &p);
	capos_mutex_unlock(&heap_lock);
	return checked(err, p, "malloc", (void *)size);
}

void *
aligned_alloc(size_t align, size_t size)
{
	void *p;
	int err;

	capos_mutex_lock(&heap_lock);
	heap_ready();
	err = heap_alloc_aligned(&heap, align, size, &p);
	capos_mutex_unlock(&heap_lock);
	return checked(err, p, "aligned_alloc", (void *)align);
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	/* A block of its own is fresh committed pages: zero already. */
	if (p && !(have_vm && n * size >= LARGE_MIN))
		memset(p, 0, n * size);
	return p;
}

void
free(void *p)
{
	struct large **pp;
	int err = 0;

	if (!p)
		return;
	capos_mutex_lock(&heap_lock);
	heap_ready();
	if (have_vm && (pp = large_find(p)))
		large_free(pp);
	else if ((err = heap_free(&heap, p)) == 0)
		trim();
	capos_mutex_unlock(&heap_lock);
	checked(err, NULL, "free", p);
}

void *
realloc(void *old, size_t size)
{
	struct large **pp = NULL;
	size_t keep;
	void *p;
	int err;

	if (!old)
		return malloc(size);
	capos_mutex_lock(&heap_lock);
	heap_ready();
	if (have_vm)
		pp = large_find(old);
	if (pp && size >= LARGE_MIN &&
	    size + LARGE_HDR <= (*pp)->pages * PAGE) {
		/* Still fits its pages. */
		large_bytes += size - (*pp)->size;
		(*pp)->size = size;
		capos_mutex_unlock(&heap_lock);
		return old;
	}
	if (!pp && !(have_vm && size >= LARGE_MIN)) {
		err = heap_realloc(&heap, old, size, &p);
		capos_mutex_unlock(&heap_lock);
		return checked(err, p, "realloc", old);
	}
	/* Between the arena and a block of its own: move it. */
	keep = pp ? (*pp)->size : heap_size(&heap, old);
	capos_mutex_unlock(&heap_lock);
	p = malloc(size);
	if (!p)
		return NULL;
	memcpy(p, old, keep < size ? keep : size);
	free(old);
	return p;
}

void
capos_heap_usage(size_t *bytes, size_t *allocations)
{
	capos_mutex_lock(&heap_lock);
	*bytes = heap.bytes_in_use + large_bytes;
	*allocations = heap.allocations + large_count;
	capos_mutex_unlock(&heap_lock);
}
