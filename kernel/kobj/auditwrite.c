/*
 * AuditWriter: appends security events to the audit trail (core/audit.h)
 * as the calling process; the kernel sets the record's pid and source.
 * It cannot read the trail, and cannot write `spawn`, which only the
 * kernel records (kobj/spawner.c), so a spawn record is always true.
 */
#include "core/kernel.h"
#include "core/audit.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

static int
record(void *self, struct rpc_call *call,
       capos_AuditWriter_record_Params_reader p,
       capos_AuditWriter_record_Results_builder r)
{
	unsigned event = capos_AuditWriter_record_Params_get_event(p);
	struct capnp_text t = capos_AuditWriter_record_Params_get_detail(p);

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params) || !t.str)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "record: no detail");
	if (event == capos_AuditEvent_spawn ||
	    event > capos_AuditEvent_accountCreated)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "record: not an event a writer records");
	if (t.len == 0 || t.len >= LOGRING_TEXT_SIZE)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "record: detail of 1 to 119 bytes");
	if (strnlen(t.str, t.len) != t.len)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "record: detail holds a NUL");
	audit_append((uint16_t)event, kcall_of(call)->caller, t.str, t.len);
	return KERR_OK;
}

static const struct capos_AuditWriter_server auditwrite_server = {
    .record = record,
};

static const struct kobject_ops auditwrite_ops = {
    .name = "AuditWriter",
    .interface_id = capos_AuditWriter_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_AuditWriter_interface,
    .impl = &auditwrite_server,
};

static struct kobject auditwrite_obj = {
    .ops = &auditwrite_ops,
    .refs = 1,
    .interface_id = capos_AuditWriter_TYPE_ID,
};

struct kobject *
auditwrite_object(void)
{
	return &auditwrite_obj;
}
