/*
 * The null object: ping succeeds with an empty result.  It exists
 * to measure the cost of a CALL through the ring with nothing behind it.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "capos.capnp.h"

static int
null_ping(void *self, struct rpc_call *call, capos_Null_ping_Params_reader p,
          capos_Null_ping_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	(void)r;
	return KERR_OK;
}

static const struct capos_Null_server null_server = {
    .ping = null_ping,
};

static const struct kobject_ops null_ops = {
    .name = "Null",
    .interface_id = capos_Null_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_Null_interface,
    .impl = &null_server,
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
