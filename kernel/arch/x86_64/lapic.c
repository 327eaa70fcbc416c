/*
 * Local APIC: enabling it, the timer, and end-of-interrupt.  The TSC and
 * the timer's rates come from the CPUID leaves where the CPU or the
 * hypervisor gives them, and otherwise are measured together against PIT
 * one-shots; lib/time/calibrate decides which (docs/boot.md).
 */
#include "core/kernel.h"
#include "time/calibrate.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"

#define APIC_BASE_ENABLE    (1u << 11)
#define APIC_BASE_ADDR_MASK 0xffffffffff000ull

#define REG_ID         0x020
#define REG_EOI        0x0b0
#define REG_SVR        0x0f0
#define REG_ICR_LO     0x300
#define REG_ICR_HI     0x310
#define REG_LVT_TIMER  0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR  0x390
#define REG_TIMER_DIV  0x3e0

#define SVR_ENABLE   (1u << 8)
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define TIMER_DIV_16 0x3
#define TIMER_DIV    16 /* what TIMER_DIV_16 divides by */

/* Interrupt command register (low word) fields. */
#define ICR_FIXED        (0u << 8)
#define ICR_INIT         (5u << 8)
#define ICR_STARTUP      (6u << 8)
#define ICR_PENDING      (1u << 12) /* delivery status: send pending */
#define ICR_ASSERT       (1u << 14)
#define ICR_DEST_SHIFT   24       /* in the high word */
#define ICR_PENDING_SPIN 1000000u /* register reads, each ~1 us or less */

#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_HV_BASE          0x40000000u

static volatile uint32_t *lapic;
static uint64_t apic_timer_hz; /* after the divider */
static struct calib_rates rates;
static unsigned calib_windows;

static inline uint32_t
rd(uint32_t reg)
{
	return lapic[reg / 4];
}

static inline void
wr(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void
pic_disable(void)
{
	/* Remap to 0x20/0x28 first so a spurious IRQ cannot look like an
	 * exception, then mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void
read_leaves(struct calib_leaves *l)
{
	uint32_t a, b, c, d;

	*l = (struct calib_leaves){0};
	cpuid(0, 0, &l->max_basic, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	l->hypervisor = c & CPUID_1_ECX_HYPERVISOR;
	if (l->hypervisor) {
		cpuid(CPUID_HV_BASE, 0, &l->hv_max, &b, &c, &d);
		if (l->hv_max >= CALIB_HV_TIMING_LEAF &&
		    l->hv_max < CPUID_HV_BASE + 0x100)
			cpuid(CALIB_HV_TIMING_LEAF, 0, &l->hv_tsc_khz,
			      &l->hv_apic_khz, &c, &d);
	}
	if (l->max_basic >= 0x15)
		cpuid(0x15, 0, &l->l15_den, &l->l15_num, &l->l15_crystal_hz,
		      &d);
	if (l->max_basic >= 0x16)
		cpuid(0x16, 0, &l->l16_base_mhz, &b, &c, &d);
}

/* One window: the TSC and the APIC timer (divided by TIMER_DIV) counted
 * while a PIT one-shot of us microseconds runs. */
static void
measure_window(void *ctx, uint32_t us, struct calib_window *w)
{
	uint64_t tsc0, tsc1;
	uint32_t left;

	(void)ctx;
	w->ns = pit_oneshot_start(us);
	wr(REG_TIMER_INIT, 0xffffffff);
	tsc0 = rdtsc();
	while (!pit_oneshot_done())
		cpu_relax();
	tsc1 = rdtsc();
	left = rd(REG_TIMER_CUR);
	wr(REG_TIMER_INIT, 0);
	w->tsc = tsc1 - tsc0;
	w->apic = 0xffffffffu - left;
}

void
lapic_enable_cpu(void)
{
	/* Every CPU's registers are at the same physical address (the boot
	 * CPU's choice, which the others keep from reset). */
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
	wr(REG_TIMER_DIV, TIMER_DIV_16);
	wr(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

void
lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	struct calib_leaves leaves;

	if (!cpu_features.apic)
		panic("this CPU has no local APIC; capOS needs one for its "
		      "timer");
	lapic = phys_to_virt(base & APIC_BASE_ADDR_MASK);
	lapic_enable_cpu();
	read_leaves(&leaves);
	calib_from_leaves(&leaves, &rates);
	calib_windows = calib_measure(measure_window, NULL, TIMER_DIV, &rates);
	apic_timer_hz = rates.apic_hz / TIMER_DIV;
	if (apic_timer_hz == 0 || rates.tsc_hz == 0)
		panic("timer calibration failed (APIC %lu Hz, TSC %lu Hz)",
		      (unsigned long)apic_timer_hz,
		      (unsigned long)rates.tsc_hz);
}

void
lapic_print_calibration(void)
{
	kprintf(
	    "timer: TSC %lu Hz from %s, APIC timer %lu Hz from %s "
	    "(%u PIT window%s)\n",
	    (unsigned long)rates.tsc_hz, calib_source_name(rates.tsc_source),
	    (unsigned long)rates.apic_hz, calib_source_name(rates.apic_source),
	    calib_windows, calib_windows == 1 ? "" : "s");
	if (rates.tsc_source == CALIB_MEASURED_LONG ||
	    rates.apic_source == CALIB_MEASURED_LONG)
		kprintf("timer: %u short PIT windows never agreed within "
		        "%u ppm; used one %u ms window\n",
		        CALIB_MAX_WINDOWS, CALIB_AGREE_PPM,
		        CALIB_LONG_US / 1000);
}

uint64_t
lapic_measured_tsc_hz(void)
{
	return rates.tsc_hz;
}

void
lapic_timer_start(uint32_t hz)
{
	uint64_t count = apic_timer_hz / hz;

	if (count == 0)
		count = 1;
	wr(REG_TIMER_DIV, TIMER_DIV_16);
	wr(REG_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	wr(REG_TIMER_INIT, (uint32_t)MIN(count, 0xffffffffull));
}

void
lapic_eoi(void)
{
	wr(REG_EOI, 0);
}

uint32_t
lapic_id(void)
{
	return rd(REG_ID) >> 24;
}

/* The command register takes one command at a time: wait until the last
 * one left, bounded so a wedged local APIC is an error, not a hang. */
static bool
icr_idle(void)
{
	uint32_t i;

	for (i = 0; i < ICR_PENDING_SPIN; i++) {
		if (!(rd(REG_ICR_LO) & ICR_PENDING))
			return true;
		cpu_relax();
	}
	return false;
}

static bool
send(uint32_t apic_id, uint32_t cmd)
{
	if (!icr_idle())
		return false;
	wr(REG_ICR_HI, apic_id << ICR_DEST_SHIFT);
	wr(REG_ICR_LO, cmd); /* the write of the low word sends */
	return icr_idle();
}

bool
lapic_send_init(uint32_t apic_id)
{
	return send(apic_id, ICR_INIT | ICR_ASSERT);
}

bool
lapic_send_startup(uint32_t apic_id, uint32_t page)
{
	return send(apic_id, ICR_STARTUP | ICR_ASSERT | (page & 0xff));
}

bool
lapic_send_ipi(uint32_t apic_id, uint32_t vector)
{
	return send(apic_id, ICR_FIXED | ICR_ASSERT | (vector & 0xff));
}
