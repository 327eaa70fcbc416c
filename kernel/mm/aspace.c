/* The one file that reads the number inside a user address. */
#define UADDR_RAW
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/tlb.h"
#include "mm/aspace.h"
#include "mm/pmm.h"

#include <capos/layout.h>

#define ENTRIES      512
#define USER_ENTRIES 256 /* PML4 slots of the user half */

static inline uint64_t *
table(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR);
}

/* Clean page-table pages: every entry 0 (roots: every user-half entry 0,
 * the kernel half the kernel's).  The kernel half never changes after
 * boot (paging_init makes every kernel PML4 entry), so a kept root's
 * copy stays right. */
static uint64_t clean_tables[ASPACE_CLEAN_TABLES];
static unsigned nclean_tables;
static uint64_t clean_roots[ASPACE_CLEAN_ROOTS];
static unsigned nclean_roots;

static enum kerr
table_alloc(uint64_t *pa)
{
	bool irq = irq_save();

	if (nclean_tables) {
		*pa = clean_tables[--nclean_tables];
		irq_restore(irq);
		return KERR_OK;
	}
	irq_restore(irq);
	return pmm_alloc(FRAME_PAGETABLE, pa);
}

/* A table whose every entry is 0 again. */
static void
table_free_clean(uint64_t pa)
{
	bool irq = irq_save();

	if (nclean_tables < ASPACE_CLEAN_TABLES) {
		clean_tables[nclean_tables++] = pa;
		irq_restore(irq);
		return;
	}
	irq_restore(irq);
	pmm_free(FRAME_PAGETABLE, pa);
}

void
aspace_cache_drain(void)
{
	bool irq = irq_save();

	while (nclean_tables)
		pmm_free(FRAME_PAGETABLE, clean_tables[--nclean_tables]);
	while (nclean_roots)
		pmm_free(FRAME_PAGETABLE, clean_roots[--nclean_roots]);
	irq_restore(irq);
}

/* The last map_gen given out (mm/aspace.h).  SMP: an atomic add. */
static uint64_t map_stamp;

static inline void
mapping_changed(struct aspace *as)
{
	as->map_gen = ++map_stamp;
}

enum kerr
aspace_create(struct aspace *as)
{
	uint64_t *k, *u;
	bool irq;

	memset(as, 0, sizeof(*as));
	irq = irq_save();
	if (nclean_roots) {
		as->root = clean_roots[--nclean_roots];
		irq_restore(irq);
		/* A stamp of its own from the start, as for a new root
		 * (never 0, never another address space's). */
		mapping_changed(as);
		return KERR_OK;
	}
	irq_restore(irq);
	if (pmm_alloc(FRAME_PAGETABLE, &as->root))
		return KERR_NOMEM;
	k = table(paging_kernel_root());
	u = table(as->root);
	memcpy(u + USER_ENTRIES, k + USER_ENTRIES,
	       (ENTRIES - USER_ENTRIES) * sizeof(uint64_t));
	mapping_changed(as);
	return KERR_OK;
}

/* Whether e is the first of its group of eight: a run of entries needs
 * a mark at its first entry and at each group it enters. */
#define GROUP_START(e) (((uintptr_t)(e) & (8 * sizeof(uint64_t) - 1)) == 0)

/*
 * Entry e of one of as's tables is about to be set: its group of eight
 * is marked in the table's used mask.  The table is found by its address
 * among the recorded ones: the last one marked, else newest first.  Once
 * the record has overflowed, teardown walks the whole tree and needs no
 * marks.
 */
static void
note_entry(struct aspace *as, const uint64_t *e)
{
	uint64_t pa = virt_to_phys_direct(e);
	uint64_t bit = 1ull << ((pa & (PAGE_SIZE - 1)) / (8 * sizeof(*e)));
	unsigned k;

	/* Past the record teardown walks the whole tree: no marks. */
	if (as->tables_overflow)
		return;
	pa &= ~(uint64_t)(PAGE_SIZE - 1);
	k = as->used_last;
	/* Pages are mostly mapped in runs: the same table as last time. */
	if (k < as->ntables && (as->tables[k] & PTE_ADDR) == pa) {
		as->used[k] |= bit;
		return;
	}
	if (pa == as->root) {
		as->root_used |= bit;
		return;
	}
	for (k = as->ntables; k-- > 0;)
		if ((as->tables[k] & PTE_ADDR) == pa) {
			as->used[k] |= bit;
			as->used_last = k;
			return;
		}
}

