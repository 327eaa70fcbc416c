/*
 * Host tests for lib/time/calibrate: which CPUID leaf is believed (the
 * hypervisor's, 0x15, 0x15 with 0x16) and which are garbage, the rate and
 * agreement arithmetic at its limits, and the short-window loop fed by a
 * fake clock with host hiccups in it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "time/calibrate.h"

/* A CPU with no timing leaves (QEMU's -cpu max under TCG). */
static struct calib_leaves
bare(void)
{
	return (struct calib_leaves){.max_basic = 0xd};
}

static void
test_no_leaves(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);
	assert_int_equal(r.apic_source, CALIB_NONE);
	assert_int_equal(r.tsc_hz, 0);
	assert_int_equal(r.apic_hz, 0);
}

static void
test_hypervisor_leaf(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	l.hypervisor = true;
	l.hv_max = 0x40000010;
	l.hv_tsc_khz = 2893300;
	l.hv_apic_khz = 1000000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_HYPERVISOR);
	assert_int_equal(r.tsc_hz, 2893300000ull);
	assert_int_equal(r.apic_source, CALIB_HYPERVISOR);
	assert_int_equal(r.apic_hz, 1000000000ull);
}

/* The leaf is read only when the hypervisor lists it and only under a
 * hypervisor: otherwise 0x40000010 answers with another leaf's data. */
static void
test_hypervisor_leaf_unlisted(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	l.hypervisor = true;
	l.hv_max = 0x40000001; /* KVM without the timing leaf */
	l.hv_tsc_khz = 2893300;
	l.hv_apic_khz = 1000000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);
	assert_int_equal(r.apic_source, CALIB_NONE);

	l.hv_max = 0xd; /* a bare CPU's answer: the highest basic leaf */
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);

	l.hv_max = 0x40000010;
	l.hypervisor = false;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);

	l.hypervisor = true;
	l.hv_max = 0x7fffffff; /* garbage */
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);
}

/* A half-filled hypervisor leaf: what it gives is used, the rest comes
 * from 0x15 or is measured; an implausible rate is never used. */
static void
test_hypervisor_partial(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	l.hypervisor = true;
	l.hv_max = 0x40000010;
	l.hv_tsc_khz = 3000000;
	l.hv_apic_khz = 0;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_HYPERVISOR);
	assert_int_equal(r.apic_source, CALIB_NONE);

	l.max_basic = 0x16;
	l.l15_den = 2;
	l.l15_num = 250;
	l.l15_crystal_hz = 24000000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_HYPERVISOR);
	assert_int_equal(r.tsc_hz, 3000000000ull);
	assert_int_equal(r.apic_source, CALIB_CPUID_15);
	assert_int_equal(r.apic_hz, 24000000);

	l.hv_tsc_khz = 1; /* 1 kHz: no TSC runs that slowly */
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_CPUID_15);
	assert_int_equal(r.tsc_hz, 3000000000ull);
}

static void
test_leaf_15(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	/* Intel client parts: a 24 MHz crystal. */
	l.max_basic = 0x16;
	l.l15_den = 2;
	l.l15_num = 300;
	l.l15_crystal_hz = 24000000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_CPUID_15);
	assert_int_equal(r.tsc_hz, 3600000000ull);
	assert_int_equal(r.apic_source, CALIB_CPUID_15);
	assert_int_equal(r.apic_hz, 24000000);

	/* A ratio that does not divide evenly rounds down. */
	l.l15_den = 3;
	l.l15_num = 317;
	l.l15_crystal_hz = 25000000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_hz, 2641666666ull);

	/* The largest fields do not overflow. */
	l.l15_den = 1;
	l.l15_num = 4;
	l.l15_crystal_hz = 0xffffffffu;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_hz, 4ull * 0xffffffffu);
}

/* 0x15 without the crystal: the TSC is 0x16's base frequency and the
 * crystal follows from the ratio. */
static void
test_leaf_15_with_16(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	l.max_basic = 0x16;
	l.l15_den = 2;
	l.l15_num = 176;
	l.l16_base_mhz = 2200;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_CPUID_16);
	assert_int_equal(r.tsc_hz, 2200000000ull);
	assert_int_equal(r.apic_source, CALIB_CPUID_16);
	assert_int_equal(r.apic_hz, 25000000);

	/* 0x16 beyond the CPU's last leaf is not read. */
	l.max_basic = 0x15;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);
	assert_int_equal(r.apic_source, CALIB_NONE);
}

