/*
 * Region list: a sorted array searched by bisection.  Insertion and
 * removal move the tail; the list is small (a bounded number of slots),
 * and lookups, which the fault path makes, are what must be quick.
 */
#include "mm/region.h"

#include "base/mem.h"

#define PAGE_MASK (REGION_PAGE_SIZE - 1)

void
region_list_init(struct region_list *l, struct region *storage, uint32_t cap)
{
	l->r = storage;
	l->n = 0;
	l->cap = cap;
}

bool
region_range(uint64_t addr, uint64_t pages, uint64_t lo, uint64_t hi,
             uint64_t *end)
{
	if ((addr & PAGE_MASK) || pages == 0 || lo >= hi)
		return false;
	if (addr < lo || addr >= hi)
		return false;
	/* (hi - addr) / page is the most pages that fit: no overflow. */
	if (pages > (hi - addr) / REGION_PAGE_SIZE)
		return false;
	*end = addr + pages * REGION_PAGE_SIZE;
	return true;
}

uint32_t
region_lower(const struct region_list *l, uint64_t va)
{
	uint32_t lo = 0, hi = l->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (l->r[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct region *
region_find(const struct region_list *l, uint64_t va)
{
	uint32_t i = region_lower(l, va);

	if (i < l->n && l->r[i].start <= va)
		return &l->r[i];
	return NULL;
}

struct region *
region_within(const struct region_list *l, uint64_t start, uint64_t end)
{
	struct region *r = region_find(l, start);

	if (r && start < end && end <= r->end)
		return r;
	return NULL;
}

bool
region_overlaps(const struct region_list *l, uint64_t start, uint64_t end)
{
	uint32_t i = region_lower(l, start);

	return i < l->n && l->r[i].start < end;
}

int
region_insert(struct region_list *l, const struct region *r)
{
	uint32_t i;

	if (r->start >= r->end || ((r->start | r->end) & PAGE_MASK))
		return REGION_E_RANGE;
	if (region_overlaps(l, r->start, r->end))
		return REGION_E_OVERLAP;
	if (l->n == l->cap)
		return REGION_E_FULL;
	i = region_lower(l, r->start);
	memmove(&l->r[i + 1], &l->r[i], (l->n - i) * sizeof(*r));
	l->r[i] = *r;
	l->n++;
	return REGION_OK;
}

void
region_remove_at(struct region_list *l, uint32_t i)
{
	if (i >= l->n)
		return;
	memmove(&l->r[i], &l->r[i + 1], (l->n - i - 1) * sizeof(l->r[0]));
	l->n--;
}

int
region_find_free(const struct region_list *l, uint64_t lo, uint64_t hi,
                 uint64_t size, uint64_t *out)
{
	uint64_t at = lo;
	uint32_t i;

	if (size == 0 || (size & PAGE_MASK) || (lo & PAGE_MASK) || lo >= hi)
		return REGION_E_RANGE;
	for (i = region_lower(l, lo); i <= l->n; i++) {
		uint64_t gap_end = i < l->n ? l->r[i].start : hi;

		if (gap_end > hi)
			gap_end = hi;
		if (gap_end > at && gap_end - at >= size) {
			*out = at;
			return REGION_OK;
		}
		if (i < l->n && l->r[i].end > at)
			at = l->r[i].end;
		if (at >= hi)
			break;
	}
	return REGION_E_NOSPACE;
}