/* Frees the tree below a user-half entry: leaves are user frames. */
static void
free_level(struct aspace *as, uint64_t table_pa, int level)
{
	uint64_t *t = table(table_pa);
	int i;

	for (i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];

		/* Unused entries are 0 (an unmap writes 0): skip them eight
		 * at a time, as most of a small process's tables are empty. */
		if ((i & 7) == 0 &&
		    (t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] |
		     t[i + 5] | t[i + 6] | t[i + 7]) == 0) {
			i += 7;
			continue;
		}
		if (!(e & PTE_P))
			continue;
		if (level == 0) {
			/* Shared pages belong to someone else. */
			if (!(e & PTE_SHARED)) {
				pmm_free(FRAME_USER, e & PTE_ADDR);
				as->user_frames--;
			}
		} else {
			free_level(as, e, level - 1);
		}
	}
	pmm_free(FRAME_PAGETABLE, table_pa & PTE_ADDR);
	as->table_pages--;
}

/*
 * Clears the groups of entries used marks in a recorded table (address |
 * level, level 0 holding leaf entries), freeing the owned frames of leaf
 * entries.  Entries outside those groups were never set: the table is
 * all zero afterwards.
 */
static void
clear_table(struct aspace *as, uint64_t rec, uint64_t used)
{
	uint64_t *t = table(rec);
	bool leaf = (rec & (PAGE_SIZE - 1)) == 0;

	while (used) {
		unsigned i = (unsigned)__builtin_ctzll(used) * 8, j;

		used &= used - 1;
		for (j = i; j < i + 8; j++) {
			if (leaf && (t[j] & PTE_P) && !(t[j] & PTE_SHARED)) {
				pmm_free(FRAME_USER, t[j] & PTE_ADDR);
				as->user_frames--;
			}
			t[j] = 0;
		}
	}
}

void
aspace_destroy(struct aspace *as)
{
	uint64_t *root;
	unsigned k;
	bool irq;
	int i;

	if (!as->root)
		return;
	KASSERT((read_cr3() & PTE_ADDR) != as->root);
	if (!as->tables_overflow) {
		/* Every table is known, and which of its entries were ever
		 * set: those are visited (frames of leaf entries freed) and
		 * cleared, and the table, all zero again, is kept. */
		for (k = 0; k < as->ntables; k++) {
			clear_table(as, as->tables[k], as->used[k]);
			table_free_clean(as->tables[k] & PTE_ADDR);
			as->table_pages--;
		}
		clear_table(as, as->root | 1, as->root_used);
		irq = irq_save();
		if (nclean_roots < ASPACE_CLEAN_ROOTS) {
			clean_roots[nclean_roots++] = as->root;
			irq_restore(irq);
			as->root = 0;
			KASSERT(as->user_frames == 0 && as->table_pages == 0);
			return;
		}
		irq_restore(irq);
	} else {
		root = table(as->root);
		for (i = 0; i < USER_ENTRIES; i++)
			if (root[i] & PTE_P)
				free_level(as, root[i], 2);
	}
	pmm_free(FRAME_PAGETABLE, as->root);
	KASSERT(as->user_frames == 0 && as->table_pages == 0);
	as->root = 0;
}

/*
 * Finds (and optionally creates) the page-table entry for a user page.
 * Page-table pages of the user half are only freed with the whole address
 * space, so a leaf entry's address, once found, stays right for as long
 * as the address space lives: a small cache of them spares the IPC paths
 * most of their four-level walks (the entry itself is always re-read).
 * The cache hit is inlined into every caller; the walk is apart, so that
 * a hit pays for none of the walk's registers.
 */
