/*
 * ClockDiscipline: the authority to set the wall clock
 * (core/wallclock.c).  A separate object from WallClock so that reading
 * the time never carries the right to change it; the registry grants it
 * only on request, to whom a manifest names.
 */
#include "core/kernel.h"
#include "core/wallclock.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

static int
set(void *self, struct rpc_call *call,
    capos_ClockDiscipline_set_Params_reader p,
    capos_ClockDiscipline_set_Results_builder r)
{
	int64_t ns = capos_ClockDiscipline_set_Params_get_unixNs(p);

	(void)self;
	(void)r;
	if (ns < 0)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "set: a time before 1970");
	wallclock_set(ns);
	return KERR_OK;
}

static const struct capos_ClockDiscipline_server clockset_server = {
    .set = set,
};

static const struct kobject_ops clockset_ops = {
    .name = "ClockDiscipline",
    .interface_id = capos_ClockDiscipline_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_ClockDiscipline_interface,
    .impl = &clockset_server,
};

static struct kobject clockset_obj = {
    .ops = &clockset_ops,
    .refs = 1,
    .interface_id = capos_ClockDiscipline_TYPE_ID,
};

struct kobject *
clockset_object(void)
{
	return &clockset_obj;
}
