/*
 * Heap layout: the arena is a sequence of chunks, each a 32-byte header
 * followed by its payload.  Chunks tile the arena exactly, so the next
 * chunk is at header + 32 + size and the previous one is found through
 * prev_size; that is what coalescing uses.  The heap keeps the last
 * chunk's size (tail_size), so the arena's end is reached without a walk
 * when it grows or is trimmed.  Free chunks are linked through their
 * payload.
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

/* Records c's size where it is kept: in the next chunk's prev_size, or
 * in the heap when c is the last chunk. */
static inline void
note_size(struct heap *h, struct heap_chunk *c)
{
	struct heap_chunk *n = next_chunk(h, c);

	if (n)
		n->prev_size = c->size;
	else
		h->tail_size = c->size;
}

static size_t
round_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The payload a chunk needs for size bytes and its canary. */
static size_t
payload_need(size_t size)
{
	size_t need = round_up(size + HEAP_CANARY_SIZE, HEAP_ALIGN);

	return need < MIN_PAYLOAD ? MIN_PAYLOAD : need;
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
	note_size(h, c);
	list_push(h, c);
}

/* Adds at least need payload bytes of free space at the arena's end. */
static int
grow_arena(struct heap *h, size_t need)
{
	size_t bytes = round_up(need + HDR, h->grow_step);
	struct heap_chunk *c;

	if (!h->grow || !h->grow(h->grow_ctx, h->end, bytes))
		return HEAP_E_NOMEM;
	c = (struct heap_chunk *)h->end;
	c->magic = MAGIC_USED;
	c->reserved = 0;
	c->size = bytes - HDR;
	c->prev_size = h->end > h->start ? h->tail_size : 0;
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
	need = payload_need(size);
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
		struct heap_chunk *rest;

		rest = (struct heap_chunk *)((uintptr_t)c + HDR + need);
		rest->magic = MAGIC_FREE;
		rest->reserved = 0;
		rest->size = c->size - need - HDR;
		rest->prev_size = need;
		rest->requested = 0;
		c->size = need;
		note_size(h, rest);
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

/* The used chunk of an allocation, after every check free makes. */
static int
used_chunk(struct heap *h, void *ptr, struct heap_chunk **out)
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
	*out = c;
	return HEAP_OK;
}

int
heap_free(struct heap *h, void *ptr)
{
	struct heap_chunk *c;
	int err = used_chunk(h, ptr, &c);

	if (err)
		return err;
	h->bytes_in_use -= c->requested;
	h->allocations--;
	release_chunk(h, c);
	return HEAP_OK;
}

size_t
heap_size(struct heap *h, void *ptr)
{
	struct heap_chunk *c;

	return used_chunk(h, ptr, &c) ? 0 : c->requested;
}

/* A used chunk now holds size bytes: the count and the canary follow. */
static void
set_requested(struct heap *h, struct heap_chunk *c, size_t size)
{
	h->bytes_in_use += size - c->requested;
	c->requested = size;
	memset((uint8_t *)payload(c) + size, CANARY, c->size - size);
}

/* Gives the payload of used chunk c beyond need (its canary) back as a
 * free chunk, when the rest can be a chunk of its own. */
static void
split_tail(struct heap *h, struct heap_chunk *c, size_t need)
{
	struct heap_chunk *rest;

	if (c->size < need + HDR + MIN_PAYLOAD)
		return;
	rest = (struct heap_chunk *)((uintptr_t)c + HDR + need);
	rest->magic = MAGIC_USED;
	rest->reserved = 0;
	rest->size = c->size - need - HDR;
	rest->prev_size = need;
	rest->requested = 0;
	c->size = need;
	release_chunk(h, rest); /* merges with a free next chunk */
}

int
heap_alloc_aligned(struct heap *h, size_t align, size_t size, void **out)
{
	struct heap_chunk *c, *front;
	uintptr_t raw, at;
	void *p;
	int err;

	*out = NULL;
	if (align == 0 || (align & (align - 1)) || align > HEAP_MAX_ALIGN)
		return HEAP_E_BAD_ALIGN;
	if (align <= HEAP_ALIGN)
		return heap_alloc(h, size, out);
	if (size > HEAP_MAX_ALLOC)
		return HEAP_E_TOO_BIG;
	/* Enough to move the start up to an aligned address and leave a
	 * free chunk of its own before it. */
	err = heap_alloc(h, size + align + HDR + MIN_PAYLOAD, &p);
	if (err)
		return err;
	raw = (uintptr_t)p;
	front = (struct heap_chunk *)(raw - HDR);
	c = front;
	if (raw % align) {
		at = round_up(raw + HDR + MIN_PAYLOAD, align);
		c = (struct heap_chunk *)(at - HDR);
		c->magic = MAGIC_USED;
		c->reserved = 0;
		c->size = front->size - (at - raw);
		c->prev_size = at - raw - HDR;
		c->requested = 0;
		front->size = at - raw - HDR;
		note_size(h, c);
		h->bytes_in_use -= front->requested;
		front->requested = 0;
		release_chunk(h, front);
	}
	set_requested(h, c, size);
	split_tail(h, c, payload_need(size));
	*out = payload(c);
	return HEAP_OK;
}

int
heap_realloc(struct heap *h, void *ptr, size_t size, void **out)
{
	struct heap_chunk *c, *n;
	size_t need;
	void *np;
	int err;

	*out = NULL;
	if (!ptr)
		return heap_alloc(h, size, out);
	err = used_chunk(h, ptr, &c);
	if (err)
		return err;
	if (size > HEAP_MAX_ALLOC)
		return HEAP_E_TOO_BIG;
	need = payload_need(size);
	n = next_chunk(h, c);
	if (need > c->size && n && n->magic == MAGIC_FREE &&
	    c->size + HDR + n->size >= need) {
		/* Grow into the free chunk after it. */
		list_remove(h, n);
		c->size += HDR + n->size;
		note_size(h, c);
	}
	if (need <= c->size) {
		set_requested(h, c, size);
		split_tail(h, c, need);
		*out = ptr;
		return HEAP_OK;
	}
	err = heap_alloc(h, size, &np);
	if (err)
		return err;
	memcpy(np, ptr, c->requested < size ? c->requested : size);
	heap_free(h, ptr);
	*out = np;
	return HEAP_OK;
}

size_t
heap_trim(struct heap *h, size_t keep, size_t unit)
{
	struct heap_chunk *last;
	uintptr_t end;
	size_t removed;

	if (h->end == h->start || unit < HEAP_ALIGN || (unit & (unit - 1)))
		return 0;
	last = (struct heap_chunk *)(h->end - HDR - h->tail_size);
	if (last->magic != MAGIC_FREE)
		return 0;
	/* The last chunk stays, with its links and keep bytes at least. */
	end = round_up((uintptr_t)last + HDR + MIN_PAYLOAD + keep, unit);
	if (end >= h->end)
		return 0;
	removed = h->end - end;
	last->size = end - (uintptr_t)last - HDR;
	h->tail_size = last->size;
	h->end = end;
	return removed;
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
	case HEAP_E_BAD_ALIGN:
		return "alignment not a power of two, or too large";
	}
	return "unknown error";
}
