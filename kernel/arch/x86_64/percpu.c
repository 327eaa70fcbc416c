/*
 * The per-CPU blocks: one per CPU the kernel may start, index 0 the boot
 * CPU.  Static, so an application processor's block exists before the
 * heap does and its address never changes.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

static struct percpu cpus[MAX_CPUS];
uint32_t ncpus_online;

struct percpu *
percpu_of(uint32_t i)
{
	KASSERT(i < MAX_CPUS);
	return &cpus[i];
}

void
percpu_load(struct percpu *p)
{
	/* In the kernel GS points at the per-CPU block; the user value waits
	 * in KERNEL_GS_BASE until swapgs on the way out. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void
percpu_init(void)
{
	struct percpu *p = &cpus[0];
	uint32_t a, b, c, d;

	p->self = p;
	p->cpu_id = 0;
	/* The initial APIC id (CPUID 1, EBX[31:24]): the local APIC is not
	 * mapped yet, and the firmware leaves the register at this value. */
	cpuid(1, 0, &a, &b, &c, &d);
	p->apic_id = b >> 24;
	p->tss = gdt_loaded_tss();
	p->online = 1;
	ncpus_online = 1;
	percpu_load(p);
}
