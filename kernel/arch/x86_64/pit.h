#ifndef ARCH_X86_64_PIT_H
#define ARCH_X86_64_PIT_H

#include <stdbool.h>
#include <stdint.h>

/* Longest one-shot the 16-bit counter allows: about 54.9 ms. */
#define PIT_MAX_ONESHOT_US 54000

void pit_oneshot_start(uint32_t us);
bool pit_oneshot_done(void);

#endif
