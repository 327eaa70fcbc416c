/*
 * revoke_child: the child of revoketest.  Serves Echo on its endpoint
 * "probe": keep(cap) keeps a cap sent over IPC; echo("p") answers how a
 * Null.ping goes through the Null cap it was granted ("null") and through
 * the kept one (one byte each: RESULT_*); echo("s") answers after 200 ms
 * of sleep and then exits (a call in flight when its forwarder is
 * revoked); echo("x") answers and exits.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.h"

enum {
	RESULT_OK = 'o',
	RESULT_DISCONNECTED = 'd',
	RESULT_OTHER = '?',
	RESULT_NONE = '-'
};

static uint8_t buf[4096] __attribute__((aligned(8)));
static capos_capid_t granted, kept, timer;
static bool leaving;

static uint8_t
ping(capos_capid_t cap)
{
	int err;

	if (!cap)
		return RESULT_NONE;
	err = capos_null_ping(cap);
	if (err == 0)
		return RESULT_OK;
	if (err == CAPOS_E_APP_EXCEPTION &&
	    capos_last_exception()->type == capos_ExceptionType_disconnected)
		return RESULT_DISCONNECTED;
	return RESULT_OTHER;
}

static int
do_echo(void *self, struct rpc_call *call, capos_Echo_echo_Params_reader p,
        capos_Echo_echo_Results_builder r)
{
	struct capnp_data d = capos_Echo_echo_Params_get_data(p);
	uint8_t out[2];

	(void)self;
	(void)call;
	if (d.len != 1)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "one command byte");
	switch (d.ptr[0]) {
	case 'p':
		out[0] = ping(granted);
		out[1] = ping(kept);
		capos_Echo_echo_Results_set_data(r, out, 2);
		return RPC_OK;
	case 's':
		capos_timer_sleep(timer, 200ull * 1000000ull);
		/* fall through */
	case 'x':
		leaving = true;
		capos_Echo_echo_Results_set_data(r, d.ptr, 1);
		return RPC_OK;
	default:
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "no such command");
	}
}

static int
do_keep(void *self, struct rpc_call *call, capos_Echo_keep_Params_reader p,
        capos_Echo_keep_Results_builder r)
{
	struct capnp_ptr cp = capos_Echo_keep_Params_get_cap(p);
	const struct capos_cap_record *rec =
	    cp.type == CAPNP_PTR_CAP
	        ? capos_serve_param_cap(capos_server_call_of(call), cp.u.cap)
	        : NULL;

	(void)self;
	(void)r;
	if (!rec)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT, "no cap");
	kept = rec->cap;
	return RPC_OK;
}

static const struct capos_Echo_server echo = {
    .echo = do_echo,
    .keep = do_keep,
};

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("probe", capos_Endpoint_TYPE_ID, &owner) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &granted) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer))
		return 2;
	while (!leaving)
		if (capos_serve_one(owner, &capos_Echo_interface, &echo, NULL,
		                    buf, sizeof(buf)) < 0)
			return 3;
	return 0;
}
