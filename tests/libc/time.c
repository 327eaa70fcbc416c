/*
 * time: the clocks (MONOTONIC never goes back, REALTIME is a plausible
 * date, nanosleep really sleeps) checked here and reported as verdicts;
 * then the calendar functions on fixed timestamps — gmtime, timegm,
 * strftime, and mktime/localtime under fixed POSIX TZ rules (no zone
 * files read) — whose results are printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define NS 1000000000LL

static long long
ns_of(const struct timespec *t)
{
	return t->tv_sec * NS + t->tv_nsec;
}

static void
clocks(void)
{
	struct timespec a, b, r, req = {0, 10 * 1000 * 1000};
	int i, back = 0, err = 0;
	long long slept;
	time_t now;

	err |= clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < 2000; i++) {
		err |= clock_gettime(CLOCK_MONOTONIC, &b);
		if (ns_of(&b) < ns_of(&a) || b.tv_nsec < 0 || b.tv_nsec >= NS)
			back++;
		a = b;
	}
	CHECK(err == 0, "clock_gettime(MONOTONIC) failed");
	CHECK(back == 0, "MONOTONIC went back %d times", back);
	printf("time: monotonic %s\n", back || err ? "BROKEN" : "ok");

	err = clock_gettime(CLOCK_REALTIME, &r);
	now = time(NULL);
	/* 2020-01-01 and 2100-01-01, UTC. */
	CHECK(err == 0 && r.tv_sec > 1577836800 && r.tv_sec < 4102444800LL,
	      "REALTIME says %lld", (long long)r.tv_sec);
	CHECK(now >= r.tv_sec && now - r.tv_sec < 5, "time() disagrees");
	printf("time: realtime plausible\n");

	clock_gettime(CLOCK_MONOTONIC, &a);
	err = nanosleep(&req, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	slept = ns_of(&b) - ns_of(&a);
	CHECK(err == 0, "nanosleep failed");
	CHECK(slept >= 10 * 1000 * 1000, "nanosleep(10 ms) took %lld ns",
	      slept);
	printf("time: nanosleep of 10 ms %s\n",
	       slept >= 10 * 1000 * 1000 ? "ok" : "SHORT");

	err = clock_getres(CLOCK_MONOTONIC, &r);
	CHECK(err == 0 && ns_of(&r) > 0 && ns_of(&r) <= 10 * 1000 * 1000,
	      "clock_getres(MONOTONIC)");
	printf("time: resolution ok\n");
}

static void
show_tm(const char *what, const struct tm *tm)
{
	printf("%s %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d isdst %d\n",
	       what, tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
	       tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_wday, tm->tm_yday,
	       tm->tm_isdst);
}

static void
calendar(void)
{
	static const long long stamps[] = {
	    0,
	    -1,
	    86399,
	    951782400,
	    951868799,
	    1234567890,
	    2147483647,
	    2147483648LL,
	    4102444799LL,
	    -2208988800LL,
	    253402300799LL,
	    1709164800,
	    1700000000,
	};
	static const char *const formats[] = {
	    "%a %A %b %B %d %e %j %U %W %V %G %g %u %w",
	    "%c | %x | %X | %D | %F | %T | %R | %r",
	    "%H %I %M %S %p %y %Y %C %m %n%t%% %z %Z %s",
	};
	size_t i, f;
	char out[200];

	for (i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		time_t t = (time_t)stamps[i];
		struct tm tm, *p = gmtime_r(&t, &tm);

		CHECK(p == &tm, "gmtime_r(%lld)", stamps[i]);
		printf("%lld:\n", stamps[i]);
		show_tm("  gmtime", &tm);
		for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
			size_t n = strftime(out, sizeof(out), formats[f], &tm);

			printf("  strftime %zu '%s'\n", n, out);
		}
		CHECK(timegm(&tm) == t, "timegm(gmtime(%lld))", stamps[i]);
	}
	CHECK(strftime(out, 5, "%Y-%m-%d", gmtime(&(time_t){0})) == 0,
	      "strftime into too small a buffer");
	printf("asctime %s", asctime(gmtime(&(time_t){1234567890})));
}

/* mktime and localtime under POSIX TZ strings: no zone file is read. */
static void
zones(void)
{
	static const char *const tzs[] = {"UTC0", "EST5EDT,M3.2.0,M11.1.0",
	                                  "CET-1CEST,M3.5.0,M10.5.0/3",
	                                  "<+0530>-5:30"};
	static const int dates[][6] = {
	    {2024, 1, 15, 12, 0, 0},  {2024, 3, 10, 2, 30, 0},
	    {2024, 7, 4, 23, 59, 59}, {2024, 11, 3, 1, 30, 0},
	    {2000, 2, 29, 0, 0, 0},   {2024, 1, 31, 25, 61, 70},
	};
	size_t z, d;
	char out[64];

	for (z = 0; z < sizeof(tzs) / sizeof(tzs[0]); z++) {
		setenv("TZ", tzs[z], 1);
		tzset();
		printf("TZ=%s\n", tzs[z]);
		for (d = 0; d < sizeof(dates) / sizeof(dates[0]); d++) {
			struct tm tm = {0}, back;
			time_t t;

			tm.tm_year = dates[d][0] - 1900;
			tm.tm_mon = dates[d][1] - 1;
			tm.tm_mday = dates[d][2];
			tm.tm_hour = dates[d][3];
			tm.tm_min = dates[d][4];
			tm.tm_sec = dates[d][5];
			tm.tm_isdst = -1;
			t = mktime(&tm);
			localtime_r(&t, &back);
			strftime(out, sizeof(out), "%F %T %z %Z", &back);
			printf("  mktime %lld -> %s\n", (long long)t, out);
			show_tm("  normalized", &tm);
		}
	}
	printf("difftime %.1f\n", difftime(100, 40));
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* Whatever zone the machine has, the calendar runs in UTC. */
	setenv("TZ", "UTC0", 1);
	tzset();
	clocks();
	calendar();
	zones();
	return check_summary("time");
}
