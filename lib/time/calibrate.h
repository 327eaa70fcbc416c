/*
 * Timer calibration arithmetic: how fast the TSC and the local APIC
 * timer run.  Pure code: the kernel reads the CPUID leaves and measures
 * windows against a reference clock (kernel/arch/x86_64/lapic.c); this
 * chooses the source, turns leaves and windows into rates, and decides
 * when short windows can be trusted.  Host tests feed it leaves real CPUs
 * and hypervisors report, garbage, and windows with host hiccups in them.
 *
 * Sources, best first (docs/boot.md):
 *   1. the hypervisor timing leaf 0x40000010: TSC kHz (EAX) and APIC bus
 *      kHz (EBX), when the hypervisor's leaf 0x40000000 lists it;
 *   2. CPUID 0x15: TSC = crystal Hz (ECX) * EBX / EAX; the APIC timer is
 *      fed by the same crystal.  When ECX is 0, the crystal comes from
 *      leaf 0x16's base MHz (the TSC runs at the base frequency);
 *   3. measured: short windows against the PIT until two in a row agree
 *      within CALIB_AGREE_PPM, at most CALIB_MAX_WINDOWS of them, then
 *      one long window (CALIB_LONG_US).
 * A rate from a leaf that is out of CALIB_*_MIN_HZ..MAX_HZ is not used.
 */
#ifndef TIME_CALIBRATE_H
#define TIME_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#define CALIB_HV_TIMING_LEAF 0x40000010u
#define CALIB_SHORT_US       1000u  /* one short window */
#define CALIB_LONG_US        10000u /* the fallback window */
#define CALIB_MAX_WINDOWS    8u     /* short windows before the fallback */
/* Two windows agree when their rates differ by at most this (parts per
 * million of the larger).  The PIT's resolution is 838 ns, 0.08% of a
 * short window, so a window can be off by that much without any noise. */
#define CALIB_AGREE_PPM 2000u

/* Plausible rates: outside these a leaf is taken to be garbage. */
#define CALIB_TSC_MIN_HZ  10000000ull     /* 10 MHz */
#define CALIB_TSC_MAX_HZ  100000000000ull /* 100 GHz */
#define CALIB_APIC_MIN_HZ 100000ull       /* 100 kHz */
#define CALIB_APIC_MAX_HZ 10000000000ull  /* 10 GHz */

enum calib_source {
	CALIB_NONE = 0,     /* unknown: measure it */
	CALIB_HYPERVISOR,   /* leaf 0x40000010 */
	CALIB_CPUID_15,     /* leaf 0x15 with the crystal's Hz */
	CALIB_CPUID_16,     /* leaf 0x15's ratio, crystal from 0x16 */
	CALIB_MEASURED,     /* short windows that agreed */
	CALIB_MEASURED_LONG /* the long fallback window */
};

/* The CPUID leaves as read; a leaf the CPU does not have is all 0. */
struct calib_leaves {
	uint32_t max_basic;               /* leaf 0 EAX */
	bool hypervisor;                  /* leaf 1 ECX bit 31 */
	uint32_t hv_max;                  /* leaf 0x40000000 EAX */
	uint32_t hv_tsc_khz, hv_apic_khz; /* leaf 0x40000010 EAX, EBX */
	uint32_t l15_den, l15_num, l15_crystal_hz; /* leaf 0x15 EAX, EBX, ECX */
	uint32_t l16_base_mhz;                     /* leaf 0x16 EAX */
};

/* The APIC rate is that of the timer's input, before its divider. */
struct calib_rates {
	uint64_t tsc_hz, apic_hz;
	enum calib_source tsc_source, apic_source;
};

/* Fills in what the leaves say; a rate they do not give is 0 with
 * CALIB_NONE, and must be measured. */
void calib_from_leaves(const struct calib_leaves *l, struct calib_rates *out);

/* Ticks of the TSC and of the APIC timer (after its divider) counted
 * over one window of the reference clock, and the window's true length
 * (the PIT counts in steps of 838 ns, so a window of 1000 us lasts
 * 999,847 ns). */
struct calib_window {
	uint64_t tsc, apic;
	uint32_t ns;
};

/* Measures one window of about us microseconds of the reference clock. */
typedef void (*calib_measure_fn)(void *ctx, uint32_t us,
                                 struct calib_window *w);

/* ticks counted in ns nanoseconds, as Hz (0 when ns is 0; saturates). */
uint64_t calib_rate(uint64_t ticks, uint32_t ns);

/* Whether two rates differ by at most ppm parts per million of the
 * larger; a zero rate agrees with nothing. */
bool calib_agree(uint64_t a, uint64_t b, uint32_t ppm);

/*
 * Measures the rates out->tsc_source or out->apic_source leave unknown
 * (CALIB_NONE): short windows until two in a row agree on both counts,
 * then the rate of their sum; after CALIB_MAX_WINDOWS without that, one
 * long window.  apic_div is the APIC timer's divider during the windows.
 * Returns the number of windows measured; 0 when nothing was unknown.
 */
unsigned calib_measure(calib_measure_fn measure, void *ctx, uint32_t apic_div,
                       struct calib_rates *out);

const char *calib_source_name(enum calib_source s);

#endif