static void
test_leaf_15_unusable(void **state)
{
	struct calib_leaves l = bare();
	struct calib_rates r;

	(void)state;
	l.l15_den = 2;
	l.l15_num = 300;
	l.l15_crystal_hz = 24000000;
	l.max_basic = 0x14; /* the CPU has no leaf 0x15 */
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);

	l.max_basic = 0x16;
	l.l15_den = 0; /* "not enumerated" */
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);

	l.l15_den = 2;
	l.l15_num = 0;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);

	/* A ratio that gives a TSC of 1.2 kHz is garbage. */
	l.l15_num = 1;
	l.l15_den = 20000;
	calib_from_leaves(&l, &r);
	assert_int_equal(r.tsc_source, CALIB_NONE);
	assert_int_equal(r.apic_source, CALIB_CPUID_15);
}

/* The reference a * 10^9 / ns, in 128 bits. */
static uint64_t
ref_rate(uint64_t ticks, uint32_t ns)
{
	unsigned __int128 r = (unsigned __int128)ticks * 1000000000 / ns;

	return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

static void
test_rate(void **state)
{
	static const struct {
		uint64_t ticks;
		uint32_t ns;
	} cases[] = {
	    {3, 7},
	    {999847, 999847},
	    {10000000000007ull, 999983},
	    {18446744073709ull, 1000001},
	    {UINT64_MAX / 1000000000, 1},
	    {UINT64_MAX / 1000000000 + 1, 1},
	    {UINT64_MAX, 1},
	    {UINT64_MAX, 0xffffffffu},
	    {UINT64_MAX / 2, 3},
	};
	size_t i;

	(void)state;
	assert_int_equal(calib_rate(1000000, 1000000), 1000000000ull);
	assert_int_equal(calib_rate(62500, 1000000), 62500000);
	assert_int_equal(calib_rate(123, 0), 0);
	assert_int_equal(calib_rate(0, 1000000), 0);
	assert_int_equal(calib_rate(3, 7), 428571428);
	assert_int_equal(calib_rate(UINT64_MAX, 1), UINT64_MAX);
	/* Exact where ticks * 10^9 needs more than 64 bits. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(calib_rate(cases[i].ticks, cases[i].ns),
		                 ref_rate(cases[i].ticks, cases[i].ns));
}

static void
test_agree(void **state)
{
	(void)state;
	assert_true(calib_agree(1000000, 1000000, 0));
	assert_true(calib_agree(1000000, 998000, 2000));
	assert_true(calib_agree(998000, 1000000, 2000));
	assert_false(calib_agree(1000000, 997999, 2000));
	assert_false(calib_agree(997999, 1000000, 2000));
	assert_false(calib_agree(0, 0, 2000));
	assert_false(calib_agree(0, 1, 1000000));
	assert_true(calib_agree(UINT64_MAX, UINT64_MAX - 1, 1));
	assert_false(calib_agree(UINT64_MAX, UINT64_MAX / 2, 2000));
}

/* A fake reference clock: a TSC at tsc_hz and an APIC timer at apic_hz
 * (before a divider of 16); window i is stretched by late[i] ppm, as when
 * the host stops the guest and it notices the window's end late. */
struct fake {
	uint64_t tsc_hz, apic_hz;
	const uint32_t *late;
	unsigned nlate;
	uint32_t tsc_late; /* every window's TSC count only, ppm */
	unsigned calls;
	uint32_t last_us;
};

static void
fake_measure(void *ctx, uint32_t us, struct calib_window *w)
{
	struct fake *f = ctx;
	uint64_t stretch = 1000000;
	uint64_t pit = 1193182ull * us / 1000000; /* the PIT's whole ticks */

	if (f->calls < f->nlate)
		stretch += f->late[f->calls];
	f->calls++;
	f->last_us = us;
	w->ns = (uint32_t)(pit * 1000000000 / 1193182);
	w->tsc = (uint64_t)((unsigned __int128)f->tsc_hz * w->ns *
	                    (stretch + f->calls * f->tsc_late) / 1000000 /
	                    1000000000);
	w->apic = (uint64_t)((unsigned __int128)f->apic_hz / 16 * w->ns *
	                     stretch / 1000000 / 1000000000);
}

/* A measured rate is exact but for the truncation of whole ticks in
 * each window: within 20 ppm here (the APIC's 62.5 MHz after its
 * divider, over 2 ms). */
static void
assert_near(uint64_t got, uint64_t want)
{
	assert_true(calib_agree(got, want, 20));
}

static void
test_measure_steady(void **state)
{
	struct fake f = {.tsc_hz = 1000000000, .apic_hz = 1000000000};
	struct calib_rates r = {0};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r), 2);
	assert_int_equal(f.calls, 2);
	assert_int_equal(f.last_us, CALIB_SHORT_US);
	assert_int_equal(r.tsc_source, CALIB_MEASURED);
	assert_near(r.tsc_hz, 1000000000);
	assert_int_equal(r.apic_source, CALIB_MEASURED);
	assert_near(r.apic_hz, 1000000000);
}

/* One window with a hiccup in it is never used: it disagrees with the
 * windows on either side, so the next pair decides. */
