/* Params messages built in a caller buffer and results read back. */
#include "capos.h"
#include "capnp/frame.h"

void
capos_msg_begin(struct capos_msgbuf *mb)
{
	capnp_builder_init(&mb->b, mb->arena, sizeof(mb->arena), 0);
	mb->framed_len = 0;
}

int
capos_msg_end(struct capos_msgbuf *mb)
{
	size_t written;

	if (capnp_builder_error(&mb->b) ||
	    capnp_frame_write(&mb->b, mb->framed, sizeof(mb->framed), &written))
		return CAPOS_E_TOO_LONG;
	mb->framed_len = (uint32_t)written;
	return 0;
}

static const uint64_t empty_root[1];

int
capos_msg_read(struct capnp_msg *m, const void *buf, size_t len)
{
	size_t used;

	if (len == 0)
		return capnp_msg_init_segment(m, empty_root,
		                              sizeof(empty_root));
	return capnp_msg_init_frame(m, buf, len, &used);
}
