/*
 * Host tests for lib/time/rtc: readings in BCD and binary, 12- and
 * 24-hour formats, with and without a century register, compared with
 * the host C library's timegm; and readings that are not times.
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "time/rtc.h"

static uint8_t
bcd(int v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

static int64_t
reference(int year, int month, int day, int hour, int min, int sec)
{
	struct tm tm = {
	    .tm_year = year - 1900,
	    .tm_mon = month - 1,
	    .tm_mday = day,
	    .tm_hour = hour,
	    .tm_min = min,
	    .tm_sec = sec,
	};

	return (int64_t)timegm(&tm);
}

/* The registers for a time, in the format status_b names. */
static struct rtc_regs
encode(int year, int month, int day, int hour, int min, int sec,
       uint8_t status_b, bool has_century)
{
	bool binary = status_b & RTC_B_BINARY;
	uint8_t (*f)(int) = binary ? NULL : bcd;
	struct rtc_regs r = {.status_b = status_b, .has_century = has_century};
	int h = hour;
	uint8_t pm = 0;

	if (!(status_b & RTC_B_24HOUR)) {
		pm = hour >= 12 ? RTC_PM : 0;
		h = hour % 12 == 0 ? 12 : hour % 12;
	}
#define ENC(v) (f ? f(v) : (uint8_t)(v))
	r.second = ENC(sec);
	r.minute = ENC(min);
	r.hour = ENC(h) | pm;
	r.day = ENC(day);
	r.month = ENC(month);
	r.year = ENC(year % 100);
	r.century = ENC(year / 100);
#undef ENC
	return r;
}

static const struct {
	int y, mo, d, h, mi, s;
} times[] = {
    {2000, 1, 1, 0, 0, 0},    {2024, 2, 29, 12, 0, 0},
    {2026, 12, 1, 4, 38, 17}, {2099, 12, 31, 23, 59, 59},
    {2038, 1, 19, 3, 14, 8},  {2001, 3, 1, 11, 59, 59},
    {2010, 7, 15, 12, 30, 1}, {2000, 2, 29, 0, 0, 1},
    {2063, 4, 5, 13, 0, 0},   {2100, 2, 28, 23, 0, 0},
};

static void
check_all(uint8_t status_b, bool has_century)
{
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct rtc_regs r;
		int64_t got = -1;

		/* Without a century register 2100 reads as 2000. */
		if (!has_century && times[i].y >= 2100)
			continue;
		r = encode(times[i].y, times[i].mo, times[i].d, times[i].h,
		           times[i].mi, times[i].s, status_b, has_century);
		assert_true(rtc_decode(&r, &got));
		assert_int_equal(got, reference(times[i].y, times[i].mo,
		                                times[i].d, times[i].h,
		                                times[i].mi, times[i].s));
	}
}

static void
test_bcd_24h(void **state)
{
	(void)state;
	check_all(RTC_B_24HOUR, false);
	check_all(RTC_B_24HOUR, true);
}

static void
test_bcd_12h(void **state)
{
	(void)state;
	check_all(0, false);
	check_all(0, true);
}

static void
test_binary_24h(void **state)
{
	(void)state;
	check_all(RTC_B_BINARY | RTC_B_24HOUR, false);
	check_all(RTC_B_BINARY | RTC_B_24HOUR, true);
}

static void
test_binary_12h(void **state)
{
	(void)state;
	check_all(RTC_B_BINARY, false);
	check_all(RTC_B_BINARY, true);
}

/* 12 AM is midnight, 12 PM noon, 1 PM 13:00. */
static void
test_twelve_hour_edges(void **state)
{
	struct rtc_regs r = encode(2025, 6, 1, 0, 0, 0, 0, false);
	int64_t t, midnight = reference(2025, 6, 1, 0, 0, 0);

	(void)state;
	r.hour = 0x12;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, midnight);
	r.hour = 0x12 | RTC_PM;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, midnight + 12 * 3600);
	r.hour = 0x01 | RTC_PM;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, midnight + 13 * 3600);
	r.hour = 0x11;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, midnight + 11 * 3600);
}

/* A century register is read in the clock's own format. */
static void
test_century(void **state)
{
	struct rtc_regs r = encode(2024, 1, 1, 0, 0, 0, RTC_B_24HOUR, true);
	int64_t t;

	(void)state;
	r.century = 0x19;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, reference(1924, 1, 1, 0, 0, 0));
	r.century = 0x20;
	r.has_century = false;
	r.year = 0x70;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t, reference(2070, 1, 1, 0, 0, 0));
}

