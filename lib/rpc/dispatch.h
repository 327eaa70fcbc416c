/*
 * Method dispatch from generated tables, for kernel objects and userspace
 * servers alike.
 *
 * A call names (interface id, method ordinal).  An object answers calls
 * on its own interface and on every interface it extends; tools/capnpc-c
 * generates, for each interface I of a schema file:
 *
 *   struct I_server         one handler pointer per method, the
 *                           superclasses' tables first (member named by
 *                           the superclass's schema name)
 *   I_interface             the descriptor below
 *   I_dispatch(impl, self, call)
 *
 * Dispatch finds the handler, answers `unimplemented` for a method the
 * interface does not have, a NULL handler or an interface the object does
 * not implement, checks the params (capnp_msg_validate; `invalidArgument`
 * when malformed), reads their root, starts the results root when the
 * results struct has any field, and returns what the handler returns.
 *
 * The environment (kernel/kobj, user/lib/serve.c) opens call->params and
 * a fresh call->results builder before dispatch and afterwards frames the
 * results (0 bytes when rpc_results_empty) or the exception.
 */
#ifndef RPC_DISPATCH_H
#define RPC_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "capnp/build.h"
#include "capnp/read.h"
#include "capnp/validate.h"

/* Exception types, numbered as schema/capos.capnp's ExceptionType. */
enum rpc_exc {
	RPC_EXC_FAILED = 0,
	RPC_EXC_OVERLOADED = 1,
	RPC_EXC_DISCONNECTED = 2,
	RPC_EXC_UNIMPLEMENTED = 3,
	RPC_EXC_INVALID_ARGUMENT = 4,
};

/*
 * What a handler (and rpc_dispatch) returns.  Environments may define
 * further non-negative codes >= RPC_ENV_FIRST and negative codes
 * (transport errors); dispatch passes every handler return value through
 * unchanged.
 */
enum {
	RPC_OK = 0,        /* call->results holds the answer */
	RPC_EXCEPTION = 1, /* exc_type and exc_message describe it */
	RPC_PENDING = 2,   /* the handler answers later, by itself */
	RPC_ENV_FIRST = 3,
};

struct rpc_call {
	uint64_t interface_id;         /* the interface the caller named */
	uint16_t method;               /* ordinal within that interface */
	struct capnp_msg params;       /* opened by the environment */
	struct capnp_builder *results; /* a fresh builder, framed afterwards */
	enum rpc_exc exc_type;         /* set with RPC_EXCEPTION */
	const char *exc_message;       /* kept until the answer is built */
};

struct rpc_interface {
	uint64_t id;
	const char *name;  /* schema name, "Timer" */
	uint16_t nmethods; /* own methods */
	const char *const *method_names;
	const struct rpc_interface *const *supers; /* direct superclasses */
	uint16_t nsupers;
	int (*dispatch)(const void *impl, void *self, struct rpc_call *call);
};

/* One interface of a schema file, as the generated FILE_interfaces[]
 * lists them: by schema name, with its id and the ids of the interfaces
 * it extends directly.  No descriptor: a table of names and ids must not
 * pull every interface's dispatch code into each program. */
struct rpc_interface_entry {
	const char *name;
	uint64_t id;
	const uint64_t *supers; /* direct superclasses' ids */
	uint16_t nsupers;
};

/* Sets the exception fields and returns RPC_EXCEPTION. */
int rpc_exception(struct rpc_call *call, enum rpc_exc type, const char *msg);

/* Whether iface is interface_id or extends it, directly or not. */
bool rpc_answers(const struct rpc_interface *iface, uint64_t interface_id);

/* Whether the handler left the results as the environment gave them:
 * nothing to send (0 result bytes).  Asked after every call, so inline. */
static inline bool
rpc_results_empty(const struct capnp_builder *b)
{
	uint64_t root;

	if (b->nseg == 0)
		return true;
	if (b->nseg > 1 || b->seg[0].used > 1)
		return false;
	if (b->seg[0].used == 0)
		return true;
	memcpy(&root, b->seg[0].base, sizeof(root));
	return root == 0;
}

/* impl is the interface's struct I_server; self is handed to handlers. */
static inline int
rpc_dispatch(const struct rpc_interface *iface, const void *impl, void *self,
             struct rpc_call *call)
{
	return iface->dispatch(impl, self, call);
}

#endif
