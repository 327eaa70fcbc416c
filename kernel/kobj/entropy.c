/*
 * EntropySource: bytes from the kernel's random generator
 * (core/random.c), a bounded number per call, and how it was seeded.
 * One static object: every request draws from the one generator, whose
 * key changes after each.
 */
#include "core/kernel.h"
#include "core/random.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

/* Per call: enough for any key, small enough for any result buffer. */
#define ENTROPY_MAX_BYTES 256

_Static_assert((int)RANDOM_JITTER_ONLY == (int)capos_EntropySeed_jitterOnly &&
                   (int)RANDOM_RDRAND == (int)capos_EntropySeed_rdrand &&
                   (int)RANDOM_RDSEED == (int)capos_EntropySeed_rdseed,
               "random_source is the schema's EntropySeed");

static int
get_bytes(void *self, struct rpc_call *call,
          capos_EntropySource_getBytes_Params_reader p,
          capos_EntropySource_getBytes_Results_builder r)
{
	uint32_t n = capos_EntropySource_getBytes_Params_get_count(p);
	uint8_t buf[ENTROPY_MAX_BYTES];

	(void)self;
	if (n > ENTROPY_MAX_BYTES)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "getBytes: at most 256 bytes per call");
	random_bytes(buf, n);
	capos_EntropySource_getBytes_Results_set_data(r, buf, n);
	/* The copy in the answer is the caller's; ours goes. */
	memset(buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");
	return KERR_OK;
}

static int
info(void *self, struct rpc_call *call,
     capos_EntropySource_info_Params_reader p,
     capos_EntropySource_info_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_EntropySource_info_Results_set_seededFrom(
	    r, (enum capos_EntropySeed)random_seeded_from());
	capos_EntropySource_info_Results_set_reseeds(r, random_reseeds());
	return KERR_OK;
}

static const struct capos_EntropySource_server entropy_server = {
    .getBytes = get_bytes,
    .info = info,
};

static const struct kobject_ops entropy_ops = {
    .name = "EntropySource",
    .interface_id = capos_EntropySource_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_EntropySource_interface,
    .impl = &entropy_server,
};

static struct kobject entropy_obj = {
    .ops = &entropy_ops,
    .refs = 1,
    .interface_id = capos_EntropySource_TYPE_ID,
};

struct kobject *
entropy_object(void)
{
	return &entropy_obj;
}
