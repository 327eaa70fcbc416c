/*
 * sysinfotest: the SystemInfo kernel cap seen from a program (boot suite
 * case user-sysinfo, run=sysinfotest,spin).  Every answer is checked
 * against what the program can know by other means: the ABI version its
 * ring and CapSet headers carry, frames its own page faults take, the
 * Timer's clock, the two processes the kernel started, WallClock.  A run=
 * boot loads no manifest, so hostname and motd answer their defaults
 * (sysinfo_params checks them against a manifest).  A call on the cap
 * naming another interface, or an ordinal SystemInfo does not have, is
 * refused with unimplemented.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

#define PAGE        4096u
#define TOUCH_PAGES 64u

static struct capos_call c;
static capos_capid_t si, timer, wallclock;
/* Demand-zero pages, first touched by test_memory. */
static uint8_t fresh[TOUCH_PAGES * PAGE] __attribute__((aligned(4096)));

static void
test_abi_version(void)
{
	capos_SystemInfo_abiVersion_Results_reader r;
	int err;

	capos_SystemInfo_abiVersion_begin(&c);
	err = capos_SystemInfo_abiVersion_send(&c, si);
	r = capos_SystemInfo_abiVersion_results(&c);
	ktest_check(err == 0 &&
	                capos_SystemInfo_abiVersion_Results_get_major(r) ==
	                    CAPOS_ABI_MAJOR &&
	                capos_SystemInfo_abiVersion_Results_get_minor(r) ==
	                    CAPOS_ABI_MINOR,
	            "abi_version.is_ours", "%s, %u.%u", capos_strerror(err),
	            capos_SystemInfo_abiVersion_Results_get_major(r),
	            capos_SystemInfo_abiVersion_Results_get_minor(r));
	ktest_check(err == 0 &&
	                capos_SystemInfo_abiVersion_Results_get_major(r) ==
	                    capos_ring()->hdr.abi_major &&
	                capos_SystemInfo_abiVersion_Results_get_minor(r) ==
	                    capos_ring()->hdr.abi_minor,
	            "abi_version.matches_ring_header", "ring says %u.%u",
	            capos_ring()->hdr.abi_major, capos_ring()->hdr.abi_minor);
}

