/*
 * Params and results of calls on kernel objects are framed Cap'n Proto
 * messages.  These helpers read a call's params with the kernel's limits
 * and write a result message into the call's result buffer.
 */
#ifndef KOBJ_MESSAGE_H
#define KOBJ_MESSAGE_H

#include "capnp/build.h"
#include "capnp/read.h"
#include "kobj/kobject.h"

/* Limits on a params message: small, flat messages are all we serve. */
#define KMSG_TRAVERSAL_WORDS (CAPOS_PARAMS_MAX / 8)
#define KMSG_NESTING	     16

/*
 * Opens params[0, len) as c's params message (c->rpc.params), with the
 * kernel's limits.  Empty params read as a message whose root is an
 * empty struct (every field at its default).  Returns KERR_OK, or
 * RPC_EXCEPTION (invalidArgument) with c filled in.
 */
int kmsg_params(struct kcall *c, const uint8_t *params, uint32_t len);

/* Starts a result message in the kernel's result arena. */
void kmsg_result_begin(struct capnp_builder *b);
/* Frames the built message into c->result; returns a kcall status. */
int kmsg_result_end(struct kcall *c, struct capnp_builder *b);

#endif
