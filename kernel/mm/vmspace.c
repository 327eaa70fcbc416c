/*
 * VirtualMemory's regions of an address space (mm/vmspace.h).  The page
 * tables say which pages are mapped and how; the region list says what
 * each range is (a reservation, or which object), which is all the page
 * tables cannot tell.  Like mm/aspace.c it reads the number inside a
 * user address: region arithmetic is arithmetic on addresses.
 *
 * TLB: every change to a present entry goes through mm/aspace.c, which
 * flushes the page (invlpg) when the address space is the one loaded.
 * The kernel runs on one CPU, and a process changes only its own address
 * space, so that is every TLB that can hold it; an object's frames are
 * freed only when no mapping of them is left anywhere.  docs/memory.md
 * says what SMP will need.
 */
#define UADDR_RAW
#include "core/kernel.h"
#include "mm/aspace.h"
#include "mm/kheap.h"
#include "mm/region.h"
#include "mm/vmspace.h"

#include <capos/layout.h>

#define WINDOW_LO    CAPOS_USER_HEAP_BASE
#define WINDOW_HI    CAPOS_USER_HEAP_END
#define WINDOW_PAGES ((WINDOW_HI - WINDOW_LO) / PAGE_SIZE)

/* The region storage, taken on first use. */
static enum kerr
regions_ready(struct aspace *as)
{
	struct region *s;

	if (as->vm.r)
		return KERR_OK;
	s = kmalloc(ASPACE_REGIONS_MAX * sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	region_list_init(&as->vm, s, ASPACE_REGIONS_MAX);
	return KERR_OK;
}

/* Room for one more region of pages pages. */
static enum kerr
room_for(struct aspace *as, uint64_t pages)
{
	if (as->vm.n == as->vm.cap)
		return KERR_QUOTA;
	if (as->vm_pages > as->vm_page_limit ||
	    pages > as->vm_page_limit - as->vm_pages)
		return KERR_QUOTA;
	return KERR_OK;
}

/* Where a new region of pages pages goes: at addr, or (0) the lowest
 * free range. */
static enum kerr
place(struct aspace *as, uint64_t addr, uint64_t pages, uint64_t *start)
{
	uint64_t end;
	enum kerr err;

	if (pages == 0 || pages > WINDOW_PAGES)
		return KERR_BAD_ARG;
	if (addr && !region_range(addr, pages, WINDOW_LO, WINDOW_HI, &end))
		return KERR_BAD_ARG;
	err = regions_ready(as);
	if (!err)
		err = room_for(as, pages);
	if (err)
		return err;
	if (!addr) {
		if (region_find_free(&as->vm, WINDOW_LO, WINDOW_HI,
		                     pages * PAGE_SIZE, &addr))
			return KERR_NOMEM; /* the window is fragmented */
	} else if (region_overlaps(&as->vm, addr, end)) {
		return KERR_BAD_ARG;
	}
	*start = addr;
	return KERR_OK;
}

enum kerr
vm_reserve(struct aspace *as, uaddr_t at, uint64_t pages, uint64_t *out)
{
	uint64_t start;
	struct region r;
	enum kerr err = place(as, uaddr_raw(at), pages, &start);

	if (err)
		return err;
	r = (struct region){start, start + pages * PAGE_SIZE, NULL, VMR_RESERVE,
	                    0};
	if (region_insert(&as->vm, &r) != REGION_OK)
		return KERR_BAD_ARG; /* place made sure it fits */
	as->vm_pages += pages;
	*out = start;
	return KERR_OK;
}

/* The reservation holding all of [addr, addr + pages), or NULL. */
static struct region *
reservation_of(struct aspace *as, uint64_t addr, uint64_t pages)
{
	struct region *r;
	uint64_t end;

	if (!as->vm.r || !region_range(addr, pages, WINDOW_LO, WINDOW_HI, &end))
		return NULL;
	r = region_within(&as->vm, addr, end);
	return r && r->kind == VMR_RESERVE ? r : NULL;
}

enum kerr
vm_commit(struct aspace *as, uaddr_t at, uint64_t pages)
{
	enum kerr err;

	if (!reservation_of(as, uaddr_raw(at), pages))
		return KERR_BAD_ARG;
	err = aspace_populate(as, at, pages, VM_WRITE);
	return err == KERR_BAD_ADDR ? KERR_BAD_ARG : err;
}

/* Unmaps the mapped pages of [addr, end); owned frames are freed. */
static void
unmap_range(struct aspace *as, uint64_t addr, uint64_t end)
{
	if (end > addr)
		(void)aspace_unmap_range(as, uaddr(addr),
		                         (end - addr) / PAGE_SIZE);
}

enum kerr
vm_decommit(struct aspace *as, uaddr_t at, uint64_t pages)
{
	uint64_t addr = uaddr_raw(at);

	if (!reservation_of(as, addr, pages))
		return KERR_BAD_ARG;
	unmap_range(as, addr, addr + pages * PAGE_SIZE);
	return KERR_OK;
}

enum kerr
vm_map(struct aspace *as, uaddr_t at, const uint64_t *frames, uint64_t npages,
       void *obj, unsigned flags, uint64_t *out)
{
	uint64_t start, i;
	struct region r;
	enum kerr err = place(as, uaddr_raw(at), npages, &start);

	if (err)
		return err;
	for (i = 0; i < npages; i++) {
		err = aspace_map_page(as, uaddr(start + i * PAGE_SIZE),
		                      frames[i], flags, false);
		if (err) {
			/* Every page there was free: undo exactly these. */
			unmap_range(as, start, start + i * PAGE_SIZE);
			return err == KERR_NOMEM ? KERR_NOMEM : KERR_BAD_ARG;
		}
	}
	r = (struct region){start, start + npages * PAGE_SIZE, obj, VMR_OBJECT,
	                    flags};
	if (region_insert(&as->vm, &r) != REGION_OK) {
		unmap_range(as, start, r.end);
		return KERR_BAD_ARG;
	}
	as->vm_pages += npages;
	*out = start;
	return KERR_OK;
}

enum kerr
vm_unmap(struct aspace *as, uaddr_t at, uint64_t pages, vm_drop_fn drop)
{
	uint64_t addr = uaddr_raw(at), end;
	uint32_t first, i;

	if (!as->vm.r || !region_range(addr, pages, WINDOW_LO, WINDOW_HI, &end))
		return KERR_BAD_ARG;
	first = region_lower(&as->vm, addr);
	for (i = first; i < as->vm.n && as->vm.r[i].start < end; i++)
		if (as->vm.r[i].start < addr || as->vm.r[i].end > end)
			return KERR_BAD_ARG; /* a region sticks out */
	if (i == first)
		return KERR_BAD_ARG; /* nothing there */
	while (i-- > first) {
		struct region r = as->vm.r[i];

		unmap_range(as, r.start, r.end);
		as->vm_pages -= (r.end - r.start) / PAGE_SIZE;
		region_remove_at(&as->vm, i);
		if (r.kind == VMR_OBJECT)
			drop(r.obj);
	}
	return KERR_OK;
}

enum kerr
vm_protect(struct aspace *as, uaddr_t at, uint64_t pages, unsigned flags)
{
	uint64_t addr = uaddr_raw(at), end, va;
	unsigned f;

	if (!as->vm.r || !region_range(addr, pages, WINDOW_LO, WINDOW_HI, &end))
		return KERR_BAD_ARG;
	for (va = addr; va < end; va += PAGE_SIZE)
		if (!region_find(&as->vm, va) ||
		    aspace_page_flags(as, uaddr(va), &f) != KERR_OK)
			return KERR_BAD_ARG;
	return aspace_protect(as, at, pages, flags) ? KERR_BAD_ARG : KERR_OK;
}

void
vm_destroy(struct aspace *as, vm_drop_fn drop)
{
	uint32_t i;

	if (!as->vm.r)
		return;
	for (i = 0; i < as->vm.n; i++)
		if (as->vm.r[i].kind == VMR_OBJECT)
			drop(as->vm.r[i].obj);
	kfree(as->vm.r);
	as->vm.r = NULL;
	as->vm.n = 0;
	as->vm_pages = 0;
}

/* A mapped page's permissions, in words. */
static const char *
prot_words(unsigned f, const char *const names[4])
{
	if (f & VM_NOACCESS)
		return names[0];
	if (f & VM_WRITE)
		return names[2];
	return f & VM_EXEC ? names[3] : names[1];
}

const char *
vm_describe(struct aspace *as, uaddr_t at)
{
	static const char *const committed[4] = {
	    "no-access committed memory", "read-only committed memory",
	    "read-write committed memory", "read-execute committed memory"};
	static const char *const object[4] = {
	    "no-access mapping of a MemoryObject",
	    "read-only mapping of a MemoryObject",
	    "read-write mapping of a MemoryObject",
	    "read-execute mapping of a MemoryObject"};
	static const char *const other[4] = {"no-access page", "read-only page",
	                                     "read-write page",
	                                     "read-execute page"};
	uint64_t va = uaddr_raw(at);
	struct region *r = as->vm.r ? region_find(&as->vm, va) : NULL;
	unsigned f = 0;
	bool present = aspace_page_flags(as, at, &f) == KERR_OK;

	if (r && r->kind == VMR_RESERVE)
		return present ? prot_words(f, committed)
		               : "reserved, not committed";
	if (r)
		return prot_words(f, object);
	return present ? prot_words(f, other) : "no mapping";
}
