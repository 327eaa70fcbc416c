/*
 * Kernel page tables.  Page-table pages come from the frame allocator
 * (ledger kind FRAME_PAGETABLE) and are reached through the direct map.
 *
 * The kernel half (PML4 slots 256..511) is built once here; every address
 * space later shares those top-level entries, so kernel mappings made
 * below the PML4 level are visible everywhere.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/tlb.h"
#include "mm/pmm.h"

#define ENTRIES         512
#define MMIO_HOLE_START 0xc0000000ull /* PCI and APIC registers */
#define MMIO_HOLE_END   0x100000000ull

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

static uint64_t kernel_root;
static uint64_t nx_bit;

static inline uint64_t *
table(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR);
}

static inline unsigned
index_at(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & (ENTRIES - 1);
}

static uint64_t
pte_flags(unsigned flags)
{
	uint64_t f = PTE_P;

	if (flags & VM_WRITE)
		f |= PTE_W;
	if (!(flags & VM_EXEC))
		f |= nx_bit;
	if (flags & VM_USER)
		f |= PTE_U;
	if (flags & VM_NOCACHE)
		f |= PTE_PCD | PTE_PWT;
	if ((flags & VM_GLOBAL) && cpu_features.pge)
		f |= PTE_G;
	return f;
}

/*
 * Returns the entry for va at level (0 = page table) in the tree rooted at
 * root, creating missing intermediate tables when create is set.
 */
static enum kerr
walk(uint64_t root, uint64_t va, int level, bool create, bool user,
     uint64_t **out)
{
	uint64_t *t = table(root);
	int l;

	for (l = 3; l > level; l--) {
		uint64_t *e = &t[index_at(va, l)];

		if (!(*e & PTE_P)) {
			uint64_t pa;

			if (!create)
				return KERR_NOT_MAPPED;
			if (pmm_alloc(FRAME_PAGETABLE, &pa))
				return KERR_NOMEM;
			/* Intermediate entries allow everything; the leaf
			 * decides the permissions. */
			*e = pa | PTE_P | PTE_W | (user ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			return KERR_EXISTS;
		}
		t = table(*e);
	}
	*out = &t[index_at(va, level)];
	return KERR_OK;
}

enum kerr
vm_map_page(uint64_t root, uint64_t va, uint64_t pa, unsigned flags)
{
	uint64_t *e;
	int err;

	if ((va | pa) & (PAGE_SIZE - 1))
		return KERR_BAD_ADDR;
	err = walk(root, va, 0, true, flags & VM_USER, &e);
	if (err)
		return err;
	if (*e & PTE_P)
		return KERR_EXISTS;
	*e = pa | pte_flags(flags);
	return KERR_OK;
}

enum kerr
vm_prepare_tables(uint64_t root, uint64_t va)
{
	uint64_t *e;

	return walk(root, va, 0, true, false, &e);
}

enum kerr
vm_unmap_page(uint64_t root, uint64_t va, uint64_t *pa)
{
	uint64_t *e;
	int err;

	err = walk(root, va, 0, false, false, &e);
	if (err)
		return err;
	if (!(*e & PTE_P))
		return KERR_NOT_MAPPED;
	if (pa)
		*pa = *e & PTE_ADDR;
	*e = 0;
	/* Kernel-half tables are shared by every address space, and so
	 * by every CPU. */
	if (va >= PHYS_MAP_BASE)
		tlb_flush_kernel(va);
	else
		tlb_flush_user(root, va);
	return KERR_OK;
}

bool
vm_translate(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *pte)
{
	uint64_t *t = table(root);
	int l;

	for (l = 3; l >= 0; l--) {
		uint64_t e = t[index_at(va, l)];

		if (!(e & PTE_P))
			return false;
		if (l == 0 || (e & PTE_PS)) {
			uint64_t span = 1ull << (12 + 9 * l);

			if (pa)
				*pa = (e & PTE_ADDR & ~(span - 1)) |
				      (va & (span - 1));
			if (pte)
				*pte = e;
			return true;
		}
		t = table(e);
	}
	return false;
}

/* Direct map with 2 MiB pages: readable, writable, never executable. */
static void
map_direct(uint64_t end)
{
	uint64_t pa;

	for (pa = 0; pa < end; pa += LARGE_PAGE) {
		uint64_t *e;
		uint64_t f = PTE_P | PTE_W | PTE_PS | nx_bit;

		if (walk(kernel_root, PHYS_MAP_BASE + pa, 1, true, false, &e))
			panic("paging: out of memory building the direct map");
		if (pa >= MMIO_HOLE_START && pa < MMIO_HOLE_END)
			f |= PTE_PCD | PTE_PWT;
		if (cpu_features.pge)
			f |= PTE_G;
		*e = pa | f;
	}
}

static void
map_image_range(const char *start, const char *end, unsigned flags)
{
	uint64_t va;

	for (va = (uint64_t)(uintptr_t)start; va < (uint64_t)(uintptr_t)end;
	     va += PAGE_SIZE)
		if (vm_map_page(kernel_root, va, kimage_to_phys((void *)va),
		                flags | VM_GLOBAL))
			panic("paging: cannot map the kernel image at %#lx",
			      (unsigned long)va);
}

static uint64_t direct_map_end;

uint64_t
paging_direct_map_size(void)
{
	return direct_map_end;
}

void
paging_init(uint64_t phys_end)
{
	int i;

	if (cpu_features.nx)
		nx_bit = PTE_NX;
	if (pmm_alloc(FRAME_PAGETABLE, &kernel_root))
		panic("paging: no frame for the kernel page table");

	/* Pre-create every kernel-half PML4 entry, so later kernel mappings
	 * never need to touch (and re-share) the top level. */
	for (i = ENTRIES / 2; i < ENTRIES; i++) {
		uint64_t pa;

		if (pmm_alloc(FRAME_PAGETABLE, &pa))
			panic("paging: out of memory for kernel tables");
		table(kernel_root)[i] = pa | PTE_P | PTE_W;
	}

	direct_map_end = ALIGN_UP(MAX(phys_end, MMIO_HOLE_END), LARGE_PAGE);
	map_direct(direct_map_end);
	map_image_range(__text_start, __text_end, VM_EXEC);
	map_image_range(__rodata_start, __rodata_end, 0);
	map_image_range(__data_start, __kernel_end, VM_WRITE);

	paging_enable_cpu();
}

void
paging_enable_cpu(void)
{
	uint64_t cr4 = read_cr4();

	if (cpu_features.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	if (cpu_features.pge)
		cr4 |= CR4_PGE;
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3(kernel_root);
}

uint64_t
paging_kernel_root(void)
{
	return kernel_root;
}
