/*
 * I/O APIC programming (ioapic.h).  Each I/O APIC has two registers in
 * its MMIO page, an index and a window; redirection entry n is the pair
 * of 32-bit registers 0x10 + 2n (low: vector, polarity, trigger, mask)
 * and 0x11 + 2n (high: the destination APIC id in bits 24-31).
 *
 * ISA IRQs are edge-triggered and active high on the ISA bus; an
 * interrupt source override from the MADT can move one to another GSI
 * and give it another polarity and trigger mode (QEMU moves IRQ 0 to
 * GSI 2 and makes the PCI interrupts 5, 9, 10 and 11 level, active high).
 */
#include "core/kernel.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"

#define IOAPIC_INDEX  0x00
#define IOAPIC_WINDOW 0x10
#define REG_VERSION   0x01
#define REG_REDIR(n)  (0x10 + 2 * (n))

#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL      (1u << 15)
#define REDIR_MASKED     (1u << 16)

/* Override flags (MPS INTI flags). */
#define POLARITY_MASK 0x3u
#define POLARITY_LOW  0x3u
#define TRIGGER_SHIFT 2
#define TRIGGER_MASK  0x3u
#define TRIGGER_LEVEL 0x3u

#define IOAPIC_PAGE 4096u

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t inputs;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned nioapics;
static const struct acpi_madt *madt;

static uint32_t
ioapic_read(const struct ioapic *a, uint32_t reg)
{
	a->regs[IOAPIC_INDEX / 4] = reg;
	return a->regs[IOAPIC_WINDOW / 4];
}

static void
ioapic_write(const struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[IOAPIC_INDEX / 4] = reg;
	a->regs[IOAPIC_WINDOW / 4] = v;
}

void
ioapic_init(const struct acpi_info *tables)
{
	uint32_t i, n;

	if (!tables || tables->madt_error != ACPI_OK ||
	    tables->madt.nioapics == 0) {
		kprintf("ioapic: none known (no usable MADT): device "
		        "interrupts are not routed\n");
		return;
	}
	madt = &tables->madt;
	for (i = 0; i < madt->nioapics; i++) {
		const struct acpi_ioapic *m = &madt->ioapics[i];
		struct ioapic *a = &ioapics[nioapics];

		/* Its registers must lie in the direct map, in one page. */
		if (m->address % 16 != 0 || (uint64_t)m->address + IOAPIC_PAGE >
		                                paging_direct_map_size()) {
			kprintf("ioapic: %u at %#x is not addressable, "
			        "ignored\n",
			        m->id, m->address);
			continue;
		}
		a->regs = phys_to_virt(m->address);
		a->gsi_base = m->gsi_base;
		a->inputs = ((ioapic_read(a, REG_VERSION) >> 16) & 0xff) + 1;
		for (n = 0; n < a->inputs; n++)
			ioapic_write(a, REG_REDIR(n), REDIR_MASKED);
		kprintf("ioapic: %u at %#x, GSI %u-%u, all masked\n", m->id,
		        m->address, a->gsi_base, a->gsi_base + a->inputs - 1);
		nioapics++;
	}
}

static struct ioapic *
ioapic_for(uint32_t gsi)
{
	unsigned i;

	for (i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base &&
		    gsi - ioapics[i].gsi_base < ioapics[i].inputs)
			return &ioapics[i];
	return NULL;
}

bool
ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t *gsi_out)
{
	uint32_t gsi = irq, low = vector, i;
	uint16_t flags = 0;
	struct ioapic *a;

	for (i = 0; madt && i < madt->noverrides; i++) {
		if (madt->overrides[i].bus == 0 &&
		    madt->overrides[i].source == irq) {
			gsi = madt->overrides[i].gsi;
			flags = madt->overrides[i].flags;
		}
	}
	a = ioapic_for(gsi);
	if (!a)
		return false;
	if ((flags & POLARITY_MASK) == POLARITY_LOW)
		low |= REDIR_ACTIVE_LOW;
	if (((flags >> TRIGGER_SHIFT) & TRIGGER_MASK) == TRIGGER_LEVEL)
		low |= REDIR_LEVEL;
	/* The high half first: the entry is unmasked by the low write. */
	ioapic_write(a, REG_REDIR(gsi - a->gsi_base) + 1, lapic_id() << 24);
	ioapic_write(a, REG_REDIR(gsi - a->gsi_base), low);
	*gsi_out = gsi;
	return true;
}

void
ioapic_mask(uint32_t gsi)
{
	struct ioapic *a = ioapic_for(gsi);

	if (a)
		ioapic_write(a, REG_REDIR(gsi - a->gsi_base), REDIR_MASKED);
}
