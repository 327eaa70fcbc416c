/*
 * disconnect_client: calls a server that dies with the call in flight
 * (dying_server).  The call and every later call on the same facet must
 * end with CAPOS_E_DISCONNECTED, never hang or succeed.  KTEST lines;
 * exits with the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"

static int failures;

static void
check(bool ok, const char *name, int r)
{
	if (ok) {
		printf("KTEST ok ipc.%s\n", name);
		return;
	}
	failures++;
	printf("KTEST not ok ipc.%s: %s\n", name, capos_strerror(r));
}

int
main(void)
{
	uint8_t result[256] __attribute__((aligned(8)));
	struct capos_msgbuf mb;
	capos_capid_t echo;
	int r;

	if (capos_capset_find("echo", capos_Echo_TYPE_ID, &echo))
		return 100;
	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
	    capos_Echo_echo_Params_build_root(&mb.b), "anyone?", 7);
	capos_msg_end(&mb);
	r = capos_call_caps(echo, capos_Echo_METHOD_echo, mb.framed,
	                    mb.framed_len, NULL, 0, result, sizeof(result),
	                    NULL);
	check(r == CAPOS_E_DISCONNECTED, "disconnect.call_in_flight", r);
	r = capos_call_caps(echo, capos_Echo_METHOD_echo, mb.framed,
	                    mb.framed_len, NULL, 0, result, sizeof(result),
	                    NULL);
	check(r == CAPOS_E_DISCONNECTED, "disconnect.later_call", r);
	return failures;
}
