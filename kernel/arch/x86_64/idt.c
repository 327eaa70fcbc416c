/*
 * The IDT: one interrupt gate per vector, all pointing at the stubs in
 * vectors.S.  Double fault, NMI and machine check run on their own IST
 * stacks; the breakpoint gate is callable from user mode (int3).
 */
#include "core/kernel.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"

struct __attribute__((packed)) idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3      0x60
#define STUB_SIZE      16

extern char vector_stubs[];
static struct idt_gate idt[NUM_VECTORS];

static void
set_gate(unsigned vec, unsigned ist, unsigned dpl3)
{
	uint64_t addr = (uint64_t)(uintptr_t)(vector_stubs + STUB_SIZE * vec);

	idt[vec].off_lo = addr & 0xffff;
	idt[vec].sel = SEL_KCODE;
	idt[vec].ist = ist;
	idt[vec].type_attr = GATE_INTERRUPT | (dpl3 ? GATE_DPL3 : 0);
	idt[vec].off_mid = (addr >> 16) & 0xffff;
	idt[vec].off_hi = addr >> 32;
	idt[vec].reserved = 0;
}

/* Every CPU loads the one table; it is not written after idt_init. */
void
idt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void
idt_init(void)
{
	unsigned v;

	for (v = 0; v < NUM_VECTORS; v++)
		set_gate(v, 0, 0);
	set_gate(VEC_DOUBLE_FAULT, IST_DOUBLE_FAULT, 0);
	set_gate(VEC_NMI, IST_NMI, 0);
	set_gate(VEC_MACHINE_CHECK, IST_MACHINE_CHECK, 0);
	set_gate(VEC_BREAKPOINT, 0, 1);
	idt_load();
}
