/*
 * Threads of this process: ThreadSpawner.spawn and ThreadHandle.join.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

/* About 20 KiB (capos_call.h): one for the runtime, which is the main
 * thread's. */
static struct capos_call c;

int
capos_thread_spawn(capos_capid_t spawner, uint64_t entry, uint64_t arg,
                   uint64_t stack_top, uint64_t tls, capos_capid_t *handle)
{
	capos_ThreadSpawner_spawn_Params_builder p =
	    capos_ThreadSpawner_spawn_begin(&c);
	uint64_t iid = 0;
	int err;

	capos_ThreadSpawner_spawn_Params_set_entry(p, entry);
	capos_ThreadSpawner_spawn_Params_set_arg(p, arg);
	capos_ThreadSpawner_spawn_Params_set_stackTop(p, stack_top);
	capos_ThreadSpawner_spawn_Params_set_tlsBase(p, tls);
	*handle = 0;
	err = capos_ThreadSpawner_spawn_send(&c, spawner);
	if (err)
		return err;
	*handle =
	    capos_call_result_cap(&c,
	                          capos_ThreadSpawner_spawn_Results_get_handle(
	                              capos_ThreadSpawner_spawn_results(&c)),
	                          &iid);
	return *handle && iid == capos_ThreadHandle_TYPE_ID ? 0
	                                                    : CAPOS_E_BAD_FIELD;
}

int
capos_thread_join(capos_capid_t handle, uint64_t *exit_value)
{
	int err;

	capos_ThreadHandle_join_begin(&c);
	err = capos_ThreadHandle_join_send(&c, handle);
	*exit_value = err ? 0
	                  : capos_ThreadHandle_join_Results_get_exitValue(
	                        capos_ThreadHandle_join_results(&c));
	return err;
}
