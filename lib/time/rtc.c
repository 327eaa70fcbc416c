/*
 * CMOS RTC decoding: each register is BCD or binary as status register B
 * says; the hour register carries the PM flag in bit 7 in 12-hour mode,
 * where 12 AM is hour 0 and 12 PM is hour 12.
 */
#include "time/rtc.h"
#include "fmt/fmt.h"

/* A register's value, or -1 when a BCD digit is not a decimal digit. */
static int
field(uint8_t v, bool binary)
{
	if (binary)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (v >> 4) * 10 + (v & 0x0f);
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
month_days(int64_t year, unsigned month)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30,
	                                 31, 31, 30, 31, 30, 31};

	return month == 2 && leap(year) ? 29 : days[month - 1];
}

/*
 * Counts in eras of 400 years (146097 days each), starting the year in
 * March so the leap day is the last day of its year.
 */
int64_t
rtc_days_from_civil(int64_t year, unsigned month, unsigned day)
{
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                         /* 0..399 */
	int64_t mp = month > 2 ? month - 3 : month + 9;      /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + day - 1;          /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */

	return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970 */
}

void
rtc_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	int64_t z = days + 719468; /* days since 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097; /* 0..146096 */
	int64_t yoe =
	    (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);     /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153; /* March = 0 */

	*day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

void
rtc_format_utc(int64_t unix_seconds, char *buf, size_t size)
{
	int64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
	int64_t year;
	unsigned month, day;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	rtc_civil_from_days(days, &year, &month, &day);
	fmt_snprintf(buf, size, "%04ld-%02u-%02u %02u:%02u:%02u UTC",
	             (long)year, month, day, (unsigned)(secs / 3600),
	             (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

bool
rtc_decode(const struct rtc_regs *r, int64_t *unix_seconds)
{
	bool binary = r->status_b & RTC_B_BINARY;
	int sec = field(r->second, binary);
	int min = field(r->minute, binary);
	int hour = field(r->hour & (uint8_t)~RTC_PM, binary);
	int day = field(r->day, binary);
	int month = field(r->month, binary);
	int year = field(r->year, binary);
	int century = r->has_century ? field(r->century, binary) : 20;
	int64_t full_year;

	if (sec < 0 || sec > 59 || min < 0 || min > 59 || year < 0 ||
	    year > 99 || century < 0 || century > 99 || month < 1 || month > 12)
		return false;
	if (r->status_b & RTC_B_24HOUR) {
		if (hour < 0 || hour > 23 || (r->hour & RTC_PM))
			return false;
	} else {
		if (hour < 1 || hour > 12)
			return false;
		hour %= 12; /* 12 AM is midnight */
		if (r->hour & RTC_PM)
			hour += 12;
	}
	full_year = (int64_t)century * 100 + year;
	if (day < 1 || (unsigned)day > month_days(full_year, (unsigned)month))
		return false;
	*unix_seconds =
	    rtc_days_from_civil(full_year, (unsigned)month, (unsigned)day) *
	        86400 +
	    hour * 3600 + min * 60 + sec;
	return true;
}