static uint64_t *user_pte_walk(struct aspace *as, uint64_t va, bool create);

static inline __attribute__((always_inline)) uint64_t *
user_pte(struct aspace *as, uint64_t va, bool create)
{
	unsigned slot = (va >> 12) & (ASPACE_PTE_CACHE - 1);

	if (as->pte_cache_va[slot] == (va >> 12) + 1)
		return as->pte_cache[slot];
	return user_pte_walk(as, va, create);
}

static __attribute__((noinline)) uint64_t *
user_pte_walk(struct aspace *as, uint64_t va, bool create)
{
	unsigned slot = (va >> 12) & (ASPACE_PTE_CACHE - 1);
	uint64_t *t = table(as->root);
	uint64_t *leaf;
	int level;

	for (level = 3; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & (ENTRIES - 1)];

		if (!(*e & PTE_P)) {
			uint64_t pa;

			if (!create || table_alloc(&pa))
				return NULL;
			as->table_pages++;
			note_entry(as, e);
			if (as->ntables < ASPACE_TABLES_MAX)
				as->tables[as->ntables++] = pa | (level - 1);
			else
				as->tables_overflow = true;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		t = table(*e);
	}
	leaf = &t[(va >> 12) & (ENTRIES - 1)];
	as->pte_cache_va[slot] = (va >> 12) + 1;
	as->pte_cache[slot] = leaf;
	return leaf;
}

static uint64_t leaf_bits(unsigned flags);
static enum kerr fault_in(struct aspace *as, uint64_t va);

static __attribute__((noinline)) uint64_t *
present_pte_slow(struct aspace *as, uint64_t va)
{
	if (fault_in(as, va) != KERR_OK)
		return NULL;
	return user_pte(as, va, false);
}

/* The entry of a user page, mapping a demand-zero page on first use: the
 * kernel touching a user buffer is a first touch like any other.  NULL
 * when the page is not there and cannot be faulted in. */
static inline __attribute__((always_inline)) uint64_t *
present_pte(struct aspace *as, uint64_t va)
{
	uint64_t *e = user_pte(as, va, false);

	if (__builtin_expect(e && (*e & PTE_P), 1))
		return e;
	return present_pte_slow(as, va);
}

/*
 * The entry of page va in a run of pages, prev being the run's entry of
 * the page before (NULL at its start or when there was none): within one
 * table of leaf entries the next entry is the next word, so a run walks
 * (or looks up) once per 2 MiB instead of once per page.
 */
static inline __attribute__((always_inline)) uint64_t *
run_pte(struct aspace *as, uint64_t *prev, uint64_t va, bool create)
{
	if (prev && (va & (LARGE_PAGE - 1)))
		return prev + 1;
	return user_pte(as, va, create);
}

static uint64_t
leaf_bits(unsigned flags)
{
	uint64_t f = PTE_P | PTE_U;

	if (flags & VM_NOACCESS)
		return cpu_features.nx ? PTE_P | PTE_NX : PTE_P;

	if (flags & VM_WRITE)
		f |= PTE_W;
	if (!(flags & VM_EXEC) && cpu_features.nx)
		f |= PTE_NX;
	return f;
}

static bool
user_range(uint64_t va, uint64_t len)
{
	return capos_user_range_ok(va, len);
}

enum kerr
aspace_map_shared(struct aspace *as, uaddr_t uva, uint64_t pa, uint64_t npages,
                  unsigned flags)
{
	uint64_t va = uaddr_raw(uva), i, *e = NULL;

	if (((va | pa) & (PAGE_SIZE - 1)) || npages == 0 ||
	    npages > (CAPOS_USER_END >> 12) ||
	    !user_range(va, npages * PAGE_SIZE) || (flags & VM_WRITE))
		return KERR_BAD_ADDR;
	/* One new stamp for the whole run: nothing translates a buffer
	 * while the entries change. */
	mapping_changed(as);
	for (i = 0; i < npages; i++) {
		e = run_pte(as, e, va + i * PAGE_SIZE, true);

		if (!e)
			return KERR_NOMEM;
		if (*e & PTE_P)
			return KERR_EXISTS;
		if (i == 0 || GROUP_START(e))
			note_entry(as, e);
		*e = (pa + i * PAGE_SIZE) | leaf_bits(flags) | PTE_SHARED;
	}
	return KERR_OK;
}

