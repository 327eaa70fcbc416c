/*
 * park_exit: a process that exits with threads parked (boot suite case
 * user-park, after parktest).  Its exit must cancel every park; the
 * supervisor's ledger checks then find its threads, rings and records
 * back.
 */
#include "park_raw.h"

#define NLEFT 3

static struct parker parkers[NLEFT];
static uint32_t word;

PARK_RAW_THREAD(parker_entry, parker_main);

int
main(void)
{
	capos_capid_t park, timer, h;
	uint32_t i, k, parking = 0, started = 0;

	if (capos_capset_find("park", capos_ParkSpace_TYPE_ID, &park) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		printf("park_exit: a cap is missing\n");
		return 1;
	}
	for (i = 0; i < NLEFT; i++)
		if (start_parker(&parkers[i], parker_entry, park, &word, 0,
		                 i ? CAPOS_PARK_NO_TIMEOUT : 3600000000000ull,
		                 &h) == 0)
			started++;
	for (k = 0; k < 2000 && parking < started; k++) {
		capos_timer_sleep(timer, 1000000);
		for (i = parking = 0; i < NLEFT; i++)
			parking += parkers[i].parking;
	}
	capos_timer_sleep(timer, 1000000);
	printf("park_exit: exiting with %u threads parked\n", started);
	return started == NLEFT ? 0 : 1;
}
