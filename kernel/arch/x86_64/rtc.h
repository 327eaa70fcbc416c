#ifndef ARCH_X86_64_RTC_H
#define ARCH_X86_64_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "time/rtc.h"

/* No century register: the FADT names none, or nobody read it. */
#define RTC_NO_CENTURY 0

/*
 * Reads the CMOS clock's time registers (and the century register when
 * century_reg is not RTC_NO_CENTURY): waits out an update in progress,
 * then reads until two readings in a row agree.  False when the clock
 * never held still.  Decoding is lib/time/rtc.c's.
 */
bool rtc_read(uint8_t century_reg, struct rtc_regs *out);

#endif