enum kerr
aspace_reserve_lazy(struct aspace *as, uaddr_t uva, uint64_t npages,
                    unsigned flags)
{
	uint64_t va = uaddr_raw(uva);

	if (va & (PAGE_SIZE - 1) || npages == 0 ||
	    npages > (CAPOS_USER_END >> 12) ||
	    !user_range(va, npages * PAGE_SIZE))
		return KERR_BAD_ADDR;
	if (as->nlazy == ASPACE_LAZY_MAX)
		return KERR_NOMEM;
	as->lazy[as->nlazy++] =
	    (struct lazy_range){va, va + npages * PAGE_SIZE, flags};
	return KERR_OK;
}

static enum kerr
fault_in(struct aspace *as, uint64_t va)
{
	uint64_t *e, pa;
	unsigned i;

	for (i = 0; i < as->nlazy; i++)
		if (va >= as->lazy[i].start && va < as->lazy[i].end)
			break;
	if (i == as->nlazy)
		return KERR_NOT_MAPPED;
	e = user_pte(as, ALIGN_DOWN(va, PAGE_SIZE), true);
	if (!e)
		return KERR_NOMEM;
	if (*e & PTE_P)
		return KERR_OK; /* mapped meanwhile: nothing to do */
	if (!aspace_frames_fit(as, 1))
		return KERR_QUOTA;
	if (pmm_alloc(FRAME_USER, &pa))
		return KERR_NOMEM;
	note_entry(as, e);
	*e = pa | leaf_bits(as->lazy[i].flags);
	mapping_changed(as);
	as->user_frames++;
	return KERR_OK;
}

enum kerr
aspace_fault(struct aspace *as, uaddr_t va)
{
	return fault_in(as, uaddr_raw(va));
}

enum kerr
aspace_map_anon(struct aspace *as, uaddr_t uva, uint64_t npages, unsigned flags)
{
	uint64_t va = uaddr_raw(uva), i, *e = NULL;

	if (va & (PAGE_SIZE - 1) || npages == 0 ||
	    npages > (CAPOS_USER_END >> 12) ||
	    !user_range(va, npages * PAGE_SIZE))
		return KERR_BAD_ADDR;
	mapping_changed(as); /* once for the run, as above */
	for (i = 0; i < npages; i++) {
		uint64_t pa;

		e = run_pte(as, e, va + i * PAGE_SIZE, true);

		if (!e)
			return KERR_NOMEM;
		if (*e & PTE_P)
			return KERR_EXISTS;
		if (!aspace_frames_fit(as, 1))
			return KERR_QUOTA;
		if (pmm_alloc(FRAME_USER, &pa))
			return KERR_NOMEM;
		if (i == 0 || GROUP_START(e))
			note_entry(as, e);
		*e = pa | leaf_bits(flags);
		as->user_frames++;
	}
	return KERR_OK;
}

enum kerr
aspace_map_page(struct aspace *as, uaddr_t uva, uint64_t pa, unsigned flags,
                bool owned)
{
	uint64_t va = uaddr_raw(uva), *e;

	if (((va | pa) & (PAGE_SIZE - 1)) || !user_range(va, PAGE_SIZE))
		return KERR_BAD_ADDR;
	e = user_pte(as, va, true);
	if (!e)
		return KERR_NOMEM;
	if (*e & PTE_P)
		return KERR_EXISTS;
	note_entry(as, e);
	*e = pa | leaf_bits(flags) | (owned ? 0 : PTE_SHARED);
	mapping_changed(as);
	if (owned)
		as->user_frames++;
	return KERR_OK;
}

