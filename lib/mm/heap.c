/*
 * Heap layout: the arena is a sequence of chunks, each a 32-byte header
 * followed by its payload.  Chunks tile the arena exactly, so the next
 * chunk is at header + 32 + size and the previous one is found through
 * prev_size; that is what coalescing uses.  Free chunks are linked through
 * their payload.
 *
 *   used chunk:  [hdr][requested bytes][canary 0xCA ... up to size]
 *   free chunk:  [hdr][next][prev][poison 0xDD ...]
 */
#include "mm/heap.h"

#include "base/mem.h"

#ifndef HEAP_FULL_POISON_CHECK
#define HEAP_FULL_POISON_CHECK 0
#endif
#define HEAP_POISON_SAMPLE 64 /* bytes checked on allocation otherwise */

#define MAGIC_USED 0x55534544u /* "USED" */
#define MAGIC_FREE 0x46524545u /* "FREE" */
#define CANARY     0xca
#define POISON     0xdd

struct heap_chunk {
	uint32_t magic;
	uint32_t reserved;
	uint64_t size;      /* payload bytes, a multiple of HEAP_ALIGN */
	uint64_t prev_size; /* payload size of the previous chunk, 0 if first */
	uint64_t requested; /* bytes asked for (used chunks) */
};

struct free_links {
	struct heap_chunk *next, *prev;
};

_Static_assert(sizeof(struct heap_chunk) == 32, "chunk header size");
_Static_assert(sizeof(struct heap_chunk) % HEAP_ALIGN == 0, "header align");

#define HDR         sizeof(struct heap_chunk)
#define MIN_PAYLOAD sizeof(struct free_links)

static inline void *
payload(struct heap_chunk *c)
{
	return (uint8_t *)c + HDR;
}

static inline struct free_links *
links(struct heap_chunk *c)
{
	return (struct free_links *)payload(c);
}

static inline struct heap_chunk *
next_chunk(struct heap *h, struct heap_chunk *c)
{
	uintptr_t n = (uintptr_t)c + HDR + c->size;

	return n < h->end ? (struct heap_chunk *)n : NULL;
}

static inline struct heap_chunk *
prev_chunk(struct heap *h, struct heap_chunk *c)
{
	if ((uintptr_t)c == h->start)
		return NULL;
	return (struct heap_chunk *)((uintptr_t)c - c->prev_size - HDR);
}

static size_t
round_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void
list_push(struct heap *h, struct heap_chunk *c)
{
	struct free_links *l = links(c);

	l->prev = NULL;
	l->next = h->free_list;
	if (h->free_list)
		links(h->free_list)->prev = c;
	h->free_list = c;
}

static void
list_remove(struct heap *h, struct heap_chunk *c)
{
	struct free_links *l = links(c);

	if (l->prev)
		links(l->prev)->next = l->next;
	else
		h->free_list = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
}

static void
poison_free(struct heap_chunk *c)
{
	memset((uint8_t *)payload(c) + MIN_PAYLOAD, POISON,
	       c->size - MIN_PAYLOAD);
}

/* Checks the first upto payload bytes of a free chunk (past its links). */
static bool
poison_intact(struct heap_chunk *c, size_t upto)
{
	const uint8_t *p = (const uint8_t *)payload(c) + MIN_PAYLOAD;
	size_t i;

	if (upto > c->size)
		upto = c->size;
	for (i = 0; i < upto - MIN_PAYLOAD; i++)
		if (p[i] != POISON)
			return false;
	return true;
}

static bool
canary_intact(struct heap_chunk *c)
{
	const uint8_t *p = payload(c);
	size_t i;

	for (i = c->requested; i < c->size; i++)
		if (p[i] != CANARY)
			return false;
	return true;
}

void
heap_init(struct heap *h, uintptr_t start, heap_grow_fn grow, void *grow_ctx,
          size_t grow_step)
{
	memset(h, 0, sizeof(*h));
	h->start = h->end = start;
	h->grow = grow;
	h->grow_ctx = grow_ctx;
	h->grow_step = grow_step;
}

/*
 * Marks c free, merges it with free neighbours, and lists the result.
 * Only bytes that were not free before are poisoned (c's payload and the
 * headers merging swallows): the neighbours are poisoned already, and
 * re-poisoning a large merged chunk on every free made frees cost as much
 * as the whole free space.
 */
static void
release_chunk(struct heap *h, struct heap_chunk *c)
{
	struct heap_chunk *n = next_chunk(h, c), *p = prev_chunk(h, c);

	c->magic = MAGIC_FREE;
	c->requested = 0;
	poison_free(c);
	if (n && n->magic == MAGIC_FREE) {
		list_remove(h, n);
		c->size += HDR + n->size;
		/* n's header and links become plain payload of c. */
		memset(n, POISON, HDR + MIN_PAYLOAD);
	}
	if (p && p->magic == MAGIC_FREE) {
		list_remove(h, p);
		p->size += HDR + c->size;
		memset(c, POISON, HDR + MIN_PAYLOAD);
		c = p;
	}
	n = next_chunk(h, c);
	if (n)
		n->prev_size = c->size;
	list_push(h, c);
}

