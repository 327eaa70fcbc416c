/*
 * The wall clock is one number: the Unix time at which the monotonic
 * clock (core/clock.c) read 0.  Now is that plus clock_ns(), so the wall
 * clock advances exactly as Timer.now does, and setting it moves only
 * the offset.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "core/acpi.h"
#include "core/wallclock.h"
#include "arch/x86_64/rtc.h"

#define NS_PER_S 1000000000ll

static int64_t boot_unix_ns;
static enum wallclock_provenance provenance = WALLCLOCK_UNSET;

void
wallclock_init(void)
{
	const struct acpi_info *acpi = acpi_tables();
	uint8_t century = RTC_NO_CENTURY;
	struct rtc_regs regs;
	int64_t secs;
	uint64_t mono;

	/* The FADT names the century register, if the RTC has one; without
	 * it the year is taken as 20xx. */
	if (acpi && acpi->fadt_error == ACPI_OK)
		century = acpi->fadt.century;
	if (!rtc_read(century, &regs)) {
		kprintf("wallclock: the RTC never held still; time unset\n");
		return;
	}
	mono = clock_ns();
	if (!rtc_decode(&regs, &secs) || secs < 0) {
		kprintf(
		    "wallclock: the RTC holds no valid time (%02x:%02x:%02x "
		    "%02x/%02x/%02x, status B %#x); time unset\n",
		    regs.hour, regs.minute, regs.second, regs.day, regs.month,
		    regs.year, regs.status_b);
		return;
	}
	boot_unix_ns = secs * NS_PER_S - (int64_t)mono;
	provenance = WALLCLOCK_RTC;
	kprintf("wallclock: RTC says %ld s since the epoch (%s, %s, %s)\n",
	        (long)secs, regs.status_b & RTC_B_BINARY ? "binary" : "BCD",
	        regs.status_b & RTC_B_24HOUR ? "24-hour" : "12-hour",
	        century ? "century from the FADT's register"
	                : "no century register: 20xx");
}

int64_t
wallclock_now(enum wallclock_provenance *prov)
{
	*prov = provenance;
	return boot_unix_ns + (int64_t)clock_ns();
}

int64_t
wallclock_boot_time(enum wallclock_provenance *prov)
{
	*prov = provenance;
	return boot_unix_ns;
}

void
wallclock_set(int64_t unix_ns)
{
	boot_unix_ns = unix_ns - (int64_t)clock_ns();
	provenance = WALLCLOCK_SET_BY_OPERATOR;
}