static int
memory(uint64_t *total, uint64_t *free)
{
	capos_SystemInfo_memory_Results_reader r;
	int err;

	capos_SystemInfo_memory_begin(&c);
	err = capos_SystemInfo_memory_send(&c, si);
	if (err)
		return err;
	r = capos_SystemInfo_memory_results(&c);
	*total = capos_SystemInfo_memory_Results_get_totalFrames(r);
	*free = capos_SystemInfo_memory_Results_get_freeFrames(r);
	return capnp_msg_error(&c.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

static void
test_memory(void)
{
	uint64_t total = 0, free = 0, total2 = 0, free2 = 0;
	uint32_t i;
	int err;

	err = memory(&total, &free);
	ktest_check(err == 0 && total > 0 && free > 0 && free <= total,
	            "memory.free_within_total", "%s, %lu of %lu free",
	            capos_strerror(err), (unsigned long)free,
	            (unsigned long)total);
	/* Each first touch of a bss page takes a frame. */
	for (i = 0; i < TOUCH_PAGES; i++)
		((volatile uint8_t *)fresh)[i * PAGE] = 1;
	err = memory(&total2, &free2);
	ktest_check(err == 0 && total2 == total && free2 + TOUCH_PAGES <= free,
	            "memory.touched_pages_taken",
	            "%s, %lu free before, %lu after %u pages",
	            capos_strerror(err), (unsigned long)free,
	            (unsigned long)free2, TOUCH_PAGES);
}

static int
uptime(uint64_t *ns)
{
	int err;

	capos_SystemInfo_uptime_begin(&c);
	err = capos_SystemInfo_uptime_send(&c, si);
	if (err)
		return err;
	*ns = capos_SystemInfo_uptime_Results_get_ns(
	    capos_SystemInfo_uptime_results(&c));
	return capnp_msg_error(&c.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

static void
test_uptime(void)
{
	uint64_t t1 = 0, t2 = 0, t3 = 0, t4 = 0;
	int e1, e2, e3, e4;

	e1 = uptime(&t1);
	e2 = capos_timer_now(timer, &t2);
	e3 = uptime(&t3);
	ktest_check(e1 == 0 && e2 == 0 && e3 == 0 && t1 > 0 && t1 <= t2 &&
	                t2 <= t3,
	            "uptime.same_clock_as_timer",
	            "errors %d %d %d, %lu, timer %lu, %lu", e1, e2, e3,
	            (unsigned long)t1, (unsigned long)t2, (unsigned long)t3);
	e4 = capos_timer_sleep(timer, 1000000);
	if (e4 == 0)
		e4 = uptime(&t4);
	ktest_check(e4 == 0 && t4 >= t3 + 1000000, "uptime.increases",
	            "%s, %lu then %lu after a 1 ms sleep", capos_strerror(e4),
	            (unsigned long)t3, (unsigned long)t4);
}

static void
test_process_count(void)
{
	uint32_t n = 0;
	int err;

	capos_SystemInfo_processCount_begin(&c);
	err = capos_SystemInfo_processCount_send(&c, si);
	if (err == 0)
		n = capos_SystemInfo_processCount_Results_get_count(
		    capos_SystemInfo_processCount_results(&c));
	/* This program and spin, started together by the kernel. */
	ktest_check(err == 0 && n == 2, "process_count.two", "%s, count %u",
	            capos_strerror(err), n);
}

/* No manifest: the defaults. */
static void
test_texts(void)
{
	char buf[128];
	int err;

	err = capos_sysinfo_hostname(si, buf, sizeof(buf));
	ktest_check(err == 0 && strcmp(buf, "capos") == 0, "hostname.default",
	            "%s, '%s'", capos_strerror(err), err ? "" : buf);
	err = capos_sysinfo_motd(si, buf, sizeof(buf));
	ktest_check(err == 0 && buf[0] == '\0', "motd.default_empty",
	            "%s, '%s'", capos_strerror(err), err ? "" : buf);
	/* The banner the kernel printed at boot says the same. */
	err = capos_sysinfo_version(si, buf, sizeof(buf));
	ktest_check(err == 0 && strlen(buf) > 15 &&
	                strncmp(buf, "capOS ", 6) == 0 &&
	                strcmp(buf + strlen(buf) - 9, " (x86_64)") == 0,
	            "version.name_release_arch", "%s, '%s'",
	            capos_strerror(err), err ? "" : buf);
	ktest_check(capos_sysinfo_version(si, buf, 6) == CAPOS_E_TRUNCATED &&
	                strcmp(buf, "capOS") == 0,
	            "version.truncated_to_buffer", "'%s'", buf);
}

/* bootTime + uptime is WallClock.now: a wall clock read between two
 * uptime reads lies between their sums. */
static void
test_boot_time(void)
{
	int64_t boot = 0, wall = 0;
	uint64_t t1 = 0, t2 = 0;
	int pb = -1, pw = -1, e1, e2, e3, e4;

	e1 = capos_sysinfo_boot_time(si, &boot, &pb);
	e2 = uptime(&t1);
	e3 = capos_wallclock_now(wallclock, &wall, &pw);
	e4 = uptime(&t2);
	ktest_check(
	    e1 == 0 && e2 == 0 && e3 == 0 && e4 == 0 &&
	        boot + (int64_t)t1 <= wall && wall <= boot + (int64_t)t2,
	    "boot_time.plus_uptime_is_wallclock",
	    "errors %d %d %d %d; boot %ld + [%lu, %lu], wall %ld", e1, e2, e3,
	    e4, (long)boot, (unsigned long)t1, (unsigned long)t2, (long)wall);
	ktest_check(pb == capos_ClockProvenance_rtc && pw == pb,
	            "boot_time.provenance_rtc", "boot %d, wall %d", pb, pw);
}

static void
test_refusals(void)
{
	capos_capid_t other;

	capos_call_begin(&c);
	ktest_check_exception(capos_call_send(&c, si, capos_Timer_TYPE_ID,
	                                      capos_Timer_METHOD_now),
	                      capos_ExceptionType_unimplemented,
	                      "other_interface.unimplemented");
	capos_call_begin(&c);
	ktest_check_exception(capos_call_send(&c, si, 0, 0),
	                      capos_ExceptionType_unimplemented,
	                      "interface_0.unimplemented");
	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, si, capos_SystemInfo_TYPE_ID, 8),
	    capos_ExceptionType_unimplemented, "unknown_ordinal.unimplemented");
	ktest_check(capos_capset_find("sysinfo", capos_Timer_TYPE_ID, &other) ==
	                CAPOS_E_NOT_SUPPORTED,
	            "capset.other_interface_refused", "found as a Timer");
}

int
main(void)
{
	ktest_prefix("sysinfo.");
	if (capos_SystemInfo_find("sysinfo", &si) ||
	    capos_Timer_find("timer", &timer) ||
	    capos_WallClock_find("wallclock", &wallclock)) {
		printf("KTEST not ok sysinfo.capset: sysinfo, timer or "
		       "wallclock missing\n");
		return 1;
	}
	test_abi_version();
	test_memory();
	test_uptime();
	test_process_count();
	test_texts();
	test_boot_time();
	test_refusals();
	printf("sysinfo test: %d failures\n", ktest_failures());
	return ktest_failures();
}
