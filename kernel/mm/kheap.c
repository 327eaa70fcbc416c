/*
 * The kernel heap: lib/mm/heap.c over the KHEAP_BASE arena, which grows
 * by mapping fresh frames at its end.  Heap misuse is a kernel bug, so a
 * bad free panics with the chunk it found broken.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

#define KHEAP_GROW_STEP (64u << 10)

static struct heap kheap;

static bool
grow(void *ctx, uintptr_t end, size_t bytes)
{
	uint64_t va;

	(void)ctx;
	if (end + bytes > KHEAP_LIMIT || end + bytes < end)
		return false;
	for (va = end; va < end + bytes; va += PAGE_SIZE) {
		uint64_t pa;

		if (pmm_alloc(FRAME_KERNEL, &pa))
			goto undo;
		if (vm_map_page(paging_kernel_root(), va, pa,
		                VM_WRITE | VM_GLOBAL)) {
			pmm_free(FRAME_KERNEL, pa);
			goto undo;
		}
	}
	return true;
undo:
	while (va > end) {
		uint64_t pa;

		va -= PAGE_SIZE;
		if (vm_unmap_page(paging_kernel_root(), va, &pa) == KERR_OK)
			pmm_free(FRAME_KERNEL, pa);
	}
	return false;
}

void
kheap_init(void)
{
	heap_init(&kheap, KHEAP_BASE, grow, NULL, KHEAP_GROW_STEP);
}

void *
kmalloc(size_t size)
{
	void *p;
	bool irq = irq_save();
	int err = heap_alloc(&kheap, size, &p);

	irq_restore(irq);
	/* Running out is the caller's problem; a damaged heap is ours. */
	if (err && err != HEAP_E_NOMEM && err != HEAP_E_TOO_BIG)
		panic("kmalloc(%zu): %s (chunk at %#lx)", size,
		      heap_strerror(err), (unsigned long)kheap.bad_chunk);
	return p;
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void
kfree(void *p)
{
	bool irq;
	int err;

	if (!p)
		return;
	irq = irq_save();
	err = heap_free(&kheap, p);
	irq_restore(irq);
	if (err)
		panic("kfree(%p): %s (chunk at %#lx)", p, heap_strerror(err),
		      (unsigned long)kheap.bad_chunk);
}

void
kheap_check(void)
{
	int err = heap_check(&kheap);

	if (err)
		panic("kernel heap check: %s (chunk at %#lx)",
		      heap_strerror(err), (unsigned long)kheap.bad_chunk);
}

const struct heap *
kheap_stats(void)
{
	return &kheap;
}
