/*
 * Decoding the CMOS real-time clock's registers into UTC seconds since
 * the Unix epoch.  Pure code: the kernel reads the registers
 * (kernel/arch/x86_64/rtc.c), this turns them into a time, and host tests
 * feed it BCD, binary, 12- and 24-hour readings and garbage.
 */
#ifndef TIME_RTC_H
#define TIME_RTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status register B's format bits. */
#define RTC_B_24HOUR 0x02 /* set: hours 0-23; clear: 1-12 with RTC_PM */
#define RTC_B_BINARY 0x04 /* set: binary values; clear: BCD */
#define RTC_PM       0x80 /* in the hour register, 12-hour mode */

/* The registers as read, undecoded. */
struct rtc_regs {
	uint8_t second, minute, hour, day, month, year;
	uint8_t century;  /* meaningful only when has_century */
	bool has_century; /* the FADT names a century register */
	uint8_t status_b;
};

/*
 * The time the registers say, in seconds since 1970-01-01 00:00 UTC
 * (the RTC is taken to hold UTC).  Without a century register the year
 * is 20xx.  Returns false for a reading that is not a time: a BCD digit
 * above 9, a field out of its range, a day the month does not have.
 */
bool rtc_decode(const struct rtc_regs *r, int64_t *unix_seconds);

/* Days from 1970-01-01 to year-month-day of the proleptic Gregorian
 * calendar (month 1-12); exposed for the tests. */
int64_t rtc_days_from_civil(int64_t year, unsigned month, unsigned day);

/* The inverse: the date of a day number (0: 1970-01-01). */
void rtc_civil_from_days(int64_t days, int64_t *year, unsigned *month,
                         unsigned *day);

/* "YYYY-MM-DD HH:MM:SS UTC" for a Unix time, NUL-terminated in buf. */
void rtc_format_utc(int64_t unix_seconds, char *buf, size_t size);

#endif
