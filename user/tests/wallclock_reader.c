/*
 * wallclock_reader: spawned by wallclocktest with a Console and the
 * WallClock only.  It reads the time, and tries every way to set it it
 * could: the name "clockset" (absent), the WallClock cap called as a
 * ClockDiscipline (unimplemented).  Exit code: its failures.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

static struct capos_call c;

int
main(void)
{
	capos_capid_t wallclock, setter;
	int64_t now = 0;
	int prov = -1, err;

	ktest_prefix("wallclock.reader.");
	if (capos_WallClock_find("wallclock", &wallclock)) {
		printf("KTEST not ok wallclock.reader.capset: no wallclock\n");
		return 1;
	}
	err = capos_wallclock_now(wallclock, &now, &prov);
	ktest_check(err == 0 && prov == capos_ClockProvenance_rtc && now > 0,
	            "reads_the_time", "%s, provenance %d", capos_strerror(err),
	            prov);
	ktest_check(
	    capos_capset_find("clockset", capos_ClockDiscipline_TYPE_ID,
	                      &setter) == CAPOS_E_BAD_CAP &&
	        capos_capset_find_interface(capos_ClockDiscipline_TYPE_ID,
	                                    &setter) == CAPOS_E_BAD_CAP,
	    "no_setter_in_capset", "a ClockDiscipline was granted");
	/* The reader's cap, asked to set: WallClock has no such method. */
	capos_ClockDiscipline_set_Params_set_unixNs(
	    capos_ClockDiscipline_set_begin(&c), 0);
	ktest_check_exception(capos_ClockDiscipline_set_send(&c, wallclock),
	                      capos_ExceptionType_unimplemented,
	                      "set_through_wallclock.unimplemented");
	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, wallclock, capos_WallClock_TYPE_ID, 1),
	    capos_ExceptionType_unimplemented, "unknown_ordinal.unimplemented");
	return ktest_failures();
}
