/*
 * Small mappings share reservations.  A process has a bounded number of
 * regions (reservations and mappings, ASPACE_REGIONS_MAX), and musl's
 * malloc maps every group of small objects on its own: one reservation
 * each would run out after a few megabytes of small objects.  So an mmap
 * of up to CHUNK_SMALL_MAX pages takes its pages from a chunk, one 64 MiB
 * reservation cut into pages:
 *
 *	page 0		the chunk's bitmap, one bit a page (committed)
 *	pages 1..	handed out first-fit from a hint that moves on
 *			and back to the lowest page freed; committed
 *			by the caller as mmap's protection asks, and
 *			decommitted when they are unmapped
 *
 * Reserving costs no frames, only virtual pages of the process's limit;
 * a new chunk is reserved when none has room.
 */
#include "shim.h"

#define CHUNK_PAGES     16384u /* 64 MiB */
#define CHUNKS_MAX      32u
#define BITMAP_WORDS    (CHUNK_PAGES / 64)
#define CHUNK_SMALL_MAX 64u /* pages: 256 KiB, a thread's stack included */

_Static_assert(BITMAP_WORDS * sizeof(uint64_t) <= CAPOS_PAGE_SIZE,
               "a chunk's bitmap fits its first page");

struct chunk {
	uint64_t base;
	uint64_t *bits; /* the chunk's page 0 */
	uint32_t free;  /* pages not handed out */
	uint32_t hint;  /* where the next search starts */
};

static struct chunk chunks[CHUNKS_MAX];
static uint32_t nchunks;
static struct capos_mutex chunk_lock = CAPOS_MUTEX_INIT;

static bool
page_used(const struct chunk *c, uint32_t i)
{
	return c->bits[i / 64] & (1ull << (i % 64));
}

static void
mark(struct chunk *c, uint32_t first, uint32_t n, bool used)
{
	uint32_t i;

	for (i = first; i < first + n; i++) {
		if (used)
			c->bits[i / 64] |= 1ull << (i % 64);
		else
			c->bits[i / 64] &= ~(1ull << (i % 64));
	}
}

/* The first run of n free pages from the hint on (wrapping once), or 0
 * (page 0 is never free). */
static uint32_t
find_run(const struct chunk *c, uint32_t n)
{
	uint32_t start = c->hint, i, run = 0, scanned;

	for (scanned = 0, i = start; scanned < CHUNK_PAGES; scanned++, i++) {
		if (i == CHUNK_PAGES) {
			i = 0;
			run = 0; /* a run does not wrap */
		}
		if (page_used(c, i)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return i + 1 - n;
	}
	return 0;
}

static struct chunk *
new_chunk(capos_capid_t vm)
{
	struct chunk *c = &chunks[nchunks];
	uint64_t base;

	if (nchunks == CHUNKS_MAX ||
	    capos_vm_reserve(vm, CHUNK_PAGES, 0, &base))
		return NULL;
	if (capos_vm_commit(vm, base, 1)) {
		capos_vm_unmap(vm, base, CHUNK_PAGES);
		return NULL;
	}
	c->base = base;
	c->bits = (uint64_t *)(uintptr_t)base; /* committed: zero */
	c->bits[0] = 1;                        /* the bitmap's own page */
	c->free = CHUNK_PAGES - 1;
	c->hint = 1;
	nchunks++;
	return c;
}

uint64_t
shim_chunk_alloc(capos_capid_t vm, uint64_t pages)
{
	uint64_t addr = 0;
	uint32_t i, at;

	if (pages == 0 || pages > CHUNK_SMALL_MAX)
		return 0;
	capos_mutex_lock(&chunk_lock);
	for (i = 0; i <= nchunks && !addr; i++) {
		struct chunk *c = i < nchunks ? &chunks[i] : new_chunk(vm);

		if (!c)
			break;
		if (c->free < pages || !(at = find_run(c, (uint32_t)pages)))
			continue;
		mark(c, at, (uint32_t)pages, true);
		c->free -= (uint32_t)pages;
		c->hint = at + (uint32_t)pages;
		if (c->hint == CHUNK_PAGES)
			c->hint = 1;
		addr = c->base + (uint64_t)at * CAPOS_PAGE_SIZE;
	}
	capos_mutex_unlock(&chunk_lock);
	return addr;
}

bool
shim_chunk_free(capos_capid_t vm, uint64_t addr, uint64_t pages)
{
	uint64_t span = (uint64_t)CHUNK_PAGES * CAPOS_PAGE_SIZE;
	bool found = false;
	uint32_t i, first, n, k;

	capos_mutex_lock(&chunk_lock);
	for (i = 0; i < nchunks && !found; i++) {
		struct chunk *c = &chunks[i];

		if (addr < c->base || addr - c->base >= span)
			continue;
		found = true;
		first = (uint32_t)((addr - c->base) / CAPOS_PAGE_SIZE);
		if (first == 0) /* never the bitmap's page */
			first = 1, pages = pages ? pages - 1 : 0;
		n = pages > CHUNK_PAGES - first ? CHUNK_PAGES - first
		                                : (uint32_t)pages;
		if (n == 0)
			break;
		capos_vm_decommit(
		    vm, c->base + (uint64_t)first * CAPOS_PAGE_SIZE, n);
		for (k = first; k < first + n; k++)
			if (page_used(c, k))
				c->free++;
		mark(c, first, n, false);
		/* Low addresses first: freed pages are reused before new
		 * ones, whose page tables the process would keep. */
		if (first < c->hint)
			c->hint = first;
	}
	capos_mutex_unlock(&chunk_lock);
	return found;
}