/*
 * The frame limit is checked before anything is made.  Then the
 * page-table pages are made, and the frames taken, chained through their
 * own first word (in the direct map), so that running out of memory
 * halfway leaves nothing mapped; mapping them then cannot fail.
 */
enum kerr
aspace_populate(struct aspace *as, uaddr_t uva, uint64_t npages, unsigned flags)
{
	uint64_t va = uaddr_raw(uva), need = 0, chain = 0, i, *e = NULL;

	if ((va & (PAGE_SIZE - 1)) || npages == 0 ||
	    npages > (CAPOS_USER_END >> 12) ||
	    !user_range(va, npages * PAGE_SIZE))
		return KERR_BAD_ADDR;
	for (i = 0; i < npages; i++) {
		e = run_pte(as, e, va + i * PAGE_SIZE, false);
		if (!e || !(*e & PTE_P))
			need++;
	}
	if (!aspace_frames_fit(as, need))
		return KERR_QUOTA;
	/* The tables: one walk per 2 MiB. */
	for (i = 0; i < npages;
	     i = (ALIGN_DOWN(va + i * PAGE_SIZE, LARGE_PAGE) + LARGE_PAGE -
	          va) /
	         PAGE_SIZE)
		if (!user_pte(as, va + i * PAGE_SIZE, true))
			return KERR_NOMEM;
	for (i = 0; i < need; i++) {
		uint64_t pa;

		if (pmm_alloc(FRAME_USER, &pa)) {
			while (chain) {
				uint64_t next =
				    *(uint64_t *)phys_to_virt(chain);

				*(uint64_t *)phys_to_virt(chain) = 0;
				pmm_free(FRAME_USER, chain);
				chain = next;
			}
			return KERR_NOMEM;
		}
		*(uint64_t *)phys_to_virt(pa) = chain;
		chain = pa;
	}
	e = NULL;
	mapping_changed(as); /* once for the run, as above */
	for (i = 0; i < npages && chain; i++) {
		uint64_t pa = chain;

		e = run_pte(as, e, va + i * PAGE_SIZE, false);
		if (*e & PTE_P)
			continue;
		chain = *(uint64_t *)phys_to_virt(pa);
		*(uint64_t *)phys_to_virt(pa) = 0; /* zeroed again */
		if (i == 0 || GROUP_START(e))
			note_entry(as, e);
		*e = pa | leaf_bits(flags);
		as->user_frames++;
	}
	KASSERT(chain == 0);
	return KERR_OK;
}

enum kerr
aspace_page_flags(struct aspace *as, uaddr_t uva, unsigned *flags)
{
	uint64_t va = uaddr_raw(uva), *e;

	if (!user_range(va, 1))
		return KERR_BAD_ADDR;
	e = user_pte(as, ALIGN_DOWN(va, PAGE_SIZE), false);
	if (!e || !(*e & PTE_P))
		return KERR_NOT_MAPPED;
	*flags = 0;
	if (*e & PTE_W)
		*flags |= VM_WRITE;
	if (!(*e & PTE_NX))
		*flags |= VM_EXEC;
	if (!(*e & PTE_U))
		*flags = VM_NOACCESS;
	return KERR_OK;
}

/*
 * Unmaps one page and frees its frame when the address space owns it.
 * The frame goes back to the pool only once no CPU can reach it: the
 * entry is flushed here and on every other CPU running this address
 * space (tlb.c) first.
 */
static void
clear_leaf(struct aspace *as, uint64_t va, uint64_t *e)
{
	uint64_t old = *e;

	*e = 0;
	mapping_changed(as);
	tlb_flush_user(as->root, va);
	if (!(old & PTE_SHARED)) {
		pmm_free(FRAME_USER, old & PTE_ADDR);
		as->user_frames--;
	}
}

enum kerr
aspace_unmap_page(struct aspace *as, uaddr_t uva)
{
	uint64_t va = uaddr_raw(uva), *e;

	if ((va & (PAGE_SIZE - 1)) || !user_range(va, PAGE_SIZE))
		return KERR_BAD_ADDR;
	e = user_pte(as, va, false);
	if (!e || !(*e & PTE_P))
		return KERR_NOT_MAPPED;
	clear_leaf(as, va, e);
	return KERR_OK;
}

