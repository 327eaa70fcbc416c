/*
 * CapabilityManager: makes revocable capabilities (kobj/revocable.c).
 * The authority broker issues a session's bundle through it, so that
 * ending the session takes back every copy of every cap it gave.
 *
 * Only a copyable cap is wrapped: the forwarder is copyable, so wrapping
 * an endpoint's owner side, a ProcessHandle, a Revoker or any other
 * non-transferable cap would let its authority travel.  Such a cap
 * reaches the method (the kind inspects_caps) only to be refused with
 * invalidArgument.
 */
#include "core/kernel.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "kobj/revocable.h"

#include "core/kerr.h"

#include "capos.capnp.h"

static int
revocable(void *self, struct rpc_call *call,
          capos_CapabilityManager_revocable_Params_reader p,
          capos_CapabilityManager_revocable_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	struct capnp_ptr cp =
	    capos_CapabilityManager_revocable_Params_get_cap(p);
	struct kobject *fwd, *rev;
	struct xfer_item *it;
	uint32_t written;
	int err;

	(void)self;
	if (capnp_msg_error(&call->params) || cp.type != CAPNP_PTR_CAP ||
	    cp.u.cap >= c->in->n)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "revocable: cap names no cap sent with "
		                       "the call");
	it = &c->in->items[cp.u.cap];
	if (it->mode != CAP_XFER_COPY)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "revocable: the cap is not copyable "
		                       "(an endpoint's owner side, a handle, "
		                       "a revoker...)");
	/* Whether the caller can take the answer decides before anything
	 * is made. */
	capos_CapabilityManager_revocable_Results_set_revoker(r, 1);
	capnp_slot_set_cap(
	    capos_CapabilityManager_revocable_Results_slot_cap(r), 0);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	written = c->result_len;
	err = kcall_room_for(c, 2, written);
	if (err != KERR_OK)
		return err;
	err = revocable_create(it->obj, it->interface_id, &fwd, &rev);
	if (err == KERR_BAD_ARG)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "revocable: the cap is already a chain "
		                       "of 8 revocable caps");
	if (err)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "revocable: out of memory");
	c->out[0] = fwd;
	c->out[1] = rev;
	c->nout = 2;
	c->result_len = written;
	return KERR_OK;
}

static const struct capos_CapabilityManager_server capmgr_server = {
    .revocable = revocable,
};

static const struct kobject_ops capmgr_ops = {
    .name = "CapabilityManager",
    .interface_id = capos_CapabilityManager_TYPE_ID,
    .inspects_caps = true,
    .call = kobject_call,
    .iface = &capos_CapabilityManager_interface,
    .impl = &capmgr_server,
};

static struct kobject capmgr_obj = {
    .ops = &capmgr_ops,
    .refs = 1,
    .interface_id = capos_CapabilityManager_TYPE_ID,
};

struct kobject *
capmgr_object(void)
{
	return &capmgr_obj;
}
