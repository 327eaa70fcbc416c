/*
 * echo_server: serves Echo on the endpoint owner cap named "echo" in its
 * CapSet, one call at a time through the generated dispatch
 * (capos_serve_one), until it is killed.
 *
 *   echo(data)            answers with data
 *   useConsole(console, text)  writes text through the Console cap that
 *                         came with the call, then drops it: the server
 *                         has no console of its own in the manifests
 *   keep(cap)             keeps the cap (dropping one kept before)
 *   giveBack()            moves the kept cap back as a result cap
 *   bounce(cap)           moves the cap straight back
 *
 * Exit codes: 2 no "echo" endpoint, 3 the ring failed.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.h"

/* A RECV takes the header, params of up to CAPOS_PARAMS_MAX less what
 * the rest needs, and the records. */
static uint8_t in[CAPOS_RESULT_MAX] __attribute__((aligned(8)));
static capos_capid_t kept;

static int
invalid(struct rpc_call *call, const char *why)
{
	return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT, why);
}

/* The record behind a Capability (AnyPointer) field, or NULL. */
static const struct capos_cap_record *
any_cap(struct rpc_call *call, struct capnp_ptr p)
{
	return p.type == CAPNP_PTR_CAP
	           ? capos_serve_param_cap(capos_server_call_of(call), p.u.cap)
	           : NULL;
}

static int
do_echo(void *self, struct rpc_call *call, capos_Echo_echo_Params_reader p,
        capos_Echo_echo_Results_builder r)
{
	struct capnp_data d = capos_Echo_echo_Params_get_data(p);

	(void)self;
	capos_Echo_echo_Results_set_data(r, d.ptr, d.len);
	if (capnp_builder_error(call->results))
		return invalid(call, "too much to echo");
	return RPC_OK;
}

static int
do_use_console(void *self, struct rpc_call *call,
               capos_Echo_useConsole_Params_reader p,
               capos_Echo_useConsole_Results_builder r)
{
	const struct capos_cap_record *rec =
	    capos_serve_param_cap(capos_server_call_of(call),
	                          capos_Echo_useConsole_Params_get_console(p));
	struct capnp_text t = capos_Echo_useConsole_Params_get_text(p);
	int err;

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params) || !rec || !t.str ||
	    rec->interface_id != capos_Console_TYPE_ID)
		return invalid(call, "useConsole needs a Console and text");
	err = capos_console_write_line(rec->cap, t.str);
	capos_release(rec->cap);
	if (err)
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "the console cap did not work");
	return RPC_OK;
}

static int
do_keep(void *self, struct rpc_call *call, capos_Echo_keep_Params_reader p,
        capos_Echo_keep_Results_builder r)
{
	const struct capos_cap_record *rec =
	    any_cap(call, capos_Echo_keep_Params_get_cap(p));

	(void)self;
	(void)r;
	if (!rec)
		return invalid(call, "keep needs a cap");
	if (kept)
		capos_release(kept);
	kept = rec->cap;
	return RPC_OK;
}

/* Answers with one result cap, moved from our table. */
static int
return_cap(struct rpc_call *call, struct capnp_slot slot, capos_capid_t cap)
{
	capnp_slot_set_cap(slot,
	                   capos_serve_result_cap(capos_server_call_of(call),
	                                          cap, CAPOS_XFER_MOVE));
	return RPC_OK;
}

static int
do_give_back(void *self, struct rpc_call *call,
             capos_Echo_giveBack_Params_reader p,
             capos_Echo_giveBack_Results_builder r)
{
	capos_capid_t cap = kept;

	(void)self;
	(void)p;
	if (!cap)
		return rpc_exception(call, RPC_EXC_FAILED, "nothing kept");
	/* Moved to the caller with the RETURN; should the caller be gone,
	 * the cap stays in our table until we exit. */
	kept = 0;
	return return_cap(call, capos_Echo_giveBack_Results_slot_cap(r), cap);
}

static int
do_bounce(void *self, struct rpc_call *call, capos_Echo_bounce_Params_reader p,
          capos_Echo_bounce_Results_builder r)
{
	const struct capos_cap_record *rec =
	    any_cap(call, capos_Echo_bounce_Params_get_cap(p));

	(void)self;
	if (!rec)
		return invalid(call, "bounce needs a cap");
	return return_cap(call, capos_Echo_bounce_Results_slot_cap(r),
	                  rec->cap);
}

static const struct capos_Echo_server echo_impl = {
    .echo = do_echo,
    .useConsole = do_use_console,
    .keep = do_keep,
    .giveBack = do_give_back,
    .bounce = do_bounce,
};

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("echo", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;)
		if (capos_serve_one(owner, &capos_Echo_interface, &echo_impl,
		                    NULL, in, sizeof(in)) < 0)
			return 3;
}
