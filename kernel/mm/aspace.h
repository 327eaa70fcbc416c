/*
 * User address spaces.  The kernel half of every address space is the
 * kernel's own (shared PML4 entries); the user half belongs to the address
 * space, and tearing it down frees every frame and page-table page in it.
 *
 * User memory is never touched through a user pointer: aspace_copy_in and
 * aspace_copy_out walk the page tables, check that each page is present,
 * user-accessible (and writable, for copy-out), and copy through the
 * kernel's direct map.  A bad pointer is an error code, never a fault.
 * Every user address these functions take is a uaddr_t (mm/uaddr.h):
 * this file is the only one that looks inside it.
 */
#ifndef MM_ASPACE_H
#define MM_ASPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/paging.h"
#include "core/kerr.h"
#include "mm/region.h"
#include "mm/uaddr.h"

/* A range whose pages get a zeroed frame on first touch (demand zero):
 * a stack or a bss costs nothing until it is used. */
struct lazy_range {
	uint64_t start, end;
	unsigned flags;
};

#define ASPACE_LAZY_MAX 4
/* A software bit of the page-table entry: the frame is shared, not owned. */
#define PTE_SHARED        (1ull << 9)
#define ASPACE_PTE_CACHE  8  /* leaf entries remembered, a power of two */
#define ASPACE_TABLES_MAX 32 /* page-table pages remembered for teardown */

struct aspace {
	uint64_t root;        /* physical address of the PML4 */
	uint64_t user_frames; /* frames mapped in the user half */
	uint64_t table_pages; /* page-table pages of the user half */
	uint64_t frame_limit; /* frames used may not pass it (0: none) */
	/* Frames charged to the owner that are not mapped here as its own:
	 * the MemoryObjects it pays for (kobj/memory_object.c). */
	uint64_t charged_frames;
	/* VirtualMemory's regions (mm/vmspace.c): storage taken on first
	 * use, ASPACE_REGIONS_MAX slots; pages reserved or mapped in them,
	 * and the most there may be. */
	struct region_list vm;
	uint64_t vm_pages;
	uint64_t vm_page_limit;
	struct lazy_range lazy[ASPACE_LAZY_MAX];
	unsigned nlazy;
	/* Leaf entry addresses of recently used pages (page number + 1;
	 * 0 is empty). */
	uint64_t pte_cache_va[ASPACE_PTE_CACHE];
	uint64_t *pte_cache[ASPACE_PTE_CACHE];
	/* The user half's page-table pages (address | level, level 0 being
	 * the tables of leaf entries), so teardown visits only those; past
	 * ASPACE_TABLES_MAX it walks the whole tree instead. */
	uint64_t tables[ASPACE_TABLES_MAX];
	/* Bit g of used[k]: entries 8g..8g+7 of tables[k] have been set
	 * (root_used: of the PML4's user half), so that teardown visits,
	 * and clears, only those. */
	uint64_t used[ASPACE_TABLES_MAX];
	uint64_t root_used;
	unsigned used_last; /* the index last marked */
	unsigned ntables;
	bool tables_overflow;
	/* A kernel-wide stamp (never 0), new at every change of a leaf
	 * entry (mapped, unmapped, protected) and at creation: a
	 * translation the kernel keeps (the IPC fast path's,
	 * ipc/fastpath.c) is good while the stamp is the one it was made
	 * under, and no two address spaces ever share one. */
	uint64_t map_gen;
};

enum kerr aspace_create(struct aspace *as);
void aspace_destroy(struct aspace *as);

/*
 * Page-table pages of dead address spaces are cleared entry by entry at
 * teardown (only the entries that were ever set) and kept for the next
 * address space, which then need not zero a whole page for each: up to
 * ASPACE_CLEAN_TABLES tables and ASPACE_CLEAN_ROOTS PML4s (those keep
 * the kernel half).  They stay in the FRAME_PAGETABLE ledger while kept;
 * a leak check empties the cache first, as it does the kernel stacks'.
 */
#define ASPACE_CLEAN_TABLES 32
#define ASPACE_CLEAN_ROOTS  4
void aspace_cache_drain(void);

/* Frames the owner uses: its own mapped ones and those charged to it. */
static inline uint64_t
aspace_frames_used(const struct aspace *as)
{
	return as->user_frames + as->charged_frames;
}

/* Whether n more frames fit under the frame limit. */
static inline bool
aspace_frames_fit(const struct aspace *as, uint64_t n)
{
	uint64_t used = aspace_frames_used(as);

	return !as->frame_limit ||
	       (used <= as->frame_limit && n <= as->frame_limit - used);
}

/* Maps npages fresh zeroed frames at va with VM_* flags (VM_USER added). */
enum kerr aspace_map_anon(struct aspace *as, uaddr_t va, uint64_t npages,
                          unsigned flags);
