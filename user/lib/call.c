/* The generic call behind the generated client stubs (capos_call.h). */
#include "capos.h"
#include "capos_call.h"
#include "internal.h"
#include "capnp/frame.h"

void
capos_call_begin(struct capos_call *c)
{
	capnp_builder_init(&c->params, c->arena, sizeof(c->arena), 0);
	c->nxfer = 0;
	c->result_len = 0;
	c->ncaps = 0;
}

uint32_t
capos_call_add_cap(struct capos_call *c, capos_capid_t cap, uint32_t mode)
{
	if (c->nxfer == CAPOS_XFER_MAX)
		return UINT32_MAX;
	c->xfer[c->nxfer] = (struct capos_xfer){.cap = cap, .mode = mode};
	return c->nxfer++;
}

int
capos_call_send(struct capos_call *c, capos_capid_t cap,
		uint64_t interface_id, uint16_t method)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_CALL,
		.cap = cap,
		.method = method,
		.interface_id = interface_id,
		.user_data = capos_next_tag(),
		.result_addr = (uint64_t)(uintptr_t)c->result,
		.result_len = sizeof(c->result),
	};
	struct capos_cqe cqe;
	size_t framed;
	int err;

	if (capnp_builder_error(&c->params) ||
	    capnp_frame_write(&c->params, c->framed, sizeof(c->framed),
			      &framed))
		return CAPOS_E_TOO_LONG;
	sqe.params_addr = (uint64_t)(uintptr_t)c->framed;
	sqe.params_len = (uint32_t)framed;
	if (c->nxfer) {
		sqe.xfer_addr = (uint64_t)(uintptr_t)c->xfer;
		sqe.xfer_count = c->nxfer;
	}
	err = capos_submit(&sqe);
	if (!err)
		err = capos_wait(sqe.user_data, CAPOS_TIMEOUT_INFINITE, &cqe);
	if (err)
		return err;
	if (cqe.result == CAPOS_E_APP_EXCEPTION) {
		capos_exception_decode(c->result, cqe.aux0,
				       &capos_rt.last_exc);
		return cqe.result;
	}
	if (cqe.result < 0)
		return cqe.result;
	c->result_len = (uint32_t)cqe.result;
	c->ncaps = (uint32_t)cqe.aux0;
	if (capos_msg_read(&c->result_msg, c->result, c->result_len))
		return CAPOS_E_BAD_FIELD;
	return 0;
}

capos_capid_t
capos_call_result_cap(const struct capos_call *c, uint32_t index,
		      uint64_t *interface_id)
{
	const struct capos_cap_record *recs;

	if (index >= c->ncaps)
		return 0;
	recs = (const void *)(c->result + ((c->result_len + 7) & ~7u));
	if (interface_id)
		*interface_id = recs[index].interface_id;
	return recs[index].cap;
}