static void
test_measure_hiccup(void **state)
{
	static const uint32_t late[] = {0, 50000, 0, 0};
	struct fake f = {.tsc_hz = 2500000000ull,
	                 .apic_hz = 100000000,
	                 .late = late,
	                 .nlate = 4};
	struct calib_rates r = {0};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r), 4);
	assert_int_equal(r.tsc_source, CALIB_MEASURED);
	assert_near(r.tsc_hz, 2500000000ull);
	assert_near(r.apic_hz, 100000000);
}

/* Small differences (the reference's resolution) still agree, and the
 * rate is that of both windows together. */
static void
test_measure_jitter(void **state)
{
	static const uint32_t late[] = {0, 1500};
	struct fake f = {.tsc_hz = 1000000000,
	                 .apic_hz = 1000000000,
	                 .late = late,
	                 .nlate = 2};
	struct calib_rates r = {0};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r), 2);
	assert_in_range(r.tsc_hz, 1000749000, 1000751000);
}

/* Windows that never agree end in the long window, whatever its noise. */
static void
test_measure_fallback(void **state)
{
	static const uint32_t late[] = {0,     10000, 0,     10000, 0,
	                                10000, 0,     10000, 0};
	struct fake f = {.tsc_hz = 1000000000,
	                 .apic_hz = 1000000000,
	                 .late = late,
	                 .nlate = 9};
	struct calib_rates r = {0};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r),
	                 CALIB_MAX_WINDOWS + 1);
	assert_int_equal(f.calls, CALIB_MAX_WINDOWS + 1);
	assert_int_equal(f.last_us, CALIB_LONG_US);
	assert_int_equal(r.tsc_source, CALIB_MEASURED_LONG);
	assert_near(r.tsc_hz, 1000000000);
	assert_int_equal(r.apic_source, CALIB_MEASURED_LONG);
}

/* A rate the leaves gave is kept, and its count's noise does not stop
 * the windows from agreeing on the other. */
static void
test_measure_known_tsc(void **state)
{
	struct fake f = {
	    .tsc_hz = 1000000000, .apic_hz = 1000000000, .tsc_late = 10000};
	struct calib_rates r = {.tsc_hz = 3000000000ull,
	                        .tsc_source = CALIB_CPUID_15};
	struct calib_rates unknown = {0};

	(void)state;
	/* Every window's TSC count differs from the last by 1%. */
	assert_int_equal(calib_measure(fake_measure, &f, 16, &unknown),
	                 CALIB_MAX_WINDOWS + 1);
	f.calls = 0;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r), 2);
	assert_int_equal(r.tsc_hz, 3000000000ull);
	assert_int_equal(r.tsc_source, CALIB_CPUID_15);
	assert_int_equal(r.apic_source, CALIB_MEASURED);
	assert_near(r.apic_hz, 1000000000);
}

static void
test_measure_nothing_unknown(void **state)
{
	struct fake f = {.tsc_hz = 1, .apic_hz = 1};
	struct calib_rates r = {.tsc_hz = 3000000000ull,
	                        .tsc_source = CALIB_HYPERVISOR,
	                        .apic_hz = 1000000000,
	                        .apic_source = CALIB_HYPERVISOR};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r), 0);
	assert_int_equal(f.calls, 0);
	assert_int_equal(r.tsc_hz, 3000000000ull);
}

/* A timer that never counts cannot agree with itself. */
static void
test_measure_dead_apic(void **state)
{
	struct fake f = {.tsc_hz = 1000000000, .apic_hz = 0};
	struct calib_rates r = {0};

	(void)state;
	assert_int_equal(calib_measure(fake_measure, &f, 16, &r),
	                 CALIB_MAX_WINDOWS + 1);
	assert_int_equal(r.apic_hz, 0);
	assert_near(r.tsc_hz, 1000000000);
}

static void
test_source_names(void **state)
{
	(void)state;
	assert_string_equal(calib_source_name(CALIB_MEASURED),
	                    "two PIT windows that agreed");
	assert_string_equal(calib_source_name((enum calib_source)99), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_leaves),
	    cmocka_unit_test(test_hypervisor_leaf),
	    cmocka_unit_test(test_hypervisor_leaf_unlisted),
	    cmocka_unit_test(test_hypervisor_partial),
	    cmocka_unit_test(test_leaf_15),
	    cmocka_unit_test(test_leaf_15_with_16),
	    cmocka_unit_test(test_leaf_15_unusable),
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_agree),
	    cmocka_unit_test(test_measure_steady),
	    cmocka_unit_test(test_measure_hiccup),
	    cmocka_unit_test(test_measure_jitter),
	    cmocka_unit_test(test_measure_fallback),
	    cmocka_unit_test(test_measure_known_tsc),
	    cmocka_unit_test(test_measure_nothing_unknown),
	    cmocka_unit_test(test_measure_dead_apic),
	    cmocka_unit_test(test_source_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
