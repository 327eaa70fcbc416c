#include "core/kernel.h"
#include "capnp/frame.h"
#include "kobj/message.h"

#include <capos/ring.h>

/* Results of kernel objects are small; they are built here and then
 * framed into the call's result buffer. */
static uint8_t result_arena[4096] __attribute__((aligned(8)));
static const uint64_t empty_root[1]; /* a null root pointer */

int
kmsg_params(struct kcall *c, const uint8_t *params, uint32_t len)
{
	struct capnp_msg *m = &c->rpc.params;
	size_t used;
	int err;

	if (len == 0)
		err = capnp_msg_init_segment(m, empty_root, sizeof(empty_root));
	else
		err = capnp_msg_init_frame(m, params, len, &used);
	if (err)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
				       "params are not a valid message");
	capnp_msg_set_limits(m, KMSG_TRAVERSAL_WORDS, KMSG_NESTING);
	return KERR_OK;
}

void
kmsg_result_begin(struct capnp_builder *b)
{
	capnp_builder_init(b, result_arena, sizeof(result_arena), 0);
}

int
kmsg_result_end(struct kcall *c, struct capnp_builder *b)
{
	size_t written;

	if (capnp_builder_error(b) ||
	    capnp_frame_write(b, c->result, c->result_cap, &written))
		return kcall_exception(c, RPC_EXC_FAILED,
				       "result does not fit the kernel buffer");
	c->result_len = (uint32_t)written;
	return KERR_OK;
}
