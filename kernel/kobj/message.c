#include "core/kernel.h"
#include "capnp/frame.h"
#include "kobj/message.h"

#include <capos/ring.h>

uint8_t kmsg_result_arena[KMSG_RESULT_ARENA] __attribute__((aligned(8)));
const uint64_t kmsg_empty_root[1];

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
