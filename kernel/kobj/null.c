/*
 * The null object: ping succeeds with an empty result.  It exists
 * to measure the cost of a CALL through the ring with nothing behind it.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "capos.capnp.h"

static int
null_call(struct kobject *obj, struct kcall *c)
{
	(void)obj;
	if (c->method != capos_Null_METHOD_ping)
		return kcall_exception(c, KEXC_UNIMPLEMENTED,
				       "Null has no such method");
	c->result_len = 0;
	return KCALL_OK;
}

static const struct kobject_ops null_ops = {
	.name = "Null",
	.interface_id = capos_Null_TYPE_ID,
	.call = kobject_call,
	.method = null_call,
};

static struct kobject null_obj = {
	.ops = &null_ops,
	.refs = 1,
	.interface_id = capos_Null_TYPE_ID,
};

struct kobject *
null_object(void)
{
	return &null_obj;
}
