/*
 * The CMOS real-time clock, through the index/data port pair 0x70/0x71.
 * The clock updates its registers once a second; while status register
 * A's update-in-progress bit is set they may be half-written, and an
 * update can begin between two reads, so a reading counts only when two
 * full readings in a row are equal.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/rtc.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
/* Bit 7 of the index port masks NMIs; it stays clear. */
#define REG_SECOND   0x00
#define REG_MINUTE   0x02
#define REG_HOUR     0x04
#define REG_DAY      0x07
#define REG_MONTH    0x08
#define REG_YEAR     0x09
#define REG_STATUS_A 0x0a
#define REG_STATUS_B 0x0b
#define STATUS_A_UIP 0x80

/* An update takes under 2 ms; a few hundred thousand port reads is far
 * more than that, and bounds a clock that is stuck. */
#define UIP_SPINS   1000000
#define READ_ROUNDS 8

static uint8_t
cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static bool
wait_not_updating(void)
{
	int i;

	for (i = 0; i < UIP_SPINS; i++)
		if (!(cmos_read(REG_STATUS_A) & STATUS_A_UIP))
			return true;
	return false;
}

static void
read_once(uint8_t century_reg, struct rtc_regs *r)
{
	r->second = cmos_read(REG_SECOND);
	r->minute = cmos_read(REG_MINUTE);
	r->hour = cmos_read(REG_HOUR);
	r->day = cmos_read(REG_DAY);
	r->month = cmos_read(REG_MONTH);
	r->year = cmos_read(REG_YEAR);
	r->has_century = century_reg != RTC_NO_CENTURY;
	r->century = r->has_century ? cmos_read(century_reg) : 0;
	r->status_b = cmos_read(REG_STATUS_B);
}

static bool
same(const struct rtc_regs *a, const struct rtc_regs *b)
{
	return a->second == b->second && a->minute == b->minute &&
	       a->hour == b->hour && a->day == b->day && a->month == b->month &&
	       a->year == b->year && a->century == b->century &&
	       a->status_b == b->status_b;
}

bool
rtc_read(uint8_t century_reg, struct rtc_regs *out)
{
	struct rtc_regs prev, cur;
	int round;

	if (!wait_not_updating())
		return false;
	read_once(century_reg, &prev);
	for (round = 0; round < READ_ROUNDS; round++) {
		if (!wait_not_updating())
			return false;
		read_once(century_reg, &cur);
		if (same(&prev, &cur)) {
			*out = cur;
			return true;
		}
		prev = cur;
	}
	return false;
}
