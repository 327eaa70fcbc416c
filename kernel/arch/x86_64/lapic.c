/*
 * Local APIC: enabling it, the timer, and end-of-interrupt.  The timer and
 * the TSC are calibrated together against one PIT one-shot.
 */
#include "core/kernel.h"
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
#define REG_LVT_TIMER  0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR  0x390
#define REG_TIMER_DIV  0x3e0

#define SVR_ENABLE   (1u << 8)
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define TIMER_DIV_16 0x3

#define CALIBRATE_US 10000 /* 0.1% resolution, 5x less boot delay than 50 ms */

static volatile uint32_t *lapic;
static uint64_t apic_timer_hz;
static uint64_t tsc_hz;

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

void
lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t tsc0, tsc1;
	uint32_t left;

	if (!cpu_features.apic)
		panic("this CPU has no local APIC; capOS needs one for its "
		      "timer");
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = phys_to_virt(base & APIC_BASE_ADDR_MASK);
	wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);

	wr(REG_TIMER_DIV, TIMER_DIV_16);
	wr(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	pit_oneshot_start(CALIBRATE_US);
	wr(REG_TIMER_INIT, 0xffffffff);
	tsc0 = rdtsc();
	while (!pit_oneshot_done())
		cpu_relax();
	tsc1 = rdtsc();
	left = rd(REG_TIMER_CUR);
	wr(REG_TIMER_INIT, 0);

	apic_timer_hz = (uint64_t)(0xffffffffu - left) * 1000000 / CALIBRATE_US;
	tsc_hz = (tsc1 - tsc0) * 1000000 / CALIBRATE_US;
	if (apic_timer_hz == 0 || tsc_hz == 0)
		panic("timer calibration failed (APIC %lu Hz, TSC %lu Hz)",
		      (unsigned long)apic_timer_hz, (unsigned long)tsc_hz);
}

uint64_t
lapic_measured_tsc_hz(void)
{
	return tsc_hz;
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
