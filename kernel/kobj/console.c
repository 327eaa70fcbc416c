/*
 * Console: the serial console as a capability.  Each call writes at most
 * CONSOLE_MAX_WRITE bytes, so one process cannot hold the console for
 * long; longer output is the caller's to split.
 */
#include "core/kernel.h"
#include "arch/x86_64/serial.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

#define CONSOLE_MAX_WRITE 4096

static int
console_write(void *self, struct rpc_call *call,
              capos_Console_write_Params_reader p,
              capos_Console_write_Results_builder r)
{
	struct capnp_data d = capos_Console_write_Params_get_data(p);

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: malformed params");
	if (d.len > CONSOLE_MAX_WRITE)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: more than 4096 bytes");
	console_write_raw((const char *)d.ptr, d.len);
	return KERR_OK;
}

static int
console_write_line(void *self, struct rpc_call *call,
                   capos_Console_writeLine_Params_reader p,
                   capos_Console_writeLine_Results_builder r)
{
	struct capnp_text t = capos_Console_writeLine_Params_get_text(p);

	(void)self;
	(void)r;
	if (capnp_msg_error(&call->params))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "writeLine: malformed params");
	if (t.len > CONSOLE_MAX_WRITE)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "writeLine: more than 4096 bytes");
	console_write_raw(t.str, t.len);
	console_write_raw("\n", 1);
	return KERR_OK;
}

static const struct capos_Console_server console_server = {
    .write = console_write,
    .writeLine = console_write_line,
};

static const struct kobject_ops console_ops = {
    .name = "Console",
    .interface_id = capos_Console_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_Console_interface,
    .impl = &console_server,
};

static struct kobject console_obj = {
    .ops = &console_ops,
    .refs = 1,
    .interface_id = capos_Console_TYPE_ID,
};

struct kobject *
console_object(void)
{
	return &console_obj;
}
