#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdint.h>

/* Masks the legacy 8259 PICs (remapped away from the exception vectors). */
void pic_disable(void);

/* Enables the local APIC; calibrates the TSC and the APIC timer. */
void lapic_init(void);
/* Starts the periodic timer interrupt at hz. */
void lapic_timer_start(uint32_t hz);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* TSC frequency found during lapic_init (CPUID or the PIT). */
uint64_t lapic_measured_tsc_hz(void);
/* Logs where the TSC and timer rates came from; once the clock runs, so
 * the lines have timestamps. */
void lapic_print_calibration(void);

/* A fixed interrupt to one CPU by its APIC id. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);

#endif
