/*
 * ThreadSpawner: starts a thread in the caller's own process (the thread
 * entry ABI, <capos/layout.h>) and answers with its ThreadHandle.  The
 * addresses are checked before anything exists; the thread limit is the
 * caller's, whatever spawner it holds.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "proc/process.h"

#include <capos/layout.h>
#include "core/kerr.h"

#include "capos.capnp.h"

/* A stack top is the address just past the stack: user memory below it,
 * SysV-aligned. */
static bool
stack_top_ok(uint64_t top)
{
	return top % 16 == 0 && top > CAPOS_USER_BASE && top <= CAPOS_USER_END;
}

static int
spawn(void *self, struct rpc_call *call,
      capos_ThreadSpawner_spawn_Params_reader r,
      capos_ThreadSpawner_spawn_Results_builder rb)
{
	struct kcall *c = kcall_of(call);
	uint64_t entry = capos_ThreadSpawner_spawn_Params_get_entry(r);
	uint64_t arg = capos_ThreadSpawner_spawn_Params_get_arg(r);
	uint64_t stack = capos_ThreadSpawner_spawn_Params_get_stackTop(r);
	uint64_t tls = capos_ThreadSpawner_spawn_Params_get_tlsBase(r);
	struct kobject *h;
	struct thread *t;
	uint32_t written;
	int err;

	(void)self;
	if (!capos_user_range_ok(entry, 1))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: entry is not a user address");
	if (!stack_top_ok(stack))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: stackTop is not a 16-byte "
		                       "aligned user address");
	if (tls && !capos_user_range_ok(tls, 1))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: tlsBase is not a user address");

	/* The answer first: whether the caller can take it decides before
	 * the thread exists. */
	capos_ThreadSpawner_spawn_Results_set_handle(rb, 0);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	written = c->result_len;
	err = kcall_room_for(c, 1, written);
	if (err != KERR_OK)
		return err;
	h = thread_handle_alloc();
	if (!h)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "spawn: out of memory");
	err = process_thread_spawn(c->caller, entry, arg, stack, tls, &t);
	if (err) {
		thread_handle_free(h);
		if (err == KERR_NOMEM)
			return kcall_exception(c, RPC_EXC_OVERLOADED,
			                       "spawn: out of memory");
		return err; /* QUOTA; CANCELLED: the caller is ending */
	}
	/* It runs no sooner than the caller returns to user mode, with the
	 * handle in its table. */
	thread_handle_bind(h, t);
	c->out[0] = h;
	c->nout = 1;
	c->result_len = written;
	return KERR_OK;
}

static const struct capos_ThreadSpawner_server threads_server = {
    .spawn = spawn,
};

static const struct kobject_ops threads_ops = {
    .name = "ThreadSpawner",
    .interface_id = capos_ThreadSpawner_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_ThreadSpawner_interface,
    .impl = &threads_server,
};

static struct kobject threads_obj = {
    .ops = &threads_ops,
    .refs = 1,
    .interface_id = capos_ThreadSpawner_TYPE_ID,
};

struct kobject *
threads_object(void)
{
	return &threads_obj;
}
