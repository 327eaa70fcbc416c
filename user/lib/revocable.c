/*
 * Revocable caps: CapabilityManager.revocable and Revoker.revoke
 * (docs/kernel-objects.md, "CapabilityManager").
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

int
capos_revocable(capos_capid_t capmgr, capos_capid_t cap,
                capos_capid_t *forwarder, capos_capid_t *revoker)
{
	capos_CapabilityManager_revocable_Params_builder p;
	capos_CapabilityManager_revocable_Results_reader r;
	struct capnp_ptr fp;
	uint64_t iid;
	int err;

	*forwarder = 0;
	*revoker = 0;
	capos_mutex_lock(&call_lock);
	p = capos_CapabilityManager_revocable_begin(&call);
	capnp_slot_set_cap(capos_CapabilityManager_revocable_Params_slot_cap(p),
	                   capos_call_add_cap(&call, cap, CAPOS_XFER_COPY));
	err = capos_CapabilityManager_revocable_send(&call, capmgr);
	if (!err) {
		r = capos_CapabilityManager_revocable_results(&call);
		fp = capos_CapabilityManager_revocable_Results_get_cap(r);
		if (fp.type == CAPNP_PTR_CAP)
			*forwarder =
			    capos_call_result_cap(&call, fp.u.cap, NULL);
		*revoker = capos_call_result_cap(
		    &call,
		    capos_CapabilityManager_revocable_Results_get_revoker(r),
		    &iid);
		if (!*forwarder || !*revoker || iid != capos_Revoker_TYPE_ID ||
		    capnp_msg_error(&call.result_msg)) {
			if (*forwarder)
				capos_release(*forwarder);
			if (*revoker)
				capos_release(*revoker);
			*forwarder = 0;
			*revoker = 0;
			err = CAPOS_E_BAD_FIELD;
		}
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_revoke(capos_capid_t revoker)
{
	return capos_call_empty(revoker, capos_Revoker_TYPE_ID,
	                        capos_Revoker_METHOD_revoke);
}
