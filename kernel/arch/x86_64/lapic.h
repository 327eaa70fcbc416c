#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Masks the legacy 8259 PICs (remapped away from the exception vectors). */
void pic_disable(void);

/* Enables the boot CPU's local APIC; calibrates the TSC and the APIC
 * timer (once: every CPU's timer runs at the rate found here). */
void lapic_init(void);
/* Enables this CPU's local APIC with its timer masked: what every CPU
 * runs, the boot CPU inside lapic_init. */
void lapic_enable_cpu(void);
/* Starts the periodic timer interrupt at hz. */
void lapic_timer_start(uint32_t hz);
void lapic_eoi(void);
uint32_t lapic_id(void);

/*
 * Inter-processor interrupts to the CPU with local APIC id apic_id.  Each
 * waits (bounded) for the local APIC to take the command and returns false
 * when it never did.  INIT resets the target to wait for a startup IPI;
 * STARTUP starts it in real mode at page << 12 (below 1 MiB).
 */
bool lapic_send_init(uint32_t apic_id);
bool lapic_send_startup(uint32_t apic_id, uint32_t page);
bool lapic_send_ipi(uint32_t apic_id, uint32_t vector);

/* TSC frequency found during lapic_init (CPUID or the PIT). */
uint64_t lapic_measured_tsc_hz(void);
/* Logs where the TSC and timer rates came from; once the clock runs, so
 * the lines have timestamps. */
void lapic_print_calibration(void);

#endif
