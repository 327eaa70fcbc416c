/*
 * The wall clock (core/wallclock.c): UTC from the CMOS RTC at boot,
 * advancing with the monotonic clock.  Served by WallClock and
 * ClockDiscipline; SystemInfo.bootTime derives from it.
 */
#ifndef CORE_WALLCLOCK_H
#define CORE_WALLCLOCK_H

#include <stdint.h>

/* ClockProvenance in the schema has the same numbers. */
enum wallclock_provenance {
	WALLCLOCK_UNSET = 0,
	WALLCLOCK_RTC = 1,
	WALLCLOCK_SET_BY_OPERATOR = 2,
};

/* Reads the RTC; needs the monotonic clock running. */
void wallclock_init(void);

/* Nanoseconds since the Unix epoch, UTC. */
int64_t wallclock_now(enum wallclock_provenance *prov);
/* The wall time at which the monotonic clock read 0. */
int64_t wallclock_boot_time(enum wallclock_provenance *prov);
/* Sets the time now to unix_ns (>= 0); provenance setByOperator. */
void wallclock_set(int64_t unix_ns);

#endif
