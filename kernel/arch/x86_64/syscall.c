/* SYSCALL/SYSRET set-up: the entry point and the selectors. */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"

extern char syscall_entry[];

void
syscall_init(void)
{
	/* STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: base for SYSRET,
	 * which loads SS = base + 8 and CS = base + 16. */
	uint64_t star = ((uint64_t)SEL_KCODE << 32) |
			((uint64_t)(SEL_KDATA | 3) << 48);

	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	/* Interrupts, direction, trap and alignment-check flags are cleared
	 * on entry; the entry runs with interrupts off until it has a stack. */
	wrmsr(MSR_SFMASK, RFLAGS_IF | (1ul << 10) | (1ul << 8) | RFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
