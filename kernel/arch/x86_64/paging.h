/*
 * 4-level page tables.  Callers describe permissions with VM_* flags; the
 * translation to PTE bits (NX, global, cache control) lives here only.
 */
#ifndef ARCH_X86_64_PAGING_H
#define ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kerr.h"

#define PAGE_SIZE  4096ull
#define LARGE_PAGE (2ull << 20)

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Mapping permissions; a mapping is always readable. */
#define VM_WRITE   (1u << 0)
#define VM_EXEC    (1u << 1)
#define VM_USER    (1u << 2)
#define VM_NOCACHE (1u << 3)
#define VM_GLOBAL  (1u << 4)
/* User pages only: present, but user code may not touch them at all
 * (VirtualMemory's `none`); the kernel's copies refuse them too. */
#define VM_NOACCESS (1u << 5)

/*
 * Builds the kernel's page tables: the direct map of physical memory
 * (no-execute), the kernel image with per-section permissions, and
 * switches to them.  Turns on NX, SMEP, SMAP and global pages when the CPU
 * has them.
 */
void paging_init(uint64_t phys_end);
/* This CPU's paging controls as paging_init set the boot CPU's (NX,
 * global pages, SMEP, SMAP, write protection), and the kernel tables
 * loaded: what an application processor runs. */
void paging_enable_cpu(void);

/* Bytes of physical address space the direct map covers. */
uint64_t paging_direct_map_size(void);

/* Physical address of the kernel's top-level table. */
uint64_t paging_kernel_root(void);

enum kerr vm_map_page(uint64_t root, uint64_t va, uint64_t pa, unsigned flags);
enum kerr vm_unmap_page(uint64_t root, uint64_t va, uint64_t *pa);
/* Builds the page-table pages that will map va, mapping nothing. */
enum kerr vm_prepare_tables(uint64_t root, uint64_t va);
/* Looks up va; returns false when it is not mapped. */
bool vm_translate(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *pte);

#endif
