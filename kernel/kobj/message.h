/*
 * Params and results of calls on kernel objects are framed Cap'n Proto
 * messages.  These helpers read a call's params with the kernel's limits
 * and write a result message into the call's result buffer.
 */
#ifndef KOBJ_MESSAGE_H
#define KOBJ_MESSAGE_H

#include "capnp/build.h"
#include "capnp/frame.h"
#include "capnp/read.h"
#include "kobj/kobject.h"

#include <capos/ring.h>

/* Limits on a params message: small, flat messages are all we serve. */
#define KMSG_TRAVERSAL_WORDS (CAPOS_PARAMS_MAX / 8)
#define KMSG_NESTING         16

/* A null root pointer: what empty params read as. */
extern const uint64_t kmsg_empty_root[1];

/*
 * Opens params[0, len) as c's params message (c->rpc.params), with the
 * kernel's limits.  Empty params read as a message whose root is an
 * empty struct (every field at its default).  Returns KERR_OK, or
 * RPC_EXCEPTION (invalidArgument) with c filled in.  Inline: it runs
 * on every call of a kernel object.
 */
static inline int
kmsg_params(struct kcall *c, const uint8_t *params, uint32_t len)
{
	struct capnp_msg *m = &c->rpc.params;
	size_t used;
	int err;

	if (len == 0)
		err = capnp_msg_init_segment(m, kmsg_empty_root,
		                             sizeof(kmsg_empty_root));
	else
		err = capnp_msg_init_frame(m, params, len, &used);
	if (err)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "params are not a valid message");
	capnp_msg_set_limits(m, KMSG_TRAVERSAL_WORDS, KMSG_NESTING);
	return KERR_OK;
}

/* Results of kernel objects are small; they are built here and then
 * framed into the call's result buffer.  The largest is a 4096-byte
 * chunk of data (BootPackage.readManifest, SerialPort.write's bound)
 * with the message around it, so the arena has room for that and more. */
#define KMSG_RESULT_ARENA 8192
extern uint8_t kmsg_result_arena[KMSG_RESULT_ARENA];

/* Prepares a result message in the arena; it is started only if the
 * method writes results (capnp_builder_init_lazy), most do not. */
static inline void
kmsg_result_begin(struct capnp_builder *b)
{
	capnp_builder_init_lazy(b, kmsg_result_arena, sizeof(kmsg_result_arena),
	                        0);
}

/* Frames the built message into c->result; returns a kcall status. */
int kmsg_result_end(struct kcall *c, struct capnp_builder *b);

#endif
