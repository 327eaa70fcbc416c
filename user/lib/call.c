/*
 * The CALL: one path for every call libcapos makes.  capos_call_submit
 * turns a call description into an SQE, capos_call_complete reads its
 * completion (exception decoded, lengths and records held to the buffer
 * offered), and capos_call is the two with a wait between them.  The
 * generated client stubs (capos_call.h) frame their params, make the call
 * here and open the result message.
 */
#include "capos.h"
#include "capos_call.h"
#include "internal.h"

#include "capos.capnp.h"

/* The CALL, written straight into an SQ slot. */
static inline __attribute__((always_inline)) void
call_write(struct capos_sqe *sqe, const struct capos_call_desc *d,
           uint64_t user_data)
{
	*sqe = (struct capos_sqe){
	    .opcode = CAPOS_OP_CALL,
	    .method = d->method,
	    .cap = d->cap,
	    .user_data = user_data,
	    .params_addr = d->params_len ? (uint64_t)(uintptr_t)d->params : 0,
	    .params_len = d->params_len,
	    .result_addr = d->result_cap ? (uint64_t)(uintptr_t)d->result : 0,
	    .result_len = d->result_cap,
	    .interface_id = d->interface_id,
	    .xfer_addr = d->nxfer ? (uint64_t)(uintptr_t)d->xfer : 0,
	    .xfer_count = d->nxfer,
	};
}

static int
call_submit(const struct capos_call_desc *d, uint64_t user_data)
{
	struct capos_sqe *sqe = NULL;
	int err = capos_submit_slot(&sqe);

	if (err)
		return err;
	call_write(sqe, d, user_data);
	capos_submit_commit();
	return 0;
}

int
capos_call_submit(const struct capos_call_desc *d, uint64_t user_data)
{
	if (user_data == 0 || (user_data & CAPOS_RUNTIME_TAG))
		return CAPOS_E_BAD_ARG;
	return call_submit(d, user_data);
}

/* The answer is a CapException of len bytes: decode it for
 * capos_last_exception, or say the answer is malformed. */
static int __attribute__((noinline))
exception(const struct capos_call_desc *d, uint64_t len)
{
	if (len > d->result_cap ||
	    capos_exception_decode(d->result, (size_t)len, &capos_rt.last_exc))
		return CAPOS_E_BAD_FIELD;
	return CAPOS_E_APP_EXCEPTION;
}

/* The object behind the cap is gone: the kernel says so with a transport
 * code (it needs no message, nor room for one), and programs see it as
 * the exception it stands for (docs/abi.md, section 4). */
static int
disconnected(void)
{
	capos_rt.last_exc.type = capos_ExceptionType_disconnected;
	str_copy(capos_rt.last_exc.message, "the object behind the cap is gone",
	         sizeof(capos_rt.last_exc.message));
	return CAPOS_E_APP_EXCEPTION;
}

int
capos_call_complete(const struct capos_call_desc *d,
                    const struct capos_cqe *cqe, struct capos_reply *r)
{
	const struct capos_cap_record *caps;

	r->len = 0;
	r->ncaps = 0;
	r->caps = NULL;
	if (cqe->result < 0) {
		if (cqe->result == CAPOS_E_APP_EXCEPTION)
			return exception(d, cqe->aux0);
		if (cqe->result == CAPOS_E_DISCONNECTED)
			return disconnected();
		return cqe->result;
	}
	/* The kernel wrote inside the buffer; check anyway, since callers
	 * index the payload and records by what the answer says. */
	if (capos_cap_records(d->result, d->result_cap, (uint32_t)cqe->result,
	                      cqe->aux0, &caps))
		return CAPOS_E_BAD_FIELD;
	r->len = (uint32_t)cqe->result;
	r->ncaps = (uint32_t)cqe->aux0;
	r->caps = caps;
	return 0;
}

/*
 * The common case goes straight through: the SQE written into the ring,
 * one cap_enter, the CQE at the head taken, and an answer without caps
 * read without the record checks.  Anything else (a full SQ, releases to
 * flush, other completions around) takes the general path.
 */
int
capos_call(const struct capos_call_desc *d, struct capos_reply *r)
{
	struct capos_ring_page *ring = capos_rt.ring;
	uint64_t tag = capos_tag_fast();
	struct capos_sqe *sqe = capos_sq_slot_fast(ring);
	struct capos_cqe cqe;
	int err = 0;

	if (__builtin_expect(sqe != NULL, 1)) {
		call_write(sqe, d, tag);
		capos_sq_commit_fast(ring);
		if (!capos_wait_fast(ring, tag, &cqe)) {
			capos_rt.in_flight++;
			err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
		}
	} else {
		err = call_submit(d, tag);
		if (!err)
			err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	}
	if (__builtin_expect(!err && cqe.result >= 0 && cqe.aux0 == 0 &&
	                         (uint32_t)cqe.result <= d->result_cap,
	                     1)) {
		r->len = (uint32_t)cqe.result;
		r->ncaps = 0;
		r->caps = NULL;
		return 0;
	}
	if (err) {
		r->len = 0;
		r->ncaps = 0;
		r->caps = NULL;
		return err;
	}
	return capos_call_complete(d, &cqe, r);
}

int
capos_call_empty(capos_capid_t cap, uint64_t interface_id, uint16_t method)
{
	/* Room for an exception's text; a longer answer is TRUNCATED. */
	uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_call_desc d = {
	    .cap = cap,
	    .method = method,
	    .interface_id = interface_id,
	    .result = buf,
	    .result_cap = sizeof(buf),
	};
	struct capos_reply r;

	return capos_call(&d, &r);
}

/* --- the generic half of the typed stubs -------------------------------- */

void
capos_call_begin(struct capos_call *c)
{
	/* One segment, the whole buffer after the frame header. */
	capnp_builder_init(&c->params, c->framed + CAPOS_CALL_FRAME_HEADER,
	                   CAPOS_CALL_PARAMS_MAX, 0);
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
capos_call_send(struct capos_call *c, capos_capid_t cap, uint64_t interface_id,
                uint16_t method)
{
	struct capos_call_desc d = {
	    .cap = cap,
	    .method = method,
	    .interface_id = interface_id,
	    .xfer = c->xfer,
	    .nxfer = c->nxfer,
	    .result = c->result,
	    .result_cap = sizeof(c->result),
	};
	struct capos_reply r;
	size_t words;
	uint32_t head[2];
	int err;

	if (capnp_builder_error(&c->params) || c->params.nseg != 1)
		return CAPOS_E_TOO_LONG;
	/* A message of one word is a root pointer to an empty struct (or
	 * none): no params reads the same, and costs nothing to frame. */
	words = capnp_builder_words(&c->params);
	if (words > 1) {
		head[0] = 0; /* segments less one */
		head[1] = (uint32_t)words;
		memcpy(c->framed, head, sizeof(head));
		d.params = c->framed;
		d.params_len = (uint32_t)(CAPOS_CALL_FRAME_HEADER + words * 8);
	}
	err = capos_call(&d, &r);
	c->result_len = r.len;
	c->ncaps = r.ncaps;
	if (err)
		return err;
	if (capos_msg_read(&c->result_msg, c->result, r.len))
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
	if (capos_cap_records(c->result, sizeof(c->result), c->result_len,
	                      c->ncaps, &recs))
		return 0;
	if (interface_id)
		*interface_id = recs[index].interface_id;
	return recs[index].cap;
}
