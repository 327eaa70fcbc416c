/*
 * GDT and TSS.  Long mode ignores segment bases and limits except for FS,
 * GS and the TSS; the TSS matters for the ring-0 stack (RSP0) and for the
 * interrupt stack table, which gives the double fault, NMI and machine
 * check handlers known-good stacks even when the current one is broken.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"

struct __attribute__((packed)) tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct __attribute__((packed)) gdt_ptr {
	uint16_t limit;
	uint64_t base;
};

#define GDT_ENTRIES 7 /* null, 4 segments, TSS (two slots) */

/* One GDT and TSS per CPU: the TSS holds the CPU's own RSP0 and IST
 * stacks, and a busy TSS cannot be loaded by a second CPU. */
struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
} __attribute__((aligned(64)));

static struct cpu_tables tables[MAX_CPUS];
/* The boot CPU's IST stacks: it needs them before the heap exists.  Each
 * application processor's come from the kernel-stack area (smpboot.c). */
static uint8_t ist_stacks[GDT_IST_STACKS][IST_STACK_SIZE]
    __attribute__((aligned(16)));

/* Flag bits of a code/data descriptor. */
#define D_PRESENT (1ull << 47)
#define D_DPL3    (3ull << 45)
#define D_SEG     (1ull << 44) /* code or data, not system */
#define D_CODE    (1ull << 43)
#define D_RW      (1ull << 41) /* readable code / writable data */
#define D_LONG    (1ull << 53)
#define D_GRAN    (1ull << 55)
#define D_LIMIT   (0xfull << 48 | 0xffff)

void
gdt_init_cpu(uint32_t cpu, const uint64_t ist_tops[GDT_IST_STACKS])
{
	struct cpu_tables *t = &tables[cpu];
	uint64_t *gdt = t->gdt;
	uint64_t base = (uint64_t)(uintptr_t)&t->tss;
	uint64_t limit = sizeof(t->tss) - 1;
	struct gdt_ptr ptr = {sizeof(t->gdt) - 1, (uint64_t)(uintptr_t)gdt};
	int i;

	KASSERT(cpu < MAX_CPUS);
	gdt[0] = 0;
	gdt[1] = D_PRESENT | D_SEG | D_CODE | D_RW | D_LONG | D_GRAN | D_LIMIT;
	gdt[2] = D_PRESENT | D_SEG | D_RW | D_GRAN | D_LIMIT | (1ull << 54);
	gdt[3] = gdt[2] | D_DPL3;
	gdt[4] = gdt[1] | D_DPL3;
	/* 64-bit available TSS (type 9), 16 bytes. */
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (9ull << 40) |
	         D_PRESENT | (((limit >> 16) & 0xf) << 48) |
	         (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;

	for (i = 0; i < GDT_IST_STACKS; i++)
		t->tss.ist[i] = ist_tops[i];
	t->tss.iomap_base = sizeof(t->tss); /* no I/O permission bitmap */

	/* Loading GS with the null selector clears the GS base: the per-CPU
	 * block is pointed at after this (percpu.c). */
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw %w2, %%ax\n\t"
	                 "movw %%ax, %%ds\n\t"
	                 "movw %%ax, %%es\n\t"
	                 "movw %%ax, %%ss\n\t"
	                 "xorl %%eax, %%eax\n\t"
	                 "movw %%ax, %%fs\n\t"
	                 "movw %%ax, %%gs\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(ptr), "i"((uint64_t)SEL_KCODE), "r"(SEL_KDATA),
	                   "r"(SEL_TSS)
	                 : "rax", "memory");
}

void
gdt_init(void)
{
	uint64_t tops[GDT_IST_STACKS];
	int i;

	for (i = 0; i < GDT_IST_STACKS; i++)
		tops[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
	gdt_init_cpu(0, tops);
}

/* Read back from the CPU's own GDTR and task register, not from the
 * tables above, so a check of it sees what the CPU really loaded. */
void *
gdt_loaded_tss(void)
{
	struct gdt_ptr ptr;
	const uint64_t *gdt;
	uint16_t tr;

	__asm__ volatile("sgdt %0\n\tstr %1" : "=m"(ptr), "=r"(tr));
	gdt = (const uint64_t *)(uintptr_t)ptr.base;
	return (void *)(uintptr_t)(((gdt[tr / 8] >> 16) & 0xffffff) |
	                           (((gdt[tr / 8] >> 56) & 0xff) << 24) |
	                           (gdt[tr / 8 + 1] << 32));
}

void
tss_set_rsp0(uint64_t rsp0)
{
	((struct tss *)this_cpu()->tss)->rsp[0] = rsp0;
}

/*
 * Only selectors that differ are loaded (a load is slow, and most threads
 * never change theirs).  GS is loaded between two swapgs, so the load
 * lands on the user's GS base and never on the kernel's per-CPU one.
 */
static void
load_differing(uint64_t cur, uint64_t want)
{
	uint16_t ds = (uint16_t)want, es = (uint16_t)(want >> 16);
	uint16_t fs = (uint16_t)(want >> 32), gs = (uint16_t)(want >> 48);

	if ((uint16_t)cur != ds)
		__asm__ volatile("movw %0, %%ds" : : "r"(ds));
	if ((uint16_t)(cur >> 16) != es)
		__asm__ volatile("movw %0, %%es" : : "r"(es));
	if ((uint16_t)(cur >> 32) != fs)
		__asm__ volatile("movw %0, %%fs" : : "r"(fs));
	if ((uint16_t)(cur >> 48) != gs) {
		__asm__ volatile("swapgs\n\t"
		                 "movw %0, %%gs\n\t"
		                 "swapgs"
		                 :
		                 : "r"(gs)
		                 : "memory");
		wrmsr(MSR_KERNEL_GS_BASE, 0);
	}
}

void
user_selectors_switch(uint64_t *save, const uint64_t *load)
{
	uint64_t cur;

	/* Stored straight from the registers: DS, ES, FS, GS in that order
	 * of 16-bit fields, as load_differing reads them. */
	__asm__ volatile("movw %%ds, %0\n\t"
	                 "movw %%es, 2+%0\n\t"
	                 "movw %%fs, 4+%0\n\t"
	                 "movw %%gs, 6+%0"
	                 : "=m"(cur));
	if (save)
		*save = cur;
	if (load && *load != cur)
		load_differing(cur, *load);
}
