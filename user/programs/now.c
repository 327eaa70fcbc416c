/*
 * now: the time and some entropy, each from the cap that grants it:
 *
 *   time:    2025-06-01 12:34:56 UTC (rtc)    WallClock "wallclock", with
 *                                             its provenance
 *   uptime:  12.345678 s                      SystemInfo "sysinfo", else
 *                                             Timer "timer"
 *   random:  16 bytes in hex                  EntropySource "entropy"
 *
 * The date is lib/time's rtc_format_utc.  A missing cap is one line
 * ("now: no wallclock cap") and the rest still prints.  Output goes to
 * "stdio", else to the Console.
 *
 * Exit codes: 0 something was shown, 2 no stdio and no console, 3 none
 * of the three caps (only the "no ... cap" lines), 4 a write failed.
 */
#include "capos.h"
#include "fmt/fmt.h"
#include "time/rtc.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define RANDOM_BYTES 16
#define NS_PER_SEC   1000000000ull

static capos_capid_t stdio, console;
static bool have_stdio, write_failed;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	static struct capos_call c;
	char line[160];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (!have_stdio) {
		write_failed |= capos_console_write(console, line, n) != 0;
		return;
	}
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), line,
	                                  (uint32_t)n);
	write_failed |= capos_StdIO_write_send(&c, stdio) != 0;
}

static const char *
provenance_name(int p)
{
	switch (p) {
	case capos_ClockProvenance_unset:
		return "unset: counting from 1970 at boot";
	case capos_ClockProvenance_rtc:
		return "rtc";
	case capos_ClockProvenance_setByOperator:
		return "set by an operator";
	}
	return "unknown";
}

/* One line of wall-clock time; true when it was shown. */
static bool
show_time(void)
{
	capos_capid_t wallclock;
	char date[32];
	int64_t ns;
	int prov, err;

	if (capos_WallClock_find("wallclock", &wallclock)) {
		say("now: no wallclock cap\n");
		return false;
	}
	err = capos_wallclock_now(wallclock, &ns, &prov);
	if (err) {
		say("now: wallclock: %s\n", capos_strerror(err));
		return false;
	}
	/* Whole seconds, rounded down also before 1970. */
	rtc_format_utc(ns / (int64_t)NS_PER_SEC -
	                   (ns % (int64_t)NS_PER_SEC < 0),
	               date, sizeof(date));
	say("time:    %s (%s)\n", date, provenance_name(prov));
	return true;
}

/* Nanoseconds since boot from SystemInfo.uptime, else Timer.now. */
static bool
show_uptime(void)
{
	static struct capos_call c;
	capos_capid_t cap;
	uint64_t ns;
	int err;

	if (capos_SystemInfo_find("sysinfo", &cap) == 0) {
		capos_SystemInfo_uptime_begin(&c);
		err = capos_SystemInfo_uptime_send(&c, cap);
		ns = err ? 0
		         : capos_SystemInfo_uptime_Results_get_ns(
		               capos_SystemInfo_uptime_results(&c));
	} else if (capos_Timer_find("timer", &cap) == 0) {
		err = capos_timer_now(cap, &ns);
	} else {
		say("now: no sysinfo or timer cap\n");
		return false;
	}
	if (err) {
		say("now: uptime: %s\n", capos_strerror(err));
		return false;
	}
	say("uptime:  %llu.%06llu s\n", (unsigned long long)(ns / NS_PER_SEC),
	    (unsigned long long)(ns % NS_PER_SEC / 1000));
	return true;
}

static bool
show_random(void)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t bytes[RANDOM_BYTES];
	char text[2 * RANDOM_BYTES + 1];
	capos_capid_t entropy;
	unsigned i;
	int err;

	if (capos_EntropySource_find("entropy", &entropy)) {
		say("now: no entropy cap\n");
		return false;
	}
	err = capos_entropy_get(entropy, bytes, sizeof(bytes));
	if (err) {
		say("now: entropy: %s\n", capos_strerror(err));
		return false;
	}
	for (i = 0; i < RANDOM_BYTES; i++) {
		text[2 * i] = hex[bytes[i] >> 4];
		text[2 * i + 1] = hex[bytes[i] & 15];
	}
	text[2 * RANDOM_BYTES] = 0;
	say("random:  %s\n", text);
	return true;
}

int
main(void)
{
	bool shown;

	have_stdio = capos_StdIO_find("stdio", &stdio) == 0;
	if (!have_stdio && capos_Console_find("console", &console))
		return 2;
	/* Each runs whatever the others found. */
	shown = show_time();
	shown = show_uptime() || shown;
	shown = show_random() || shown;
	if (write_failed)
		return 4;
	return shown ? 0 : 3;
}
