/* SYSCALL/SYSRET set-up: the entry point and the selectors. */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"

extern char syscall_entry[];

static void user_mode_init(void);

static void
syscall_msrs(void)
{
	/* STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: base for SYSRET,
	 * which loads SS = base + 8 and CS = base + 16. */
	uint64_t star =
	    ((uint64_t)SEL_KCODE << 32) | ((uint64_t)(SEL_KDATA | 3) << 48);

	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	/* Every flag is cleared on entry (the kernel runs with
	 * RFLAGS_KERNEL), interrupts included: the entry runs with them off
	 * until it has a stack. */
	wrmsr(MSR_SFMASK, RFLAGS_SYSCALL_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void
syscall_init(void)
{
	syscall_msrs();
	user_mode_init();
	fpu_init();
}

void
syscall_init_cpu(void)
{
	syscall_msrs();
	user_mode_init();
	fpu_enable_cpu();
}

/*
 * The CPU state user mode runs with, beyond what a thread's frame holds.
 *
 * - Alignment checking (CR0.AM): a thread that sets RFLAGS.AC gets it,
 *   and a misaligned access is then an alignment-check fault that ends it.
 *   CR0.AM changes nothing in ring 0.
 * - The FP/SIMD unit is on (x87, SSE, AVX where the CPU has it) and
 *   each user thread has its own saved state: fpu.c.
 * - No FSGSBASE: with CR4.FSGSBASE a user WRGSBASE could plant any GS base
 *   for the kernel to pick up with swapgs.  Users change FS and GS only by
 *   loading selectors, whose bases are 0.
 */
static void
user_mode_init(void)
{
	write_cr0(read_cr0() | CR0_AM);
	write_cr4(read_cr4() & ~CR4_FSGSBASE);
	KASSERT(!(read_cr4() & CR4_FSGSBASE));
	KASSERT(rdmsr(MSR_SFMASK) == RFLAGS_SYSCALL_MASK);
}
