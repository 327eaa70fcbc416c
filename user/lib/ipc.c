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

	err = capos_submit(sqe);
	if (!err)
		err = capos_wait(sqe->user_data, CAPOS_TIMEOUT_INFINITE, cqe);
	return err ? err : cqe->result;
}

/* The RECV's completion, held to the buffer it was offered: a server
 * indexes the params and records by what the header says. */
static int
recv_done(const struct capos_cqe *cqe, void *buf, uint32_t len,
          struct capos_recv_header **hdr)
{
	struct capos_recv_header *h = buf;
	const struct capos_cap_record *caps;
	int n = cqe->result;

	*hdr = NULL;
	if (n < 0)
		return n;
	if ((uint32_t)n > len || (uint32_t)n < sizeof(*h) ||
	    cqe->aux0 != h->call_id || h->params_len > (uint32_t)n - sizeof(*h))
		return CAPOS_E_BAD_FIELD;
	if (capos_cap_records(h, (uint32_t)n, sizeof(*h) + h->params_len,
	                      h->ncaps, &caps) ||
	    (uintptr_t)caps - (uintptr_t)h != (uintptr_t)h->caps_offset)
		return CAPOS_E_BAD_FIELD;
	*hdr = h;
	return n;
}

static void
recv_sqe(struct capos_sqe *sqe, capos_capid_t owner, void *buf, uint32_t len)
{
	*sqe = (struct capos_sqe){
	    .opcode = CAPOS_OP_RECV,
	    .cap = owner,
	    .user_data = capos_next_tag(),
	    .result_addr = (uint64_t)(uintptr_t)buf,
	    .result_len = len,
	};
}

int
capos_recv(capos_capid_t owner, void *buf, uint32_t len,
           struct capos_recv_header **hdr)
{
	struct capos_sqe sqe;
	struct capos_cqe cqe;
	int err;

	*hdr = NULL;
	recv_sqe(&sqe, owner, buf, len);
	err = capos_submit(&sqe);
	if (!err)
		err = capos_wait(sqe.user_data, CAPOS_TIMEOUT_INFINITE, &cqe);
	return err ? err : recv_done(&cqe, buf, len, hdr);
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

static void
return_sqe(struct capos_sqe *sqe, capos_capid_t owner,
           const struct capos_answer *a)
{
	*sqe = (struct capos_sqe){
	    .opcode = CAPOS_OP_RETURN,
	    .flags = a->exception ? CAPOS_SQE_F_EXCEPTION : 0,
	    .cap = owner,
	    .user_data = capos_next_tag(),
	    .call_id = a->call_id,
	    .params_addr = a->len ? (uint64_t)(uintptr_t)a->result : 0,
	    .params_len = a->len,
	    .xfer_addr = a->nxfer ? (uint64_t)(uintptr_t)a->xfer : 0,
	    .xfer_count = a->nxfer,
	};
}

int
capos_return_answer(capos_capid_t owner, const struct capos_answer *a)
{
	struct capos_sqe sqe;
	struct capos_cqe cqe;

	return_sqe(&sqe, owner, a);
	return submit_wait(&sqe, &cqe);
}

/*
 * The RETURN is queued before the RECV, so the kernel takes both in one
 * pass: the RETURN completes at once (and wakes the caller), the RECV is
 * then waiting on the endpoint when the caller calls again, and the
 * caller's CALL meets it (the fast path, docs/ipc.md).  The first wait
 * asks for both completions, so the RETURN's alone does not end it.
 */
int
capos_return_recv(capos_capid_t owner, const struct capos_answer *a,
                  int *returned, void *buf, uint32_t len,
                  struct capos_recv_header **hdr)
{
	struct capos_sqe ret, recv;
	struct capos_cqe rc, cqe;
	int err;

	*hdr = NULL;
	return_sqe(&ret, owner, a);
	err = capos_submit(&ret);
	if (err) {
		*returned = err;
		return capos_recv(owner, buf, len, hdr);
	}
	recv_sqe(&recv, owner, buf, len);
	err = capos_submit(&recv);
	if (!err)
		err = capos_wait_first(recv.user_data, 2, &cqe);
	*returned = capos_wait(ret.user_data, CAPOS_TIMEOUT_INFINITE, &rc);
	if (!*returned)
		*returned = rc.result;
	return err ? err : recv_done(&cqe, buf, len, hdr);
}

int
capos_return(capos_capid_t owner, uint64_t call_id, const void *result,
             uint32_t len, const struct capos_xfer *xfer, uint32_t n)
{
	const struct capos_answer a = {
	    .call_id = call_id,
	    .result = result,
	    .len = len,
	    .xfer = xfer,
	    .nxfer = n,
	};

	return capos_return_answer(owner, &a);
}

int
capos_exception_frame(struct capos_msgbuf *mb, int type, const char *message)
{
	capos_CapException_builder e;

	capos_msg_begin(mb);
	e = capos_CapException_build_root(&mb->b);
	capos_CapException_set_type(e, (enum capos_ExceptionType)type);
	capos_CapException_set_message(e, message, strlen(message));
	return capos_msg_end(mb);
}

int
capos_return_exception(capos_capid_t owner, uint64_t call_id, int type,
                       const char *message)
{
	struct capos_msgbuf mb;
	struct capos_answer a = {.call_id = call_id, .exception = true};
	int err = capos_exception_frame(&mb, type, message);

	if (err)
		return err;
	a.result = mb.framed;
	a.len = mb.framed_len;
	return capos_return_answer(owner, &a);
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
