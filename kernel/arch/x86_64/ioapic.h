/*
 * The I/O APICs: where device interrupts enter.  ioapic_init finds them
 * in the MADT, masks every input, and logs them; a driver then routes one
 * ISA IRQ (with the MADT's interrupt source overrides applied) to a
 * vector of the boot CPU.  Without a usable MADT there is no routing and
 * ioapic_route_isa fails.
 */
#ifndef ARCH_X86_64_IOAPIC_H
#define ARCH_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi/acpi.h"

void ioapic_init(const struct acpi_info *tables);

/*
 * Routes ISA IRQ irq to vector on this CPU, unmasked, and sets *gsi to
 * the input it arrives on; false when no I/O APIC serves it.
 */
bool ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t *gsi);

/* Masks the input of GSI gsi again. */
void ioapic_mask(uint32_t gsi);

#endif
