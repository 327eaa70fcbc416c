/*
 * The server side of endpoints: RECV and RETURN, and Endpoint.client.
 * Every submission goes through capos_submit and every completion is
 * taken by its user_data (ring.c), so these mix freely with the
 * runtime's calls.
 */
#include "capos.h"
#include "internal.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

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
	const struct capos_cap_record *caps;
	int n = submit_wait(&sqe, &cqe);

	*hdr = NULL;
	if (n < 0)
		return n;
	/* The header says where the params and records are; a server
	 * indexes them, so hold it to what was written, and the records to
	 * where the kernel puts them. */
	if ((uint32_t)n > len || (uint32_t)n < sizeof(*h) ||
	    cqe.aux0 != h->call_id || h->params_len > (uint32_t)n - sizeof(*h))
		return CAPOS_E_BAD_FIELD;
	if (capos_cap_records(h, (uint32_t)n, sizeof(*h) + h->params_len,
	                      h->ncaps, &caps) ||
	    (uintptr_t)caps - (uintptr_t)h != (uintptr_t)h->caps_offset)
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

int
capos_endpoint_client(capos_capid_t owner, uint64_t interface_id,
                      uint64_t badge, capos_capid_t *client)
{
	capos_Endpoint_client_Params_builder p;
	struct capnp_ptr cp;
	uint64_t iid = 0;
	int err;

	*client = 0;
	capos_mutex_lock(&call_lock);
	p = capos_Endpoint_client_begin(&call);
	capos_Endpoint_client_Params_set_interfaceId(p, interface_id);
	capos_Endpoint_client_Params_set_badge(p, badge);
	err = capos_Endpoint_client_send(&call, owner);
	if (!err) {
		cp = capos_Endpoint_client_Results_get_client(
		    capos_Endpoint_client_results(&call));
		if (cp.type == CAPNP_PTR_CAP)
			*client = capos_call_result_cap(&call, cp.u.cap, &iid);
		/* The kernel says what it made: hold it to what was asked. */
		if (!*client || iid != interface_id ||
		    capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}
