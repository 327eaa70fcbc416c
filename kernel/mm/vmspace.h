/*
 * VirtualMemory's part of an address space: the regions a process makes
 * for itself in the heap window [CAPOS_USER_HEAP_BASE, CAPOS_USER_HEAP_END)
 * — reservations (whose pages are committed or not) and mappings of
 * MemoryObjects — kept in a bounded region list (lib/mm/region.h) beside
 * the page tables.  Nothing else maps in that window, so staying inside it
 * keeps every region off the image, the TLS area, the rings, the CapSet
 * and the stack.  docs/memory.md describes the model.
 *
 * Every operation checks everything before it changes anything, and
 * answers KERR_OK, KERR_BAD_ARG (the range is malformed, outside the
 * window, or does not fit the regions as the operation requires),
 * KERR_QUOTA (the frame limit, the virtual-page limit, or the region
 * slots) or KERR_NOMEM (the machine is out of memory).
 */
#ifndef MM_VMSPACE_H
#define MM_VMSPACE_H

#include <stdint.h>

#include "core/kerr.h"
#include "mm/aspace.h"
#include "mm/uaddr.h"

/* Regions one address space may hold at once. */
#define ASPACE_REGIONS_MAX 256

enum vm_region_kind {
	VMR_RESERVE, /* anonymous: pages committed (mapped) or not */
	VMR_OBJECT,  /* a MemoryObject's frames, mapped whole */
};

/* What the holder of a mapped object gives back when the mapping goes. */
typedef void (*vm_drop_fn)(void *obj);

/* Reserves pages at addr (0: the lowest free range); *out: where. */
enum kerr vm_reserve(struct aspace *as, uaddr_t addr, uint64_t pages,
                     uint64_t *out);
/* Commits the uncommitted pages of a range inside one reservation. */
enum kerr vm_commit(struct aspace *as, uaddr_t addr, uint64_t pages);
/* Frees the committed frames of a range inside one reservation. */
enum kerr vm_decommit(struct aspace *as, uaddr_t addr, uint64_t pages);
/*
 * Maps frames[0, npages) (not the address space's own: it borrows them)
 * at addr (0: the lowest free range) with VM_* flags, as a region that
 * holds obj; *out: where.  The caller took a reference on obj for the
 * mapping, which drop gives back when the region goes.
 */
enum kerr vm_map(struct aspace *as, uaddr_t addr, const uint64_t *frames,
                 uint64_t npages, void *obj, unsigned flags, uint64_t *out);
/* Removes every region inside the range (each wholly inside it, at least
 * one), flushing its pages from the TLB. */
enum kerr vm_unmap(struct aspace *as, uaddr_t addr, uint64_t pages,
                   vm_drop_fn drop);
/* Sets VM_* flags on a range whose every page is committed or mapped. */
enum kerr vm_protect(struct aspace *as, uaddr_t addr, uint64_t pages,
                     unsigned flags);
/* The address space is going: every mapped object is dropped and the
 * region storage freed (the page tables go with aspace_destroy). */
void vm_destroy(struct aspace *as, vm_drop_fn drop);
/* What is at va, for the message of a fault there: "reserved, not
 * committed", "read-only mapping of a MemoryObject", "no mapping", ... */
const char *vm_describe(struct aspace *as, uaddr_t va);

#endif
