/*
 * ready_client: started by init only after ready_server reported ready
 * (system/tests/ready.capnp), so its very first call is answered, not
 * refused as too early.  Exits 0 when it was, 1 otherwise.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call c;

int
main(void)
{
	struct capnp_data d;
	capos_capid_t echo;
	int err;

	ktest_prefix("ipc.");
	if (capos_Echo_find("echo", &echo))
		return 2;
	capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&c), "first", 5);
	err = capos_Echo_echo_send(&c, echo);
	d = err ? (struct capnp_data){0}
	        : capos_Echo_echo_Results_get_data(capos_Echo_echo_results(&c));
	ktest_check(err == 0 && d.len == 5 && memcmp(d.ptr, "first", 5) == 0,
	            "ready.first_call_answered", "%s%s%s", capos_strerror(err),
	            err == CAPOS_E_APP_EXCEPTION ? ": " : "",
	            err == CAPOS_E_APP_EXCEPTION
	                ? capos_last_exception()->message
	                : "");
	return ktest_failures() ? 1 : 0;
}
