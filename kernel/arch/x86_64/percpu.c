#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

static struct percpu boot_cpu;

void
percpu_init(void)
{
	boot_cpu.self = &boot_cpu;
	boot_cpu.cpu_id = 0;
	/* In the kernel GS points at the per-CPU block; the user value waits
	 * in KERNEL_GS_BASE until swapgs on the way out. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