static void
refused(struct rtc_regs r)
{
	int64_t t = 12345;

	assert_false(rtc_decode(&r, &t));
	assert_int_equal(t, 12345); /* untouched */
}

static void
test_garbage(void **state)
{
	const struct rtc_regs good =
	    encode(2026, 3, 15, 10, 20, 30, RTC_B_24HOUR, true);
	struct rtc_regs r;
	int64_t t;
	unsigned v;

	(void)state;
	assert_true(rtc_decode(&good, &t));
	/* Not BCD: a digit above 9 in any field. */
	r = good, r.second = 0x5a, refused(r);
	r = good, r.minute = 0xa0, refused(r);
	r = good, r.hour = 0x1f, refused(r);
	r = good, r.day = 0x0b, refused(r);
	r = good, r.month = 0x0c, refused(r);
	r = good, r.year = 0xff, refused(r);
	r = good, r.century = 0x2e, refused(r);
	/* Out of range. */
	r = good, r.second = 0x60, refused(r);
	r = good, r.minute = 0x60, refused(r);
	r = good, r.hour = 0x24, refused(r);
	r = good, r.hour = 0x10 | RTC_PM, refused(r); /* PM in 24-hour mode */
	r = good, r.day = 0x00, refused(r);
	r = good, r.day = 0x32, refused(r);
	r = good, r.month = 0x00, refused(r);
	r = good, r.month = 0x13, refused(r);
	/* Days the month does not have. */
	r = good, r.month = 0x04, r.day = 0x31, refused(r);
	r = good, r.month = 0x02, r.day = 0x29, refused(r); /* 2026 */
	r = good, r.year = 0x00, r.century = 0x19, r.month = 0x02, r.day = 0x29,
	refused(r); /* 1900 */
	/* 12-hour mode: hour 0 and 13 do not exist. */
	r = encode(2026, 3, 15, 10, 0, 0, 0, false);
	r.hour = 0x00, refused(r);
	r.hour = 0x13, refused(r);
	r.hour = RTC_PM, refused(r);
	/* Binary: values past the range. */
	r = encode(2026, 3, 15, 10, 0, 0, RTC_B_BINARY | RTC_B_24HOUR, false);
	r.second = 60, refused(r);
	r.second = 0, r.year = 100, refused(r);
	/* Every byte in every field: never a crash, and any answer is in
	 * range. */
	for (v = 0; v < 256; v++) {
		uint8_t *fields[] = {&r.second, &r.minute, &r.hour,
		                     &r.day,    &r.month,  &r.year};
		size_t i;

		for (i = 0; i < 6; i++) {
			r = good;
			*fields[i] = (uint8_t)v;
			if (rtc_decode(&r, &t))
				assert_true(
				    t >= reference(2000, 1, 1, 0, 0, 0) &&
				    t < reference(2100, 1, 1, 0, 0, 0));
		}
	}
}

/* Every day from 1600 to 2400 comes back as the date it was made from,
 * and a time formats as the reader expects. */
static void
test_civil_from_days(void **state)
{
	int64_t d, year;
	unsigned month, day;
	char buf[32];

	(void)state;
	for (d = rtc_days_from_civil(1600, 1, 1);
	     d <= rtc_days_from_civil(2400, 12, 31); d++) {
		rtc_civil_from_days(d, &year, &month, &day);
		assert_int_equal(rtc_days_from_civil(year, month, day), d);
		assert_true(month >= 1 && month <= 12 && day >= 1 && day <= 31);
	}
	rtc_civil_from_days(0, &year, &month, &day);
	assert_true(year == 1970 && month == 1 && day == 1);
	rtc_format_utc(951782400 + 3723, buf, sizeof(buf)); /* 2000-02-29 */
	assert_string_equal(buf, "2000-02-29 01:02:03 UTC");
	rtc_format_utc(-1, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31 23:59:59 UTC");
}

static void
test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(rtc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rtc_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(rtc_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(rtc_days_from_civil(1600, 1, 1) * 86400,
	                 reference(1600, 1, 1, 0, 0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bcd_24h),
	    cmocka_unit_test(test_bcd_12h),
	    cmocka_unit_test(test_binary_24h),
	    cmocka_unit_test(test_binary_12h),
	    cmocka_unit_test(test_twelve_hour_edges),
	    cmocka_unit_test(test_century),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_days_from_civil),
	    cmocka_unit_test(test_civil_from_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
