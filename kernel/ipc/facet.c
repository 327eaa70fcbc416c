/*
 * Typed facets: Endpoint.client, the one method an endpoint's owner side
 * serves.  It makes a client facet of the endpoint that carries another
 * interface id and a badge, so one server can serve several interfaces
 * (or several objects) on one endpoint and tell its callers apart.
 *
 * A minted facet is a small object of its own whose CALL is forwarded
 * exactly as one through the endpoint's built-in client facet, with its
 * badge in the RECV header.  It holds one reference on that built-in
 * facet (ep->client), so the endpoint lives while a minted facet does and
 * every rule of the client side (disconnect when the owner goes, cancel
 * on release, the leak check) covers it unchanged.  What the holder sees
 * of it is a copyable cap with the facet's interface id, like any client.
 */
#include "core/kernel.h"
#include "ipc/call.h"
#include "ipc/endpoint.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "mm/kheap.h"

#include "core/kerr.h"

#include "capos.capnp.h"

struct facet {
	struct kobject obj; /* interface_id: the facet's interface */
	struct endpoint *ep;
	uint64_t badge;
};

#define FACET(o) ((struct facet *)(o))

static int32_t
facet_call(struct kobject *obj, struct kcall *kc)
{
	return endpoint_forward(FACET(obj)->ep, FACET(obj)->badge, kc);
}

static void
facet_destroy(struct kobject *obj)
{
	struct endpoint *ep = FACET(obj)->ep;

	kfree(obj);
	kobject_put(&ep->client);
}

/* As the endpoint's own client facet (ipc/endpoint.c). */
static const struct kobject_ops facet_ops = {
    .name = "EndpointFacet",
    .interface_id = 0, /* per facet */
    .xfer_mode = CAP_XFER_COPY,
    .call = facet_call,
    .destroy = facet_destroy,
};

static int
endpoint_client(void *self, struct rpc_call *call,
                capos_Endpoint_client_Params_reader p,
                capos_Endpoint_client_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	struct endpoint *ep =
	    (struct endpoint *)((char *)self -
	                        offsetof(struct endpoint, owner));
	uint64_t iid = capos_Endpoint_client_Params_get_interfaceId(p);
	struct facet *f;
	int err;

	if (iid == 0)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "client: interfaceId 0");
	capnp_slot_set_cap(capos_Endpoint_client_Results_slot_client(r), 0);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	err = kcall_room_for(c, 1, c->result_len);
	if (err != KERR_OK)
		return err;
	f = kzalloc(sizeof(*f));
	if (!f)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "client: out of memory");
	f->obj = (struct kobject){&facet_ops, 1, iid};
	f->ep = ep;
	f->badge = capos_Endpoint_client_Params_get_badge(p);
	kobject_get(&ep->client);
	c->out[0] = &f->obj;
	c->nout = 1;
	return KERR_OK;
}

const struct capos_Endpoint_server endpoint_owner_server = {
    .client = endpoint_client,
};
