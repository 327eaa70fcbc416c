/*
 * The boot stage breakdown (bootstage.h).  One line, so a transcript
 * carries the whole breakdown and a script can read it with one pattern.
 */
#include "core/kernel.h"
#include "core/bootstage.h"
#include "arch/x86_64/cpu.h"
#include "fmt/fmt.h"

static const char *const stage_names[BOOT_NSTAGES] = {
    [BOOT_EARLY] = "early",     [BOOT_FRAMES] = "frames",
    [BOOT_PAGING] = "paging",   [BOOT_ACPI] = "acpi",
    [BOOT_CPU] = "cpu",         [BOOT_TIMER] = "timer",
    [BOOT_IOAPIC] = "ioapic",   [BOOT_CLOCK] = "clock",
    [BOOT_SMP] = "smp",         [BOOT_RTC_RANDOM] = "rtc_random",
    [BOOT_MODULES] = "modules", [BOOT_TICK_DEMO] = "tick_demo",
    [BOOT_INIT] = "init",
};

static uint64_t entry;
static uint64_t stage_tsc[BOOT_NSTAGES];

void
boot_stages_init(uint64_t entry_tsc)
{
	entry = entry_tsc;
}

void
boot_stage(enum boot_stage s)
{
	stage_tsc[s] = rdtsc();
}

void
boot_stages_print(void)
{
	char line[512];
	size_t len;
	uint64_t prev = entry;
	int s;

	/* The line fits (13 stages of at most 32 bytes); a longer one
	 * would be cut, not overrun. */
	len = fmt_snprintf(line, sizeof(line), "boot: stages (TSC ticks)");
	for (s = 0; s < BOOT_NSTAGES && len < sizeof(line); s++) {
		if (!stage_tsc[s])
			continue;
		len += fmt_snprintf(line + len, sizeof(line) - len, " %s %lu",
		                    stage_names[s],
		                    (unsigned long)(stage_tsc[s] - prev));
		prev = stage_tsc[s];
	}
	kprintf("%s, total %lu\n", line, (unsigned long)(prev - entry));
}
