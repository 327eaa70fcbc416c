/*
 * dying_server: takes one call on its "echo" endpoint and exits without
 * answering it.  The caller must see CAPOS_E_DISCONNECTED for that call
 * and for every later one (disconnect_client, system/tests/disconnect).
 * Exit codes: 0 after the call, 2 no endpoint, 3 RECV failed.
 */
#include "capos.h"

#include "capos.capnp.h"

static uint8_t buf[4096] __attribute__((aligned(8)));

int
main(void)
{
	struct capos_recv_header *h;
	capos_capid_t owner;

	if (capos_capset_find("echo", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	if (capos_recv(owner, buf, sizeof(buf), &h) < 0)
		return 3;
	return 0; /* the call dies with us */
}
