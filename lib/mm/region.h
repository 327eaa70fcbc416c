/*
 * A bounded, sorted list of disjoint address ranges: the regions an
 * address space has handed out through VirtualMemory (reservations and
 * mappings of MemoryObjects).  Pure logic over caller-provided storage,
 * so the arithmetic (overlap, first fit, overflow of a page count) is
 * host-tested; what a region means is the caller's business (kind, prot,
 * obj are carried, never read).
 */
#ifndef MM_REGION_H
#define MM_REGION_H

#include <stdbool.h>
#include <stdint.h>

#define REGION_PAGE_SIZE 4096ull

enum region_error {
	REGION_OK = 0,
	REGION_E_FULL = -1,    /* no slot left */
	REGION_E_OVERLAP = -2, /* the range meets an existing region */
	REGION_E_RANGE = -3,   /* empty or unaligned range */
	REGION_E_NOSPACE = -4, /* no free range of that size */
};

struct region {
	uint64_t start, end; /* [start, end), page aligned */
	void *obj;           /* the caller's: what is mapped there */
	uint32_t kind;       /* the caller's */
	uint32_t prot;       /* the caller's */
};

struct region_list {
	struct region *r; /* sorted by start, disjoint */
	uint32_t n, cap;
};

void region_list_init(struct region_list *l, struct region *storage,
                      uint32_t cap);

/*
 * The range of `pages` pages at addr, checked against the window
 * [lo, hi): addr page aligned, pages nonzero, the whole range inside the
 * window, with no multiplication or addition that can overflow.  True
 * and *end on success.
 */
bool region_range(uint64_t addr, uint64_t pages, uint64_t lo, uint64_t hi,
                  uint64_t *end);

/* Index of the first region whose end lies past va (l->n: none). */
uint32_t region_lower(const struct region_list *l, uint64_t va);
/* The region holding va, or NULL. */
struct region *region_find(const struct region_list *l, uint64_t va);
/* The region holding all of [start, end), or NULL. */
struct region *region_within(const struct region_list *l, uint64_t start,
                             uint64_t end);
bool region_overlaps(const struct region_list *l, uint64_t start, uint64_t end);

/* Adds r (REGION_E_RANGE, REGION_E_OVERLAP, REGION_E_FULL: unchanged). */
int region_insert(struct region_list *l, const struct region *r);
void region_remove_at(struct region_list *l, uint32_t i);

/*
 * The lowest free range of size bytes (page aligned, nonzero) inside
 * [lo, hi): REGION_OK and *out, or REGION_E_NOSPACE.
 */
int region_find_free(const struct region_list *l, uint64_t lo, uint64_t hi,
                     uint64_t size, uint64_t *out);

#endif
