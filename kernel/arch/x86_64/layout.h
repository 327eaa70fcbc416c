/*
 * Kernel virtual address layout (x86_64, 4-level paging).  Usable from C
 * and assembly.  The user half of the address space is described in the
 * shared ABI header include/capos/layout.h.
 *
 *   0xffff800000000000  direct map of all physical memory (PML4 slot 256)
 *   0xffffc00000000000  kernel heap arena, grown on demand
 *   0xffffc80000000000  kernel stacks, each with an unmapped guard page
 *   0xffffffff80000000  kernel image (the top 2 GiB, -mcmodel=kernel)
 */
#ifndef ARCH_X86_64_LAYOUT_H
#define ARCH_X86_64_LAYOUT_H

#define KERNEL_VMA          0xffffffff80000000
#define KERNEL_LOAD_PHYS    0x100000
#define PHYS_MAP_BASE       0xffff800000000000
#define PML4_INDEX_PHYS_MAP 256
#define KHEAP_BASE          0xffffc00000000000
#define KHEAP_LIMIT         0xffffc80000000000
#define KSTACK_AREA_BASE    0xffffc80000000000
#define KSTACK_AREA_LIMIT   0xffffd00000000000

/* The page the application processors start in (real mode: below 1 MiB,
 * page aligned; a startup IPI names it by page number).  Never handed out
 * by the frame allocator (pmm.c); smpboot.c copies trampoline.S there. */
#define AP_TRAMPOLINE_PHYS 0x8000
#define AP_TRAMPOLINE_SIZE 4096

#define BOOT_STACK_SIZE 16384
#define IST_STACK_SIZE  8192

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + PHYS_MAP_BASE);
}

static inline uint64_t
virt_to_phys_direct(const void *va)
{
	return (uint64_t)(uintptr_t)va - PHYS_MAP_BASE;
}

/* Physical address of a symbol in the kernel image. */
static inline uint64_t
kimage_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - KERNEL_VMA;
}
#endif

#endif
