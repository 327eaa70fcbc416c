/*
 * Powering the machine off and resetting it.  power_init picks, from what
 * the ACPI tables said, how each is done and logs the choice:
 *
 *   power off  ACPI S5: SLP_TYPa | SLP_EN to PM1a_CNT (and SLP_TYPb to
 *              PM1b_CNT), after switching to ACPI mode if the firmware
 *              left the machine in legacy mode; unavailable without a
 *              PM1a control port and a \_S5_ sleep type
 *   reboot     the FADT reset register (I/O space), else the keyboard
 *              controller's reset line (0x64 <- 0xfe), else a triple
 *              fault
 *
 * Both flush the serial console first, so the last lines reach the log.
 */
#ifndef ARCH_X86_64_POWER_H
#define ARCH_X86_64_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi/acpi.h"

enum power_reset_method {
	POWER_RESET_ACPI,     /* the FADT reset register */
	POWER_RESET_KEYBOARD, /* the keyboard controller */
	POWER_RESET_TRIPLE_FAULT,
};

struct power_methods {
	bool acpi_off; /* ACPI S5 is possible */
	uint16_t pm1a_cnt, pm1b_cnt;
	uint8_t slp_typa, slp_typb;
	enum power_reset_method reset;
};

/* Chooses the methods from tables (NULL: none were read); logs them. */
void power_init(const struct acpi_info *tables);

const struct power_methods *power_methods(void);

/*
 * Powers the machine off.  Returns only when it could not, with the
 * reason (static text): no ACPI S5, or the machine still running after
 * the write.
 */
const char *power_off(void);

/* Resets the machine; tries each method in the order above. */
void power_reboot(void) __attribute__((noreturn));

#endif
