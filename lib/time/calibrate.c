/*
 * Timer calibration arithmetic (calibrate.h).  No product may overflow:
 * a leaf's fields are 32-bit and a TSC count over a long window is large,
 * and an overflow here would be a wrong clock for the whole uptime.  The
 * kernel has no 128-bit division, so a * b / c is split on a / c.
 */
#include "time/calibrate.h"

/* a * b / c, rounded down, saturating at UINT64_MAX; c > 0. */
static uint64_t
muldiv(uint64_t a, uint32_t b, uint32_t c)
{
	uint64_t q = a / c, r = a % c;

	/* a * b / c = q * b + r * b / c, and r * b < 2^64. */
	if (b && q > (UINT64_MAX - (uint64_t)r * b / c) / b)
		return UINT64_MAX;
	return q * b + (uint64_t)r * b / c;
}

static bool
in_range(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v >= lo && v <= hi;
}

static bool
plausible_tsc(uint64_t hz)
{
	return in_range(hz, CALIB_TSC_MIN_HZ, CALIB_TSC_MAX_HZ);
}

static bool
plausible_apic(uint64_t hz)
{
	return in_range(hz, CALIB_APIC_MIN_HZ, CALIB_APIC_MAX_HZ);
}

static void
set_tsc(struct calib_rates *out, uint64_t hz, enum calib_source s)
{
	if (out->tsc_source == CALIB_NONE && plausible_tsc(hz)) {
		out->tsc_hz = hz;
		out->tsc_source = s;
	}
}

static void
set_apic(struct calib_rates *out, uint64_t hz, enum calib_source s)
{
	if (out->apic_source == CALIB_NONE && plausible_apic(hz)) {
		out->apic_hz = hz;
		out->apic_source = s;
	}
}

void
calib_from_leaves(const struct calib_leaves *l, struct calib_rates *out)
{
	*out = (struct calib_rates){0};

	/* A hypervisor leaf is read only when the hypervisor lists it;
	 * otherwise the CPU answers with some other leaf's data. */
	if (l->hypervisor && l->hv_max >= CALIB_HV_TIMING_LEAF &&
	    l->hv_max < CALIB_HV_TIMING_LEAF + 0x100) {
		set_tsc(out, (uint64_t)l->hv_tsc_khz * 1000, CALIB_HYPERVISOR);
		set_apic(out, (uint64_t)l->hv_apic_khz * 1000,
		         CALIB_HYPERVISOR);
	}
	if (l->max_basic < 0x15 || l->l15_den == 0 || l->l15_num == 0)
		return;
	if (l->l15_crystal_hz) {
		set_tsc(out, muldiv(l->l15_crystal_hz, l->l15_num, l->l15_den),
		        CALIB_CPUID_15);
		set_apic(out, l->l15_crystal_hz, CALIB_CPUID_15);
	} else if (l->max_basic >= 0x16 && l->l16_base_mhz) {
		/* The TSC runs at the base frequency; the crystal is that
		 * divided by the ratio. */
		uint64_t tsc = (uint64_t)l->l16_base_mhz * 1000000;

		set_tsc(out, tsc, CALIB_CPUID_16);
		set_apic(out, muldiv(tsc, l->l15_den, l->l15_num),
		         CALIB_CPUID_16);
	}
}

uint64_t
calib_rate(uint64_t ticks, uint32_t ns)
{
	if (ns == 0)
		return 0;
	return muldiv(ticks, 1000000000, ns);
}

bool
calib_agree(uint64_t a, uint64_t b, uint32_t ppm)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;

	if (lo == 0)
		return false;
	return (unsigned __int128)(hi - lo) * 1000000 <=
	       (unsigned __int128)hi * ppm;
}

/* Whether the two windows agree on every rate still unknown. */
static bool
windows_agree(const struct calib_window *a, const struct calib_window *b,
              const struct calib_rates *r)
{
	if (r->tsc_source == CALIB_NONE &&
	    !calib_agree(calib_rate(a->tsc, a->ns), calib_rate(b->tsc, b->ns),
	                 CALIB_AGREE_PPM))
		return false;
	if (r->apic_source == CALIB_NONE &&
	    !calib_agree(calib_rate(a->apic, a->ns), calib_rate(b->apic, b->ns),
	                 CALIB_AGREE_PPM))
		return false;
	return true;
}

static void
take(struct calib_rates *r, const struct calib_window *w, uint32_t apic_div,
     enum calib_source s)
{
	if (r->tsc_source == CALIB_NONE) {
		r->tsc_hz = calib_rate(w->tsc, w->ns);
		r->tsc_source = s;
	}
	if (r->apic_source == CALIB_NONE) {
		r->apic_hz = calib_rate(w->apic * apic_div, w->ns);
		r->apic_source = s;
	}
}

unsigned
calib_measure(calib_measure_fn measure, void *ctx, uint32_t apic_div,
              struct calib_rates *out)
{
	struct calib_window prev, cur;
	unsigned n;

	if (out->tsc_source != CALIB_NONE && out->apic_source != CALIB_NONE)
		return 0;
	for (n = 1; n <= CALIB_MAX_WINDOWS; n++) {
		measure(ctx, CALIB_SHORT_US, &cur);
		if (n > 1 && windows_agree(&prev, &cur, out)) {
			struct calib_window both = {prev.tsc + cur.tsc,
			                            prev.apic + cur.apic,
			                            prev.ns + cur.ns};

			take(out, &both, apic_div, CALIB_MEASURED);
			return n;
		}
		prev = cur;
	}
	measure(ctx, CALIB_LONG_US, &cur);
	take(out, &cur, apic_div, CALIB_MEASURED_LONG);
	return n;
}

const char *
calib_source_name(enum calib_source s)
{
	switch (s) {
	case CALIB_NONE:
		return "unknown";
	case CALIB_HYPERVISOR:
		return "hypervisor CPUID leaf 0x40000010";
	case CALIB_CPUID_15:
		return "CPUID leaf 0x15";
	case CALIB_CPUID_16:
		return "CPUID leaves 0x15 and 0x16";
	case CALIB_MEASURED:
		return "two PIT windows that agreed";
	case CALIB_MEASURED_LONG:
		return "one long PIT window";
	}
	return "?";
}
