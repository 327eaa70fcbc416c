/*
 * malloc and free over lib/mm/heap.c.  Until a VirtualMemory cap exists
 * the arena is a fixed region of the program's bss; running out returns
 * NULL.  Misuse (double free, overflow) ends the process with a message,
 * as it would panic the kernel.  One mutex serialises the threads.
 */
#include "capos.h"
#include "internal.h"
#include "mm/heap.h"

#define ARENA_SIZE (256u << 10)
#define GROW_STEP  (16u << 10)

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(HEAP_ALIGN)));
static size_t arena_used;
static struct heap heap;
static struct capos_mutex heap_lock = CAPOS_MUTEX_INIT;

static bool
grow(void *ctx, uintptr_t end, size_t bytes)
{
	(void)ctx;
	if (end != (uintptr_t)arena + arena_used ||
	    bytes > ARENA_SIZE - arena_used)
		return false;
	arena_used += bytes;
	return true;
}

void
capos_heap_init(void)
{
	heap_init(&heap, (uintptr_t)arena, grow, NULL, GROW_STEP);
}

/* Out of memory is NULL; misuse (a bad pointer, a double free, an
 * overrun canary) ends the process with the heap's diagnosis. */
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
	void *p;
	int err;

	capos_mutex_lock(&heap_lock);
	err = heap_alloc(&heap, size, &p);
	capos_mutex_unlock(&heap_lock);
	return checked(err, p, "malloc", (void *)size);
}

void *
realloc(void *old, size_t size)
{
	void *p;
	int err;

	capos_mutex_lock(&heap_lock);
	err = heap_realloc(&heap, old, size, &p);
	capos_mutex_unlock(&heap_lock);
	return checked(err, p, "realloc", old);
}

void *
aligned_alloc(size_t align, size_t size)
{
	void *p;
	int err;

	capos_mutex_lock(&heap_lock);
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
	if (p)
		memset(p, 0, n * size);
	return p;
}

void
free(void *p)
{
	int err;

	if (!p)
		return;
	capos_mutex_lock(&heap_lock);
	err = heap_free(&heap, p);
	capos_mutex_unlock(&heap_lock);
	checked(err, NULL, "free", p);
}

void
capos_heap_usage(size_t *bytes, size_t *allocations)
{
	capos_mutex_lock(&heap_lock);
	*bytes = heap.bytes_in_use;
	*allocations = heap.allocations;
	capos_mutex_unlock(&heap_lock);
}
