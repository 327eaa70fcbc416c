/*
 * A first-fit heap over one growing arena, with the checks a kernel wants
 * while it is young: every chunk has a header with a magic number and a
 * state, every allocation is followed by a canary that free() verifies,
 * freed memory is poisoned, and neighbours are coalesced.  A double free,
 * a free of a pointer the heap never returned, or a write past the end of
 * an allocation is reported as an error with the chunk's address instead
 * of corrupting the heap silently.
 *
 * Pure logic: the arena grows through a callback that maps more memory at
 * the arena's end, so the same code runs in host tests.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN       16u
#define HEAP_CANARY_SIZE 16u /* at least this many canary bytes */
#define HEAP_MAX_ALLOC   (64u << 20)

enum heap_error {
	HEAP_OK = 0,
	HEAP_E_NOMEM = -1,       /* arena could not grow */
	HEAP_E_TOO_BIG = -2,     /* request above HEAP_MAX_ALLOC */
	HEAP_E_BAD_POINTER = -3, /* not a pointer this heap returned */
	HEAP_E_DOUBLE_FREE = -4,
	HEAP_E_OVERFLOW = -5, /* canary after the allocation overwritten */
	HEAP_E_CORRUPT = -6,  /* a chunk header is damaged */
	HEAP_E_USE_AFTER_FREE = -7, /* a freed chunk was written to */
	HEAP_E_BAD_ALIGN = -8,      /* alignment not a power of two, or huge */
};

/* Extends the arena by bytes at its end; returns false when it cannot. */
typedef bool (*heap_grow_fn)(void *ctx, uintptr_t end, size_t bytes);

struct heap_chunk;

struct heap {
	uintptr_t start;
	uintptr_t end; /* one past the last arena byte */
	heap_grow_fn grow;
	void *grow_ctx;
	size_t grow_step; /* minimum growth, a multiple of the page size */
	struct heap_chunk *free_list;
	size_t tail_size;    /* payload size of the last chunk (0: none) */
	size_t bytes_in_use; /* payload bytes handed out */
	size_t allocations;  /* live allocations */
	/* The first problem found, for diagnostics. */
	uintptr_t bad_chunk;
};

/* start must be HEAP_ALIGN-aligned; the arena is initially empty. */
void heap_init(struct heap *h, uintptr_t start, heap_grow_fn grow,
               void *grow_ctx, size_t grow_step);

/* Returns HEAP_OK and *out, or an error; *out is NULL on error. */
int heap_alloc(struct heap *h, size_t size, void **out);
/* The same with *out a multiple of align (a power of two; at most
 * HEAP_MAX_ALIGN; HEAP_E_BAD_ALIGN otherwise).  heap_free frees it. */
#define HEAP_MAX_ALIGN (1u << 20)
int heap_alloc_aligned(struct heap *h, size_t align, size_t size, void **out);
int heap_free(struct heap *h, void *p);
/*
 * Resizes the allocation at p to size bytes, in place when the chunk (or
 * it and a free chunk after it) can hold them, else by a new allocation,
 * a copy and a free; *out is the allocation to use from now on.  On an
 * error (p invalid, out of memory) p is untouched and still allocated.
 * The alignment of an aligned allocation survives only in place.
 */
int heap_realloc(struct heap *h, void *p, size_t size, void **out);
/* Bytes asked for when p was allocated (0 with an invalid p). */
size_t heap_size(struct heap *h, void *p);

/*
 * Gives back the free space at the arena's end beyond keep bytes, in
 * whole multiples of unit (a power of two; the unit of the memory under
 * the arena): returns the bytes removed from the end, which the caller
 * may then unmap; the arena grows again through the grow callback.
 */
size_t heap_trim(struct heap *h, size_t keep, size_t unit);

/* Walks the whole arena and verifies every header and canary. */
int heap_check(struct heap *h);

const char *heap_strerror(int err);

#endif