/* Adds at least need payload bytes of free space at the arena's end. */
static int
grow_arena(struct heap *h, size_t need)
{
	size_t bytes = round_up(need + HDR, h->grow_step);
	struct heap_chunk *c, *last = NULL, *p;

	if (!h->grow || !h->grow(h->grow_ctx, h->end, bytes))
		return HEAP_E_NOMEM;
	/* Find the last chunk so the new one can record its size. */
	if (h->end > h->start)
		for (p = (struct heap_chunk *)h->start; p; p = next_chunk(h, p))
			last = p;
	c = (struct heap_chunk *)h->end;
	c->magic = MAGIC_USED;
	c->reserved = 0;
	c->size = bytes - HDR;
	c->prev_size = last ? last->size : 0;
	c->requested = c->size;
	h->end += bytes;
	release_chunk(h, c);
	return HEAP_OK;
}

int
heap_alloc(struct heap *h, size_t size, void **out)
{
	struct heap_chunk *c;
	size_t need;
	int err;

	*out = NULL;
	if (size > HEAP_MAX_ALLOC)
		return HEAP_E_TOO_BIG;
	need = round_up(size + HEAP_CANARY_SIZE, HEAP_ALIGN);
	if (need < MIN_PAYLOAD)
		need = MIN_PAYLOAD;

	for (;;) {
		for (c = h->free_list; c; c = links(c)->next)
			if (c->size >= need)
				break;
		if (c)
			break;
		err = grow_arena(h, need);
		if (err)
			return err;
	}
	if (c->magic != MAGIC_FREE) {
		h->bad_chunk = (uintptr_t)c;
		return HEAP_E_CORRUPT;
	}
	/* Allocation checks the start of the part handed out (where stale
	 * pointers to freed memory most often write), so its cost does not
	 * grow with the size; heap_check() verifies whole free chunks, and
	 * HEAP_FULL_POISON_CHECK (host tests) checks all of it here too. */
	if (!poison_intact(c, HEAP_FULL_POISON_CHECK
	                          ? need
	                          : MIN_PAYLOAD + HEAP_POISON_SAMPLE)) {
		h->bad_chunk = (uintptr_t)c;
		return HEAP_E_USE_AFTER_FREE;
	}
	list_remove(h, c);

	/* Split when the rest can hold a chunk of its own. */
	if (c->size >= need + HDR + MIN_PAYLOAD) {
		struct heap_chunk *rest, *n;

		rest = (struct heap_chunk *)((uintptr_t)c + HDR + need);
		rest->magic = MAGIC_FREE;
		rest->reserved = 0;
		rest->size = c->size - need - HDR;
		rest->prev_size = need;
		rest->requested = 0;
		c->size = need;
		n = next_chunk(h, rest);
		if (n)
			n->prev_size = rest->size;
		list_push(h, rest);
	}
	c->magic = MAGIC_USED;
	c->requested = size;
	memset((uint8_t *)payload(c) + size, CANARY, c->size - size);
	h->bytes_in_use += size;
	h->allocations++;
	*out = payload(c);
	return HEAP_OK;
}

int
heap_free(struct heap *h, void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	struct heap_chunk *c;

	if (p < h->start + HDR || p >= h->end || p % HEAP_ALIGN != 0)
		return HEAP_E_BAD_POINTER;
	c = (struct heap_chunk *)(p - HDR);
	h->bad_chunk = (uintptr_t)c;
	if (c->magic == MAGIC_FREE)
		return HEAP_E_DOUBLE_FREE;
	if (c->magic != MAGIC_USED || c->size > h->end - p ||
	    c->requested > c->size)
		return HEAP_E_BAD_POINTER;
	if (!canary_intact(c))
		return HEAP_E_OVERFLOW;
	h->bad_chunk = 0;
	h->bytes_in_use -= c->requested;
	h->allocations--;
	release_chunk(h, c);
	return HEAP_OK;
}

int
heap_check(struct heap *h)
{
	struct heap_chunk *c, *prev = NULL;
	uintptr_t at = h->start;

	while (at < h->end) {
		c = (struct heap_chunk *)at;
		h->bad_chunk = at;
		if (c->size % HEAP_ALIGN != 0 || c->size > h->end - at - HDR)
			return HEAP_E_CORRUPT;
		if (c->prev_size != (prev ? prev->size : 0))
			return HEAP_E_CORRUPT;
		if (c->magic == MAGIC_USED) {
			if (c->requested > c->size)
				return HEAP_E_CORRUPT;
			if (!canary_intact(c))
				return HEAP_E_OVERFLOW;
		} else if (c->magic == MAGIC_FREE) {
			if (!poison_intact(c, c->size))
				return HEAP_E_USE_AFTER_FREE;
		} else {
			return HEAP_E_CORRUPT;
		}
		prev = c;
		at += HDR + c->size;
	}
	h->bad_chunk = 0;
	return HEAP_OK;
}

const char *
heap_strerror(int err)
{
	switch (err) {
	case HEAP_OK:
		return "ok";
	case HEAP_E_NOMEM:
		return "out of memory";
	case HEAP_E_TOO_BIG:
		return "allocation too large";
	case HEAP_E_BAD_POINTER:
		return "free of a pointer the heap did not return";
	case HEAP_E_DOUBLE_FREE:
		return "double free";
	case HEAP_E_OVERFLOW:
		return "write past the end of an allocation";
	case HEAP_E_CORRUPT:
		return "heap chunk header corrupted";
	case HEAP_E_USE_AFTER_FREE:
		return "freed memory was written to";
	}
	return "unknown error";
}
