/*
 * grant_child: spawned by ipctest with 32 grants, the most one spawn
 * carries (CAPOS_XFER_MAX distinct caps): g00..g29 are copies of a Null
 * cap, g30 a Timer, g31 a Console.  Checks that its CapSet lists exactly
 * those, in grant order, with their interfaces, then its ThreadControl,
 * and that every one of them answers a call.  Exits with the number of
 * checks that failed.
 */
#include "capos.h"

#include "capos.capnp.h"

#define NGRANTS   32
#define NULL_CAPS 30

static uint64_t
expected_interface(uint32_t i)
{
	if (i < NULL_CAPS)
		return capos_Null_TYPE_ID;
	return i == NULL_CAPS ? capos_Timer_TYPE_ID : capos_Console_TYPE_ID;
}

/* One call on grant i through the interface it should have. */
static int
use(uint32_t i, capos_capid_t cap)
{
	uint64_t ns;

	if (i < NULL_CAPS)
		return capos_null_ping(cap);
	if (i == NULL_CAPS)
		return capos_timer_now(cap, &ns);
	return capos_console_write_line(cap, "grant_child: 32 grants arrived");
}

int
main(void)
{
	const struct capos_capset_entry *e;
	uint32_t i, bad = 0;

	if (capos_capset_count() != NGRANTS + 1) {
		printf("grant_child: %u CapSet entries, expected %u\n",
		       capos_capset_count(), NGRANTS + 1);
		return 100;
	}
	for (i = 0; i < NGRANTS; i++) {
		char name[4] = {'g', (char)('0' + i / 10), (char)('0' + i % 10),
		                '\0'};

		e = capos_capset_entry(i);
		if (strcmp(e->name, name) != 0 ||
		    e->interface_id != expected_interface(i) ||
		    use(i, e->cap) != 0) {
			printf("grant_child: entry %u is \"%s\", not a working "
			       "%s\n",
			       i, e->name, name);
			bad++;
		}
	}
	e = capos_capset_entry(NGRANTS);
	if (strcmp(e->name, "thread") != 0 ||
	    e->interface_id != capos_ThreadControl_TYPE_ID) {
		printf("grant_child: the last entry is \"%s\"\n", e->name);
		bad++;
	}
	return (int)bad;
}
