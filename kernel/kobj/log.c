/*
 * LogSink: writes to the kernel log ring (core/log.h) as the calling
 * process.  The record's pid and source name are the caller's, taken by
 * the kernel, so a sink cannot pass for another process.  One static
 * object serves every holder.
 */
#include "core/kernel.h"
#include "core/log.h"
#include "kobj/kobject.h"
#include "proc/process.h"

#include "capos.capnp.h"

static int
write(void *self, struct rpc_call *call, capos_LogSink_write_Params_reader p,
      capos_LogSink_write_Results_builder r)
{
	struct process *caller = kcall_of(call)->caller;
	unsigned level = capos_LogSink_write_Params_get_level(p);
	struct capnp_text t = capos_LogSink_write_Params_get_text(p);
	bool stored;

	(void)self;
	if (capnp_msg_error(&call->params) || !t.str)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: no text");
	if (level > capos_LogLevel_trace)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: no such level");
	if (t.len == 0 || t.len >= LOGRING_TEXT_SIZE)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: text of 1 to 119 bytes");
	if (strnlen(t.str, t.len) != t.len)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: text holds a NUL");
	stored = log_append((uint16_t)level, caller->pid, caller->name, t.str,
	                    t.len);
	if (stored)
		log_wake_followers();
	capos_LogSink_write_Results_set_stored(r, stored);
	return KERR_OK;
}

static const struct capos_LogSink_server log_server = {
    .write = write,
};

static const struct kobject_ops log_ops = {
    .name = "LogSink",
    .interface_id = capos_LogSink_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_LogSink_interface,
    .impl = &log_server,
};

static struct kobject log_obj = {
    .ops = &log_ops,
    .refs = 1,
    .interface_id = capos_LogSink_TYPE_ID,
};

struct kobject *
log_object(void)
{
	return &log_obj;
}
