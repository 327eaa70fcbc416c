/*
 * Virtual address layout seen by a capOS process, and the process entry
 * ABI.  x86_64, 4-level paging, 47-bit canonical user half.
 *
 *   0x0000_0000_0000_0000  +---------------------------------+
 *                          | NULL guard, 4 MiB, never mapped |
 *   0x0000_0000_0040_0000  +---------------------------------+ USER_BASE
 *                          | ELF image (PT_LOAD segments)    |
 *   0x0000_0010_0000_0000  +---------------------------------+ IMAGE_END
 *                          | heap / anonymous mappings       | HEAP_BASE
 *   0x0000_7000_0000_0000  +---------------------------------+ HEAP_END
 *                          | reserved                        |
 *   0x0000_7fff_f000_0000  +---------------------------------+ RING_BASE
 *                          | ring pages, 16 MiB area         |
 *   0x0000_7fff_f100_0000  +---------------------------------+ CAPSET_ADDR
 *                          | CapSet page (read-only)         |
 *                          | ...                             |
 *   0x0000_7fff_ffe0_0000  +---------------------------------+ TLS_BASE
 *                          | main thread TLS block + TCB     |
 *   0x0000_7fff_fffa_f000  | stack guard page, never mapped  |
 *   0x0000_7fff_fffb_0000  | main thread stack, 256 KiB      |
 *   0x0000_7fff_ffff_0000  +---------------------------------+ STACK_TOP
 *                          | unmapped                        |
 *   0x0000_7fff_ffff_f000  +---------------------------------+ USER_END
 *                          | last canonical page: never user |
 *   0x0000_8000_0000_0000  ~ non-canonical hole               ~
 *   0xffff_8000_0000_0000  +---------------------------------+ KERNEL_BASE
 *                          | direct map of physical memory   |
 *   0xffff_ffff_8000_0000  | kernel image                    |
 *
 * The last page below the canonical hole is never mapped for user code: an
 * instruction there could run into a non-canonical RIP, and SYSRET with a
 * non-canonical return address faults in ring 0 on Intel CPUs.
 *
 * Process entry ABI (first instruction of the ELF entry point):
 *   RDI = address of the ring page (CAPOS_USER_RING_ADDR)
 *   RSI = process id
 *   RDX = address of the CapSet page (CAPOS_USER_CAPSET_ADDR), 0 if none
 *   RSP = CAPOS_USER_STACK_TOP (16-byte aligned, as at a SysV process
 *         entry; nothing is pushed: no argc/argv/envp/auxv)
 *   FS base = the main thread's TCB when the binary has a PT_TLS, else 0
 *   RFLAGS = IF only; every other general register = 0, so no kernel
 *   value leaks into the process.
 *
 * Thread entry ABI (a thread made by ThreadSpawner.spawn, at `entry`):
 *   RDI = address of its own ring page (CAPOS_USER_RING_SLOT_ADDR(slot))
 *   RSI = `arg`
 *   RDX = its ring slot (1 or more; unique among the live threads)
 *   RSP = `stackTop` (16-byte aligned, nothing pushed)
 *   FS base = `tlsBase` (0: none)
 *   RFLAGS = IF only; every other general register = 0.
 *
 * TLS (x86_64 variant II): the kernel maps the main thread's TLS block at
 * CAPOS_USER_TLS_BASE: the template (PT_TLS filesz bytes, then zeroes up
 * to memsz), aligned up to the segment's alignment (at least 16), then the
 * 16-byte TCB whose first word holds its own address.  FS points at the
 * TCB.  Other threads' blocks are the runtime's business.
 */
#ifndef CAPOS_LAYOUT_H
#define CAPOS_LAYOUT_H

/* Usable from assembly: constants carry their C suffix only in C. */
#ifdef __ASSEMBLER__
#define CAPOS_U64(x) x
#else
#include <stdint.h>
#define CAPOS_U64(x) x##ull
#endif

#define CAPOS_PAGE_SIZE CAPOS_U64(4096)

/* The user half. [CAPOS_USER_BASE, CAPOS_USER_END) is everything a user
 * pointer may ever reach. */
#define CAPOS_USER_NULL_GUARD CAPOS_U64(0x0000000000400000)
#define CAPOS_USER_BASE       CAPOS_USER_NULL_GUARD
#define CAPOS_USER_END        CAPOS_U64(0x00007ffffffff000)

/* PT_LOAD segments must lie in [CAPOS_USER_IMAGE_BASE, CAPOS_USER_IMAGE_END),
 * so no binary can be linked over the heap, the ring or the stack. */
#define CAPOS_USER_IMAGE_BASE CAPOS_USER_BASE
#define CAPOS_USER_IMAGE_END  CAPOS_U64(0x0000001000000000)

/* Where VirtualMemory places anonymous mappings unless told otherwise. */
#define CAPOS_USER_HEAP_BASE CAPOS_U64(0x0000001000000000)
#define CAPOS_USER_HEAP_END  CAPOS_U64(0x0000700000000000)

/* The main thread's TLS block and TCB.  CAPOS_USER_TLS_MAX bounds a
 * PT_TLS memsz (the ELF parser refuses more); the area leaves room for the
 * block at the largest alignment (a page) plus the TCB.  It lies in the
 * stack's 2 MiB region, so TLS and stack share one page table. */
#define CAPOS_USER_TLS_BASE      CAPOS_U64(0x00007fffffe00000)
#define CAPOS_USER_TLS_MAX       CAPOS_U64(0x0000000000100000)
#define CAPOS_USER_TLS_AREA_SIZE CAPOS_U64(0x00000000001a0000)

