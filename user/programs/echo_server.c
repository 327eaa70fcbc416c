/*
 * echo_server: serves Echo on the endpoint owner cap named "echo" in its
 * CapSet, one call at a time (RECV, answer, RETURN), until it is killed.
 *
 *   echo(data)            answers with data
 *   useConsole(console, text)  writes text through the Console cap that
 *                         came with the call, then drops it: the server
 *                         has no console of its own in the manifests
 *   keep(cap)             keeps the cap (dropping one kept before)
 *   giveBack()            moves the kept cap back as a result cap
 *   bounce(cap)           moves the cap straight back
 *   anything else         exception `unimplemented`
 *
 * Exit codes: 2 no "echo" endpoint, 3 the ring failed.
 */
#include "capos.h"

#include "capos.capnp.h"

/* A RECV takes the header, params of up to CAPOS_PARAMS_MAX less what
 * the rest needs, and the records. */
static uint8_t in[CAPOS_RESULT_MAX] __attribute__((aligned(8)));
static uint8_t arena[CAPOS_PARAMS_MAX] __attribute__((aligned(8)));
static uint8_t out[CAPOS_PARAMS_MAX] __attribute__((aligned(8)));
static capos_capid_t owner, kept;

struct answer {
	struct capnp_builder b;
	uint32_t len;
};

static void
answer_begin(struct answer *a)
{
	capnp_builder_init(&a->b, arena, sizeof(arena), 0);
}

static int
answer_end(struct answer *a)
{
	size_t n;

	if (capnp_builder_error(&a->b) ||
	    capnp_frame_write(&a->b, out, sizeof(out), &n))
		return CAPOS_E_TOO_LONG;
	a->len = (uint32_t)n;
	return 0;
}

/* The record a Capability field of the params names, or NULL. */
static const struct capos_cap_record *
param_cap(const struct capos_recv_header *h, uint32_t index)
{
	return index < h->ncaps ? &capos_recv_caps(h)[index] : NULL;
}

static int
invalid(const struct capos_recv_header *h, const char *why)
{
	return capos_return_exception(owner, h->call_id,
	                              capos_ExceptionType_invalidArgument, why);
}

/* Answers with one result cap, moved from our table. */
static int
return_cap(const struct capos_recv_header *h, capos_capid_t cap)
{
	struct capos_xfer x = {.cap = cap, .mode = CAPOS_XFER_MOVE};
	struct answer a;

	answer_begin(&a);
	/* giveBack and bounce results are both (cap :Capability). */
	capnp_slot_set_cap(capos_Echo_giveBack_Results_slot_cap(
	                       capos_Echo_giveBack_Results_build_root(&a.b)),
	                   0);
	if (answer_end(&a))
		return invalid(h, "cannot build the answer");
	return capos_return(owner, h->call_id, out, a.len, &x, 1);
}

static int
serve(const struct capos_recv_header *h)
{
	const struct capos_cap_record *rec;
	struct capnp_msg m;
	struct answer a;

	if (capos_msg_read(&m, capos_recv_params(h), h->params_len))
		return invalid(h, "params are not a message");
	capnp_msg_set_limits(&m, h->params_len / 2 + 64, 8);
	switch (h->method) {
	case capos_Echo_METHOD_echo: {
		struct capnp_data d = capos_Echo_echo_Params_get_data(
		    capos_Echo_echo_Params_read_root(&m));

		if (capnp_msg_error(&m))
			return invalid(h, "malformed params");
		answer_begin(&a);
		capos_Echo_echo_Results_set_data(
		    capos_Echo_echo_Results_build_root(&a.b), d.ptr, d.len);
		if (answer_end(&a))
			return invalid(h, "too much to echo");
		return capos_return(owner, h->call_id, out, a.len, NULL, 0);
	}
	case capos_Echo_METHOD_useConsole: {
		capos_Echo_useConsole_Params_reader r =
		    capos_Echo_useConsole_Params_read_root(&m);
		struct capnp_text t = capos_Echo_useConsole_Params_get_text(r);
		int err;

		rec = param_cap(h, capos_Echo_useConsole_Params_get_console(r));
		if (capnp_msg_error(&m) || !rec || !t.str ||
		    rec->interface_id != capos_Console_TYPE_ID)
			return invalid(h,
			               "useConsole needs a Console and text");
		err = capos_console_write_line(rec->cap, t.str);
		capos_release(rec->cap);
		if (err)
			return capos_return_exception(
			    owner, h->call_id, capos_ExceptionType_failed,
			    "the console cap did not work");
		return capos_return(owner, h->call_id, NULL, 0, NULL, 0);
	}
	case capos_Echo_METHOD_keep: {
		struct capnp_ptr p = capos_Echo_keep_Params_get_cap(
		    capos_Echo_keep_Params_read_root(&m));

		rec = p.type == CAPNP_PTR_CAP ? param_cap(h, p.u.cap) : NULL;
		if (!rec)
			return invalid(h, "keep needs a cap");
		if (kept)
			capos_release(kept);
		kept = rec->cap;
		return capos_return(owner, h->call_id, NULL, 0, NULL, 0);
	}
	case capos_Echo_METHOD_giveBack: {
		capos_capid_t cap = kept;
		int err;

		if (!cap)
			return capos_return_exception(
			    owner, h->call_id, capos_ExceptionType_failed,
			    "nothing kept");
		err = return_cap(h, cap);
		if (err == 0)
			kept = 0; /* moved to the caller */
		return err;
	}
	case capos_Echo_METHOD_bounce: {
		struct capnp_ptr p = capos_Echo_bounce_Params_get_cap(
		    capos_Echo_bounce_Params_read_root(&m));

		rec = p.type == CAPNP_PTR_CAP ? param_cap(h, p.u.cap) : NULL;
		if (!rec)
			return invalid(h, "bounce needs a cap");
		return return_cap(h, rec->cap);
	}
	default:
		return capos_return_exception(owner, h->call_id,
		                              capos_ExceptionType_unimplemented,
		                              "Echo has no such method");
	}
}

int
main(void)
{
	struct capos_recv_header *h;
	int n;

	if (capos_capset_find("echo", capos_Endpoint_TYPE_ID, &owner))
		return 2;
	for (;;) {
		n = capos_recv(owner, in, sizeof(in), &h);
		if (n < 0)
			return 3;
		/* A failed RETURN only concerns that caller (it went away, or
		 * its buffer was too small); serve the next one. */
		serve(h);
	}
}