/*
 * Maps npages existing read-only frames from pa at va (VM_WRITE refused):
 * pages the address space does not own, such as a binary's text in its
 * boot module, which every process of that binary then shares.  Teardown
 * leaves them alone; they do not count against the frame limit.
 */
enum kerr aspace_map_shared(struct aspace *as, uaddr_t va, uint64_t pa,
                            uint64_t npages, unsigned flags);

/*
 * Reserves [va, va + npages) for demand-zero mapping with VM_* flags.
 * Returns KERR_OK, KERR_BAD_ADDR, or KERR_NOMEM when no range slot is left.
 */
enum kerr aspace_reserve_lazy(struct aspace *as, uaddr_t va, uint64_t npages,
                              unsigned flags);
/*
 * Maps the page at va if it lies in a lazy range and is not mapped yet
 * (a user page fault, or a kernel copy touching it first).  Returns KERR_OK,
 * KERR_NOT_MAPPED when va is in no lazy range, or KERR_NOMEM (out of frames,
 * or the frame limit reached).
 */
enum kerr aspace_fault(struct aspace *as, uaddr_t va);

/* Unmaps the page at va, freeing its frame unless it is shared. */
enum kerr aspace_unmap_page(struct aspace *as, uaddr_t va);
/* Unmaps every mapped page of [va, va + npages) as aspace_unmap_page
 * does; stretches without page tables are skipped whole. */
enum kerr aspace_unmap_range(struct aspace *as, uaddr_t va, uint64_t npages);
/*
 * Maps the frame at pa at the free page va with VM_* flags: the address
 * space's own frame (owned: counted, freed with it) or one it only
 * borrows (a MemoryObject's).  KERR_EXISTS when va is mapped, KERR_NOMEM
 * when a page-table page cannot be had.
 */
enum kerr aspace_map_page(struct aspace *as, uaddr_t va, uint64_t pa,
                          unsigned flags, bool owned);
/*
 * Gives every unmapped page of [va, va + npages) a fresh zeroed frame of
 * its own with VM_* flags; mapped pages stay as they are.  All or
 * nothing: KERR_QUOTA past the frame limit (checked before anything is
 * made), KERR_NOMEM out of memory, and then no page was mapped
 * (page-table pages made meanwhile stay, as every page-table page does
 * until the address space goes).
 */
enum kerr aspace_populate(struct aspace *as, uaddr_t va, uint64_t npages,
                          unsigned flags);
/* The VM_* flags of the mapped page at va, or KERR_NOT_MAPPED. */
enum kerr aspace_page_flags(struct aspace *as, uaddr_t va, unsigned *flags);
/* Physical address behind va, for the kernel's own use of a page. */
enum kerr aspace_lookup(struct aspace *as, uaddr_t va, uint64_t *pa);
/* Changes the permissions of the mapped pages in [va, va + npages). */
enum kerr aspace_protect(struct aspace *as, uaddr_t va, uint64_t npages,
                         unsigned flags);

/* Checks that [uva, uva + len) is mapped user memory (and writable). */
enum kerr aspace_check(struct aspace *as, uaddr_t uva, size_t len, bool write);
enum kerr aspace_copy_in(struct aspace *as, void *dst, uaddr_t uva, size_t len);
enum kerr aspace_copy_out(struct aspace *as, uaddr_t uva, const void *src,
                          size_t len);
/*
 * The kernel's view, through the direct map, of a user range no longer
 * than a page: the part in its first page, and the rest (if any) at the
 * start of the next one.
 */
struct user_span {
	uint8_t *head;
	uint8_t *tail; /* NULL when the range lies in one page */
	size_t head_len;
};

/*
 * Fills s for [uva, uva + len) when every page of it is present user
 * memory (writable if write is set): KERR_OK, or the error
 * aspace_copy_in would give (KERR_BAD_ADDR also for len 0 or over a
 * page).  For the IPC fast path, which checks a small message's buffers
 * before it changes anything and then copies straight from one address
 * space to another; everything else uses aspace_copy_in/out.
 */
enum kerr aspace_span(struct aspace *as, uaddr_t uva, size_t len, bool write,
                      struct user_span *s);

/*
 * Reads the aligned 32-bit word at uva (a PARK word) with one load, so it
 * is never torn by a store on another thread, after the same checks as
 * aspace_copy_in.  KERR_BAD_ADDR for a misaligned or non-user address.
 */
enum kerr aspace_read_word(struct aspace *as, uaddr_t uva, uint32_t *word);
/* Copies into user pages ignoring write protection (loader only). */
enum kerr aspace_fill(struct aspace *as, uaddr_t uva, const void *src,
                      size_t len);

#endif