/* One ring page per thread, in slots of one page: slot i is at
 * CAPOS_USER_RING_SLOT_ADDR(i).  The main thread's is slot 0,
 * CAPOS_USER_RING_ADDR; a thread made by ThreadSpawner gets the lowest
 * free slot, and its address in RDI at entry (thread entry ABI above). */
#define CAPOS_USER_RING_BASE      CAPOS_U64(0x00007ffff0000000)
#define CAPOS_USER_RING_AREA_SIZE CAPOS_U64(0x0000000001000000)
#define CAPOS_USER_RING_ADDR      CAPOS_USER_RING_BASE
#define CAPOS_USER_RING_SLOTS     (CAPOS_USER_RING_AREA_SIZE / CAPOS_PAGE_SIZE)
#define CAPOS_USER_RING_SLOT_ADDR(i)                                           \
	(CAPOS_USER_RING_BASE + (i)*CAPOS_PAGE_SIZE)

#define CAPOS_USER_CAPSET_ADDR CAPOS_U64(0x00007ffff1000000)

/* The main thread's stack is [STACK_TOP - STACK_SIZE, STACK_TOP); the
 * STACK_GUARD bytes below it are never mapped, so an overflow faults. */
#define CAPOS_USER_STACK_TOP   CAPOS_U64(0x00007fffffff0000)
#define CAPOS_USER_STACK_SIZE  CAPOS_U64(0x0000000000040000)
#define CAPOS_USER_STACK_GUARD CAPOS_PAGE_SIZE

/* VirtualMemory.access checks at most this many bytes a call, so one call
 * walks a bounded number of pages (a longer range is invalidArgument;
 * callers check it in pieces). */
#define CAPOS_VM_ACCESS_MAX (CAPOS_U64(64) << 20)

/* The kernel half; user pointers never reach it. */
#define CAPOS_KERNEL_BASE       CAPOS_U64(0xffff800000000000)
#define CAPOS_KERNEL_DIRECT_MAP CAPOS_U64(0xffff800000000000)
#define CAPOS_KERNEL_IMAGE_BASE CAPOS_U64(0xffffffff80000000)

#ifndef __ASSEMBLER__
_Static_assert(CAPOS_USER_BASE % CAPOS_PAGE_SIZE == 0, "page aligned");
_Static_assert(CAPOS_USER_END % CAPOS_PAGE_SIZE == 0, "page aligned");
_Static_assert(CAPOS_USER_END < 0x0000800000000000ull,
               "user half stays below the canonical hole");
_Static_assert(CAPOS_USER_IMAGE_END <= CAPOS_USER_HEAP_BASE,
               "image and heap do not overlap");
_Static_assert(CAPOS_USER_HEAP_END <= CAPOS_USER_RING_BASE,
               "heap and rings do not overlap");
_Static_assert(CAPOS_USER_CAPSET_ADDR + CAPOS_PAGE_SIZE <= CAPOS_USER_TLS_BASE,
               "CapSet and TLS do not overlap");
_Static_assert(CAPOS_USER_TLS_BASE + CAPOS_USER_TLS_AREA_SIZE <=
                   CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE -
                       CAPOS_USER_STACK_GUARD,
               "TLS and stack guard do not overlap");
_Static_assert(CAPOS_USER_TLS_MAX + 2 * CAPOS_PAGE_SIZE <=
                   CAPOS_USER_TLS_AREA_SIZE,
               "largest TLS block, aligned, plus TCB fits its area");
_Static_assert(CAPOS_USER_RING_SLOT_ADDR(CAPOS_USER_RING_SLOTS) ==
                   CAPOS_USER_RING_BASE + CAPOS_USER_RING_AREA_SIZE,
               "ring slots fill the ring area");
_Static_assert(CAPOS_USER_RING_SLOT_ADDR(0) == CAPOS_USER_RING_ADDR,
               "the main thread's ring is slot 0");
_Static_assert(CAPOS_USER_RING_BASE + CAPOS_USER_RING_AREA_SIZE <=
                   CAPOS_USER_CAPSET_ADDR,
               "rings and CapSet do not overlap");
_Static_assert(CAPOS_USER_CAPSET_ADDR + CAPOS_PAGE_SIZE <=
                   CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE -
                       CAPOS_USER_STACK_GUARD,
               "CapSet and stack guard do not overlap");
_Static_assert(CAPOS_USER_STACK_TOP < CAPOS_USER_END, "stack is user memory");
_Static_assert(CAPOS_USER_STACK_TOP % 16 == 0, "SysV entry alignment");
_Static_assert(CAPOS_USER_RING_ADDR % CAPOS_PAGE_SIZE == 0 &&
                   CAPOS_USER_CAPSET_ADDR % CAPOS_PAGE_SIZE == 0 &&
                   CAPOS_USER_STACK_SIZE % CAPOS_PAGE_SIZE == 0,
               "fixed pages are page aligned");

/*
 * The static part of the user-buffer check: does [addr, addr + len) lie in
 * the user half without wrapping?  A zero length is only valid with a zero
 * address, so an absent buffer has exactly one spelling.  Whether the pages
 * are mapped, and writable, is for the owning address space to say.
 */
static inline int
capos_user_range_ok(uint64_t addr, uint64_t len)
{
	if (len == 0)
		return addr == 0;
	if (addr < CAPOS_USER_BASE || addr >= CAPOS_USER_END)
		return 0;
	return len <= CAPOS_USER_END - addr;
}
#endif /* !__ASSEMBLER__ */

#endif
