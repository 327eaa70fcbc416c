/*
 * Console: the serial console as a capability.  Each call writes at most
 * CONSOLE_MAX_WRITE bytes, so one process cannot hold the console for
 * long; longer output is the caller's to split.
 */
#include "core/kernel.h"
#include "arch/x86_64/serial.h"
#include "kobj/kobject.h"
#include "kobj/message.h"

#include "capos.capnp.h"

#define CONSOLE_MAX_WRITE 4096

static int
console_call(struct kobject *obj, struct kcall *c)
{
	struct capnp_msg m;
	int err;

	(void)obj;
	err = kmsg_params(c, &m);
	if (err)
		return err;
	switch (c->method) {
	case capos_Console_METHOD_write: {
		struct capnp_data d = capos_Console_write_Params_get_data(
			capos_Console_write_Params_read_root(&m));

		if (capnp_msg_error(&m))
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "write: malformed params");
		if (d.len > CONSOLE_MAX_WRITE)
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "write: more than 4096 bytes");
		console_write_raw((const char *)d.ptr, d.len);
		break;
	}
	case capos_Console_METHOD_writeLine: {
		struct capnp_text t = capos_Console_writeLine_Params_get_text(
			capos_Console_writeLine_Params_read_root(&m));

		if (capnp_msg_error(&m))
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "writeLine: malformed params");
		if (t.len > CONSOLE_MAX_WRITE)
			return kcall_exception(c, KEXC_INVALID_ARGUMENT,
					       "writeLine: more than 4096 bytes");
		console_write_raw(t.str, t.len);
		console_write_raw("\n", 1);
		break;
	}
	default:
		return kcall_exception(c, KEXC_UNIMPLEMENTED,
				       "Console has no such method");
	}
	c->result_len = 0; /* empty result struct */
	return KCALL_OK;
}

static const struct kobject_ops console_ops = {
	.name = "Console",
	.interface_id = capos_Console_TYPE_ID,
	.call = kobject_call,
	.method = console_call,
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
