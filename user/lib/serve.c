/* The server loop over generated dispatch (capos_serve.h). */
#include "capos.h"
#include "capos_serve.h"
#include "capnp/frame.h"

/* Answers are built and framed here: one call is served at a time. */
static uint8_t arena[CAPOS_PARAMS_MAX] __attribute__((aligned(8)));
static uint8_t framed[CAPOS_PARAMS_MAX] __attribute__((aligned(8)));

/* Read limits for params from another process: proportional to them. */
#define SERVE_NESTING 16

const struct capos_cap_record *
capos_serve_param_cap(const struct capos_server_call *sc, uint32_t index)
{
	return index < sc->hdr->ncaps ? &sc->caps[index] : NULL;
}

uint32_t
capos_serve_result_cap(struct capos_server_call *sc, capos_capid_t cap,
                       uint32_t mode)
{
	if (sc->nxfer == CAPOS_XFER_MAX)
		return UINT32_MAX;
	sc->xfer[sc->nxfer] = (struct capos_xfer){.cap = cap, .mode = mode};
	return sc->nxfer++;
}

/* RETURNs the results the handler built (none: 0 bytes). */
static void
answer(struct capos_server_call *sc, struct capnp_builder *b)
{
	uint64_t id = sc->hdr->call_id;
	size_t n = 0;

	if (!rpc_results_empty(b) &&
	    (capnp_builder_error(b) ||
	     capnp_frame_write(b, framed, sizeof(framed), &n))) {
		capos_return_exception(sc->owner, id, RPC_EXC_FAILED,
		                       "results do not fit a RETURN");
		return;
	}
	capos_return(sc->owner, id, n ? framed : NULL, (uint32_t)n, sc->xfer,
	             sc->nxfer);
}

int
capos_serve_one(capos_capid_t owner, const struct rpc_interface *iface,
                const void *impl, void *self, void *buf, uint32_t len)
{
	const struct capos_served one = {iface, impl, self};

	return capos_serve_one_of(owner, &one, 1, buf, len);
}

int
capos_serve_one_of(capos_capid_t owner, const struct capos_served *served,
                   uint32_t n, void *buf, uint32_t len)
{
	const struct capos_served *s = &served[0];
	uint32_t i;
	struct capos_server_call sc;
	struct capos_recv_header *h;
	struct capnp_builder b;
	int r;

	r = capos_recv(owner, buf, len, &h);
	if (r < 0)
		return r;
	sc.owner = owner;
	sc.hdr = h;
	sc.caps = capos_recv_caps(h);
	sc.nxfer = 0;
	sc.rpc.interface_id = h->interface_id;
	sc.rpc.method = h->method;
	sc.rpc.results = &b;
	if (capos_msg_read(&sc.rpc.params, capos_recv_params(h),
	                   h->params_len)) {
		capos_return_exception(owner, h->call_id,
		                       RPC_EXC_INVALID_ARGUMENT,
		                       "params are not a message");
		return RPC_EXCEPTION;
	}
	capnp_msg_set_limits(&sc.rpc.params, h->params_len / 2 + 64,
	                     SERVE_NESTING);
	capnp_builder_init_lazy(&b, arena, sizeof(arena), 0);
	/* The interface the call names; none served: the first, whose
	 * dispatch refuses it as unimplemented. */
	for (i = 0; i < n; i++)
		if (served[i].iface->id == h->interface_id)
			s = &served[i];
	r = rpc_dispatch(s->iface, s->impl, s->self, &sc.rpc);
	switch (r) {
	case RPC_OK:
		answer(&sc, &b);
		break;
	case RPC_EXCEPTION:
		capos_return_exception(owner, h->call_id, (int)sc.rpc.exc_type,
		                       sc.rpc.exc_message);
		break;
	case RPC_PENDING:
		break;
	default:
		capos_return_exception(owner, h->call_id, RPC_EXC_FAILED,
		                       "the server failed");
		break;
	}
	return r;
}
