/*
 * Monotonic time from the TSC, converted with a fixed-point multiplier so
 * the conversion is one multiply and one shift (no division on the hot
 * path).  The multiplier is ns-per-tick scaled by 2^32.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"

#define SCALE_SHIFT 32

static uint64_t tsc_base;
static uint64_t tsc_hz;
static uint64_t ns_per_tsc_scaled;
volatile uint64_t clock_ticks;

void
clock_init(uint64_t hz)
{
	tsc_hz = hz;
	ns_per_tsc_scaled = (1000000000ull << SCALE_SHIFT) / hz;
	tsc_base = rdtsc();
}

uint64_t
clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
clock_ns(void)
{
	uint64_t d;

	if (!tsc_hz)
		return 0;
	d = rdtsc() - tsc_base;
	return (uint64_t)(((unsigned __int128)d * ns_per_tsc_scaled) >>
	                  SCALE_SHIFT);
}

void
clock_tick(void)
{
	clock_ticks++;
}

void
clock_spin_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	while (clock_ns() < end)
		cpu_relax();
}
