/*
 * WallClock: reads the wall clock (core/wallclock.c).  One static
 * object; reading changes nothing, so every holder may read.
 */
#include "core/kernel.h"
#include "core/wallclock.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

_Static_assert((int)WALLCLOCK_UNSET == (int)capos_ClockProvenance_unset &&
                   (int)WALLCLOCK_RTC == (int)capos_ClockProvenance_rtc &&
                   (int)WALLCLOCK_SET_BY_OPERATOR ==
                       (int)capos_ClockProvenance_setByOperator,
               "wallclock_provenance is the schema's ClockProvenance");

static int
now(void *self, struct rpc_call *call, capos_WallClock_now_Params_reader p,
    capos_WallClock_now_Results_builder r)
{
	enum wallclock_provenance prov;

	(void)self;
	(void)call;
	(void)p;
	capos_WallClock_now_Results_set_unixNs(r, wallclock_now(&prov));
	capos_WallClock_now_Results_set_provenance(
	    r, (enum capos_ClockProvenance)prov);
	return KERR_OK;
}

static const struct capos_WallClock_server wallclock_server = {
    .now = now,
};

static const struct kobject_ops wallclock_ops = {
    .name = "WallClock",
    .interface_id = capos_WallClock_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_WallClock_interface,
    .impl = &wallclock_server,
};

static struct kobject wallclock_obj = {
    .ops = &wallclock_ops,
    .refs = 1,
    .interface_id = capos_WallClock_TYPE_ID,
};

struct kobject *
wallclock_object(void)
{
	return &wallclock_obj;
}
