#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stdint.h>

/*
 * The monotonic clock: nanoseconds since the clock was calibrated at boot,
 * from the TSC.  Returns 0 until clock_init() has run.
 */
uint64_t clock_ns(void);
void clock_init(uint64_t tsc_hz);
uint64_t clock_tsc_hz(void);

/* The periodic timer interrupt's rate (kmain starts it). */
#define TIMER_HZ 100

/* Timer interrupts since the timer started. */
extern volatile uint64_t clock_ticks;
void clock_tick(void);

/* Busy-waits; only for boot-time code that cannot sleep. */
void clock_spin_ns(uint64_t ns);

#endif
