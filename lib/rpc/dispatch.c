/* The few out-of-line pieces of generated dispatch (dispatch.h). */
#include "rpc/dispatch.h"

/* Superclass chains are short; this bounds a malformed table's loop. */
#define RPC_MAX_DEPTH 16

int
rpc_exception(struct rpc_call *call, enum rpc_exc type, const char *msg)
{
	call->exc_type = type;
	call->exc_message = msg;
	return RPC_EXCEPTION;
}

static bool
answers(const struct rpc_interface *iface, uint64_t id, int depth)
{
	uint16_t i;

	if (iface->id == id)
		return true;
	if (depth == RPC_MAX_DEPTH)
		return false;
	for (i = 0; i < iface->nsupers; i++)
		if (answers(iface->supers[i], id, depth + 1))
			return true;
	return false;
}

bool
rpc_answers(const struct rpc_interface *iface, uint64_t interface_id)
{
	return answers(iface, interface_id, 0);
}
