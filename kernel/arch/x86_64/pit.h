#ifndef ARCH_X86_64_PIT_H
#define ARCH_X86_64_PIT_H

#include <stdbool.h>
#include <stdint.h>

/* Longest one-shot the 16-bit counter allows: about 54.9 ms. */
#define PIT_MAX_ONESHOT_US 54000

/* Starts a one-shot of about us microseconds (whole PIT ticks of 838 ns);
 * returns its exact length in nanoseconds. */
uint32_t pit_oneshot_start(uint32_t us);
bool pit_oneshot_done(void);

#endif
