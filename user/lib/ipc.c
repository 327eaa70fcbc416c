/*
 * Calls that carry capabilities, in one go or in halves, and the server
 * side of endpoints.  Every submission goes through capos_submit and
 * every completion is taken by its user_data (ring.c), so these mix
 * freely with the runtime's other calls.
 */
#include "capos.h"
#include "internal.h"

#include "capos.capnp.h"

const struct capos_cap_record *
capos_cap_records(const void *result, uint32_t payload_len)
{
	return (const void *)((const uint8_t *)result +
	                      ((payload_len + 7u) & ~7u));
}

int
capos_call_start(struct capos_op *op, capos_capid_t cap, uint64_t interface_id,
                 uint16_t method,
                 const void *params, uint32_t len,
                 const struct capos_xfer *xfer, uint32_t nxfer, void *result,
                 uint32_t result_cap)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .method = method,
	    .interface_id = interface_id,
	    .cap = cap,
	    .user_data = capos_next_tag(),
	    .params_addr = len ? (uint64_t)(uintptr_t)params : 0,
	    .params_len = len,
	    .result_addr = result_cap ? (uint64_t)(uintptr_t)result : 0,
	    .result_len = result_cap,
	    .xfer_addr = nxfer ? (uint64_t)(uintptr_t)xfer : 0,
	    .xfer_count = nxfer,
	};
	int err;

	op->tag = 0;
	op->result = result;
	op->result_cap = result_cap;
	err = capos_submit(&sqe);
	if (!err)
		op->tag = sqe.user_data;
	return err;
}

int
capos_call_finish(struct capos_op *op, uint32_t *ncaps)
{
	const struct capos_cqe *c = &op->cqe;

	op->tag = 0;
	if (ncaps)
		*ncaps = 0;
	if (c->result == CAPOS_E_APP_EXCEPTION) {
		if (c->aux0 > op->result_cap ||
		    capos_exception_decode(op->result, c->aux0,
		                           &capos_rt.last_exc))
			return CAPOS_E_BAD_FIELD; /* the answer is malformed */
		return c->result;
	}
	if (c->result < 0)
		return c->result;
	/* The kernel placed the records inside our buffer; check anyway, a
	 * caller indexes them with what the answer says. */
	if (((uint64_t)c->result + 7u) / 8u * 8u +
	        c->aux0 * sizeof(struct capos_cap_record) >
	    op->result_cap)
		return CAPOS_E_BAD_FIELD;
	if (ncaps)
		*ncaps = (uint32_t)c->aux0;
	return c->result;
}

int
capos_call_caps(capos_capid_t cap, uint64_t interface_id, uint16_t method,
                const void *params,
                uint32_t len, const struct capos_xfer *xfer, uint32_t nxfer,
                void *result, uint32_t result_cap, uint32_t *ncaps)
{
	struct capos_op op;
	int err;

	err = capos_call_start(&op, cap, interface_id, method, params, len, xfer, nxfer,
	                       result, result_cap);
	if (!err)
		err = capos_wait(op.tag, CAPOS_TIMEOUT_INFINITE, &op.cqe);
	if (err)
		return err;
	return capos_call_finish(&op, ncaps);
}

/* Submits one SQE and waits for its completion's result. */
static int
submit_wait(struct capos_sqe *sqe, struct capos_cqe *cqe)
{
	int err;

	sqe->user_data = capos_next_tag();
	err = capos_submit(sqe);
	if (!err)
		err = capos_wait(sqe->user_data, CAPOS_TIMEOUT_INFINITE, cqe);
	return err ? err : cqe->result;
}

int
capos_recv(capos_capid_t owner, void *buf, uint32_t len,
           struct capos_recv_header **hdr)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_RECV,
	    .cap = owner,
	    .result_addr = (uint64_t)(uintptr_t)buf,
	    .result_len = len,
	};
	struct capos_cqe cqe;
	struct capos_recv_header *h = buf;
	int n = submit_wait(&sqe, &cqe);

	*hdr = NULL;
	if (n < 0)
		return n;
	/* The header says where the params and records are; a server
	 * indexes them, so hold it to what was written. */
	if ((uint32_t)n < sizeof(*h) || cqe.aux0 != h->call_id ||
	    h->params_len > (uint32_t)n - sizeof(*h) ||
	    h->caps_offset < sizeof(*h) + h->params_len ||
	    h->caps_offset > (uint32_t)n ||
	    h->ncaps > ((uint32_t)n - h->caps_offset) /
	                   sizeof(struct capos_cap_record))
		return CAPOS_E_BAD_FIELD;
	*hdr = h;
	return n;
}

const void *
capos_recv_params(const struct capos_recv_header *hdr)
{
	return hdr + 1;
}

const struct capos_cap_record *
capos_recv_caps(const struct capos_recv_header *hdr)
{
	return (const void *)((const uint8_t *)hdr + hdr->caps_offset);
}

static int
do_return(capos_capid_t owner, uint64_t call_id, const void *msg, uint32_t len,
          const struct capos_xfer *xfer, uint32_t n, uint8_t flags)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_RETURN,
	    .flags = flags,
	    .cap = owner,
	    .call_id = call_id,
	    .params_addr = len ? (uint64_t)(uintptr_t)msg : 0,
	    .params_len = len,
	    .xfer_addr = n ? (uint64_t)(uintptr_t)xfer : 0,
	    .xfer_count = n,
	};
	struct capos_cqe cqe;

	return submit_wait(&sqe, &cqe);
}

int
capos_return(capos_capid_t owner, uint64_t call_id, const void *result,
             uint32_t len, const struct capos_xfer *xfer, uint32_t n)
{
	return do_return(owner, call_id, result, len, xfer, n, 0);
}

int
capos_return_exception(capos_capid_t owner, uint64_t call_id, int type,
                       const char *message)
{
	struct capos_msgbuf mb;
	capos_CapException_builder e;
	int err;

	capos_msg_begin(&mb);
	e = capos_CapException_build_root(&mb.b);
	capos_CapException_set_type(e, (enum capos_ExceptionType)type);
	capos_CapException_set_message(e, message, strlen(message));
	err = capos_msg_end(&mb);
	if (err)
		return err;
	return do_return(owner, call_id, mb.framed, mb.framed_len, NULL, 0,
	                 CAPOS_SQE_F_EXCEPTION);
}