enum kerr
aspace_unmap_range(struct aspace *as, uaddr_t uva, uint64_t npages)
{
	uint64_t va = uaddr_raw(uva), end;

	if ((va & (PAGE_SIZE - 1)) || npages == 0 ||
	    npages > (CAPOS_USER_END >> 12) ||
	    !user_range(va, npages * PAGE_SIZE))
		return KERR_BAD_ADDR;
	end = va + npages * PAGE_SIZE;
	while (va < end) {
		uint64_t *e = user_pte(as, va, false);

		if (!e) {
			/* No table of leaf entries: nothing in its 2 MiB. */
			va = ALIGN_DOWN(va, LARGE_PAGE) + LARGE_PAGE;
			continue;
		}
		if (*e & PTE_P)
			clear_leaf(as, va, e);
		va += PAGE_SIZE;
	}
	return KERR_OK;
}

enum kerr
aspace_lookup(struct aspace *as, uaddr_t uva, uint64_t *pa)
{
	uint64_t va = uaddr_raw(uva), *e;

	if (!user_range(va, 1))
		return KERR_BAD_ADDR;
	e = user_pte(as, va, false);
	if (!e || !(*e & PTE_P))
		return KERR_NOT_MAPPED;
	*pa = (*e & PTE_ADDR) | (va & (PAGE_SIZE - 1));
	return KERR_OK;
}

enum kerr
aspace_protect(struct aspace *as, uaddr_t uva, uint64_t npages, unsigned flags)
{
	uint64_t va = uaddr_raw(uva), i;

	if (!user_range(va, npages * PAGE_SIZE))
		return KERR_BAD_ADDR;
	for (i = 0; i < npages; i++) {
		uint64_t *e = user_pte(as, va + i * PAGE_SIZE, false);

		if (!e || !(*e & PTE_P))
			return KERR_NOT_MAPPED;
		*e = (*e & (PTE_ADDR | PTE_SHARED)) | leaf_bits(flags);
		mapping_changed(as);
		tlb_flush_user(as->root, va + i * PAGE_SIZE);
	}
	return KERR_OK;
}

/* The kernel's view (through the direct map) of the user page holding
 * va: NULL unless it is present and user-accessible, and writable when
 * write is set. */
static inline __attribute__((always_inline)) uint8_t *
user_page(struct aspace *as, uint64_t va, bool write)
{
	uint64_t *e = present_pte(as, va);
	uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);

	if (!e || (*e & need) != need)
		return NULL;
	return phys_to_virt(*e & PTE_ADDR);
}

/*
 * Copies between kernel memory and [uva, uva + len), page by page through
 * the direct map.  Each page must be present and user-accessible; writes
 * also need it writable unless force is set (the loader fills read-only
 * segments).
 */
static enum kerr
copy_user(struct aspace *as, uaddr_t u, void *kbuf, size_t len, bool to_user,
          bool force)
{
	uint64_t uva = uaddr_raw(u);
	uint8_t *k = kbuf;

	if (len == 0)
		return KERR_OK;
	if (!user_range(uva, len))
		return KERR_BAD_ADDR;
	while (len) {
		uint8_t *page = user_page(as, uva, to_user && !force);
		size_t off = uva & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);

		if (!page)
			return KERR_NOT_MAPPED;
		if (to_user)
			memcpy(page + off, k, n);
		else
			memcpy(k, page + off, n);
		k += n;
		uva += n;
		len -= n;
	}
	return KERR_OK;
}

/* The leaf entry of user page va when the cache holds it and it allows
 * the access; 0 otherwise (user_page then decides). */
static inline uint64_t
cached_pte(const struct aspace *as, uint64_t va, bool write)
{
	unsigned slot = (va >> 12) & (ASPACE_PTE_CACHE - 1);
	uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0), e;

	if (as->pte_cache_va[slot] != (va >> 12) + 1)
		return 0;
	e = *as->pte_cache[slot];
	return (e & need) == need ? e : 0;
}

