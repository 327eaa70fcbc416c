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

void *
malloc(size_t size)
{
	void *p;
	int err;

	capos_mutex_lock(&heap_lock);
	err = heap_alloc(&heap, size, &p);
	capos_mutex_unlock(&heap_lock);
	if (err && err != HEAP_E_NOMEM && err != HEAP_E_TOO_BIG) {
		printf("malloc(%zu): %s\n", size, heap_strerror(err));
		capos_exit(134);
	}
	return p;
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
	if (err) {
		printf("free(%p): %s\n", p, heap_strerror(err));
		capos_exit(134);
	}
}

void
capos_heap_usage(size_t *bytes, size_t *allocations)
{
	capos_mutex_lock(&heap_lock);
	*bytes = heap.bytes_in_use;
	*allocations = heap.allocations;
	capos_mutex_unlock(&heap_lock);
}
