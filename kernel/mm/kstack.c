#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "mm/kstack.h"
#include "mm/pmm.h"

/*
 * Kernel stacks that may exist at once (one per thread), far fewer than
 * the area has room for: the free-slot stack below holds every slot ever
 * handed out, so a freed slot is never dropped and the area never leaks.
 */
#define KSTACK_MAX 4096u
_Static_assert(KSTACK_MAX <=
                   (KSTACK_AREA_LIMIT - KSTACK_AREA_BASE) / KSTACK_SLOT,
               "the kernel stack area holds every slot");

/* Free slots form a stack of indices; slots never handed out come after. */
static uint32_t next_unused;
static uint32_t free_slots[KSTACK_MAX];
static uint32_t nfree;
static bool tables_ready;
/* Freed stacks kept mapped, frames and all, for the next threads: a
 * thread's start and end then neither allocate, zero and map four frames
 * nor unmap and free them.  A kernel stack is never seen by user code, so
 * what an earlier thread left on it needs no clearing. */
static uint32_t cached[KSTACK_CACHE];
static uint32_t ncached;

static uint64_t
slot_base(uint64_t slot)
{
	/* The guard page is the lowest page of the slot. */
	return KSTACK_AREA_BASE + slot * KSTACK_SLOT + 4096u;
}

/*
 * The page tables of the whole area are built with the first stack: the
 * kernel's tables are never freed, so building them on demand would look
 * like a leak of page-table frames after the first busy moment, and the
 * ledger would depend on how many threads ever lived at once.
 */
static enum kerr
prepare_tables(void)
{
	uint64_t va,
	    end = KSTACK_AREA_BASE + (uint64_t)KSTACK_MAX * KSTACK_SLOT;

	for (va = KSTACK_AREA_BASE; va < end; va += LARGE_PAGE)
		if (vm_prepare_tables(paging_kernel_root(), va))
			return KERR_NOMEM;
	tables_ready = true;
	return KERR_OK;
}

/* Unmaps every mapped page of the slot below end and frees the slot. */
static void
release(uint64_t slot, uint64_t end)
{
	uint64_t base = slot_base(slot);
	uint64_t va;
	bool irq;

	for (va = base; va < end; va += PAGE_SIZE) {
		uint64_t pa;

		if (vm_unmap_page(paging_kernel_root(), va, &pa) == KERR_OK)
			pmm_free(FRAME_KSTACK, pa);
	}
	irq = irq_save();
	KASSERT(nfree < KSTACK_MAX);
	free_slots[nfree++] = (uint32_t)slot;
	irq_restore(irq);
}

enum kerr
kstack_alloc(uint64_t *top)
{
	uint64_t slot, base, va;
	bool irq;

	if (!tables_ready && prepare_tables())
		return KERR_NOMEM;
	irq = irq_save();
	if (ncached) {
		slot = cached[--ncached];
		irq_restore(irq);
		*top = slot_base(slot) + KSTACK_SIZE;
		return KERR_OK;
	}
	if (nfree)
		slot = free_slots[--nfree];
	else if (next_unused < KSTACK_MAX)
		slot = next_unused++;
	else {
		irq_restore(irq);
		return KERR_NOMEM;
	}
	irq_restore(irq);
	base = slot_base(slot);
	for (va = base; va < base + KSTACK_SIZE; va += PAGE_SIZE) {
		uint64_t pa;

		if (pmm_alloc(FRAME_KSTACK, &pa))
			goto fail;
		if (vm_map_page(paging_kernel_root(), va, pa, VM_WRITE)) {
			/* Not mapped, so not freed below. */
			pmm_free(FRAME_KSTACK, pa);
			goto fail;
		}
	}
	*top = base + KSTACK_SIZE;
	return KERR_OK;

fail:
	release(slot, va); /* unmaps what was mapped so far */
	return KERR_NOMEM;
}

void
kstack_free(uint64_t top)
{
	/* Slots are not a power of two in size: divide, do not mask. */
	uint32_t slot = (uint32_t)((top - 1 - KSTACK_AREA_BASE) / KSTACK_SLOT);
	bool irq = irq_save();

	if (ncached < KSTACK_CACHE) {
		cached[ncached++] = slot;
		irq_restore(irq);
		return;
	}
	irq_restore(irq);
	release(slot, top);
}

void
kstack_cache_drain(void)
{
	uint32_t slot;
	bool irq;

	for (;;) {
		irq = irq_save();
		if (!ncached) {
			irq_restore(irq);
			return;
		}
		slot = cached[--ncached];
		irq_restore(irq);
		release(slot, slot_base(slot) + KSTACK_SIZE);
	}
}

uint32_t
kstack_in_use(void)
{
	return next_unused - nfree - ncached;
}