static __attribute__((noinline)) enum kerr
check_pages(struct aspace *as, uint64_t uva, size_t len, bool write)
{
	uint64_t va, end = uva + len;

	for (va = ALIGN_DOWN(uva, PAGE_SIZE); va < end; va += PAGE_SIZE)
		if (!user_page(as, va, write))
			return KERR_NOT_MAPPED;
	return KERR_OK;
}

enum kerr
aspace_check(struct aspace *as, uaddr_t u, size_t len, bool write)
{
	uint64_t uva = uaddr_raw(u);

	if (len == 0)
		return KERR_OK;
	if (!user_range(uva, len))
		return KERR_BAD_ADDR;
	/* Most buffers are at most a page (so span at most two) whose leaf
	 * entries are cached: answered without a call. */
	if (len <= PAGE_SIZE && cached_pte(as, uva, write) &&
	    cached_pte(as, uva + len - 1, write))
		return KERR_OK;
	return check_pages(as, uva, len, write);
}

enum kerr
aspace_copy_in(struct aspace *as, void *dst, uaddr_t uva, size_t len)
{
	return copy_user(as, uva, dst, len, false, false);
}

static __attribute__((noinline)) enum kerr
span_slow(struct aspace *as, uint64_t uva, size_t len, bool write,
          struct user_span *s)
{
	uint8_t *page = user_page(as, uva, write);

	if (!page)
		return KERR_NOT_MAPPED;
	s->head = page + (uva & (PAGE_SIZE - 1));
	s->head_len = MIN(len, PAGE_SIZE - (uva & (PAGE_SIZE - 1)));
	s->tail = NULL;
	if (s->head_len < len) {
		s->tail = user_page(as, uva + s->head_len, write);
		if (!s->tail)
			return KERR_NOT_MAPPED;
	}
	return KERR_OK;
}

/* The cached case makes no call, so it needs no saved registers: the
 * IPC fast path checks three buffers with it. */
enum kerr
aspace_span(struct aspace *as, uaddr_t u, size_t len, bool write,
            struct user_span *s)
{
	uint64_t uva = uaddr_raw(u), off = uva & (PAGE_SIZE - 1), e;

	if (len == 0 || len > PAGE_SIZE || !user_range(uva, len))
		return KERR_BAD_ADDR;
	e = cached_pte(as, uva, write);
	if (!e)
		return span_slow(as, uva, len, write, s);
	s->head = (uint8_t *)phys_to_virt(e & PTE_ADDR) + off;
	s->head_len = MIN(len, PAGE_SIZE - off);
	s->tail = NULL;
	if (s->head_len == len)
		return KERR_OK;
	e = cached_pte(as, uva + s->head_len, write);
	if (!e)
		return span_slow(as, uva, len, write, s);
	s->tail = phys_to_virt(e & PTE_ADDR);
	return KERR_OK;
}

enum kerr
aspace_read_word(struct aspace *as, uaddr_t u, uint32_t *word)
{
	uint64_t uva = uaddr_raw(u);
	uint8_t *page;

	if ((uva & (sizeof(*word) - 1)) || !user_range(uva, sizeof(*word)))
		return KERR_BAD_ADDR;
	page = user_page(as, uva, false);
	if (!page)
		return KERR_NOT_MAPPED;
	*word = __atomic_load_n((uint32_t *)(page + (uva & (PAGE_SIZE - 1))),
	                        __ATOMIC_RELAXED);
	return KERR_OK;
}

enum kerr
aspace_copy_out(struct aspace *as, uaddr_t uva, const void *src, size_t len)
{
	return copy_user(as, uva, (void *)(uintptr_t)src, len, true, false);
}

enum kerr
aspace_fill(struct aspace *as, uaddr_t uva, const void *src, size_t len)
{
	return copy_user(as, uva, (void *)(uintptr_t)src, len, true, true);
}
