#include "core/kernel.h"
#include "core/counters.h"
#include "arch/x86_64/cpu.h"
#include "ipc/call.h"
#include "ipc/completion.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "ipc/ring.h"
#include "ipc/session.h"
#include "ipc/sqe.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "proc/sched.h"

#include "core/kerr.h"

#include "capos.capnp.h"

static uint64_t next_call_id = 1;

uint64_t
call_next_id(void)
{
	return next_call_id++;
}

/* The call index (ipc/call.h): a power of two, so the slot is the id's
 * low bits. */
#define CALL_INDEX 256
static struct ipc_call *call_index[CALL_INDEX];

void
call_index_add(struct ipc_call *c)
{
	call_index[c->id & (CALL_INDEX - 1)] = c;
}

struct ipc_call *
call_index_find(const struct endpoint *ep, uint64_t id)
{
	struct ipc_call *c = call_index[id & (CALL_INDEX - 1)];

	/* Only delivered calls are indexed, and a freed one leaves it. */
	return c && c->id == id && c->ep == ep ? c : NULL;
}

/* Freed call records are kept for reuse: the call path then touches no
 * allocator while calls come and go at a steady rate. */
#define CALL_CACHE 64
static struct ipc_call *call_cache[CALL_CACHE];
static unsigned ncached;

struct ipc_call *
call_cached(void)
{
	struct ipc_call *c;

	if (!ncached)
		return NULL;
	/* Every field is set before use, except these two. */
	c = call_cache[--ncached];
	c->params = NULL;
	c->delivered = false;
	return c;
}

static struct ipc_call *
call_alloc(void)
{
	struct ipc_call *c = call_cached();

	/* Every other field is set by endpoint_forward before use. */
	return c ? c : kzalloc(sizeof(struct ipc_call));
}

void
endpoint_cache_drain(void)
{
	while (ncached)
		kfree(call_cache[--ncached]);
}

static void
call_release(struct ipc_call *c)
{
	if (ncached < CALL_CACHE)
		call_cache[ncached++] = c;
	else
		kfree(c);
}
/* Delivery staging: header + params + records, built here and copied to
 * the receiver in one go. */
static uint8_t stage[sizeof(struct capos_recv_header) + CAPOS_PARAMS_MAX + 8 +
                     CAPOS_XFER_MAX * sizeof(struct capos_cap_record)];

#define EP_FROM_OWNER(o)                                                       \
	((struct endpoint *)((char *)(o)-offsetof(struct endpoint, owner)))
#define EP_FROM_CLIENT(o)                                                      \
	((struct endpoint *)((char *)(o)-offsetof(struct endpoint, client)))

static void endpoint_owner_destroy(struct kobject *obj);
static void endpoint_client_destroy(struct kobject *obj);
static int32_t client_call(struct kobject *client, struct kcall *kc);
static int32_t endpoint_recv(struct kobject *owner, struct kcall *kc);
static int32_t endpoint_return(struct kobject *owner, struct kcall *kc);

/* The owner side serves RECV and RETURN, and a CALL of its one method,
 * Endpoint.client (ipc/facet.c). */
const struct kobject_ops endpoint_owner_ops = {
    .name = "Endpoint",
    .interface_id = capos_Endpoint_TYPE_ID,
    .xfer_mode = CAP_XFER_NON_TRANSFERABLE,
    .call = kobject_call,
    .iface = &capos_Endpoint_interface,
    .impl = &endpoint_owner_server,
    .recv = endpoint_recv,
    .ret = endpoint_return,
    .destroy = endpoint_owner_destroy,
};

/* A client facet only forwards CALLs, whatever their interface: the
 * server's dispatch decides what it answers.  Facets minted by
 * Endpoint.client (ipc/facet.c) behave the same, with their badge. */
const struct kobject_ops endpoint_client_ops = {
    .name = "EndpointClient",
    .interface_id = 0, /* per endpoint */
    .xfer_mode = CAP_XFER_COPY,
    .call = client_call,
    .destroy = endpoint_client_destroy,
};

struct endpoint *
endpoint_create(struct process *owner, uint64_t interface_id)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));

	if (!ep)
		return NULL;
	ep->owner =
	    (struct kobject){&endpoint_owner_ops, 1, capos_Endpoint_TYPE_ID};
	ep->client = (struct kobject){&endpoint_client_ops, 1, interface_id};
	ep->server = owner;
	ep->queue_limit = owner->limits.endpoint_queue;
	TAILQ_INIT(&ep->pending);
	TAILQ_INIT(&ep->inflight);
	TAILQ_INIT(&ep->receivers);
	return ep;
}

struct kobject *
endpoint_owner_obj(struct endpoint *ep)
{
	return &ep->owner;
}

struct kobject *
endpoint_client_obj(struct endpoint *ep)
{
	return &ep->client;
}

static void
maybe_free(struct endpoint *ep)
{
	if (ep->owner.refs == 0 && ep->client.refs == 0 &&
	    TAILQ_EMPTY(&ep->pending) && TAILQ_EMPTY(&ep->inflight))
		kfree(ep);
}

void
call_free(struct ipc_call *c)
{
	struct ipc_call **slot = &call_index[c->id & (CALL_INDEX - 1)];

	if (*slot == c)
		*slot = NULL;
	kfree(c->params);
	call_release(c);
}

/* The caller's completion: posted once, through its record. */
static inline void
answer(struct ipc_call *c, int32_t result, uint64_t aux0, bool next)
{
	if (!c->done)
		return; /* an orphan: the caller gave up */
	c->caller->outstanding--;
	if (next)
		completion_post_next(c->done, result, aux0);
	else
		completion_post(c->done, result, aux0);
	c->done = NULL;
	c->caller = NULL;
}

void
call_answer(struct ipc_call *c, int32_t result, uint64_t aux0)
{
	answer(c, result, aux0, false);
}

void
call_answer_next(struct ipc_call *c, int32_t result, uint64_t aux0)
{
	answer(c, result, aux0, true);
}

/* Ends a call that will not be answered: the caller gets err. */
static void
fail_call(struct ipc_call *c, int32_t err)
{
	struct endpoint *ep = c->ep;

	TAILQ_REMOVE(c->delivered ? &ep->inflight : &ep->pending, c, ep_link);
	if (!c->delivered) {
		ep->queued--;
		xfer_abort(&c->xfer);
	}
	call_answer(c, err, 0);
	call_free(c);
}

/*
 * The caller gave up on its CALL (released the facet it called through,
 * or is going away); its record is posted CANCELLED next.  A queued call
 * is withdrawn and its caps go back to the caller; a delivered one stays
 * in flight as an orphan, and the server's RETURN for it gets
 * KERR_DISCONNECTED.
 */
static void
call_withdraw(struct completion *rec)
{
	struct ipc_call *c = rec->obj;
	struct endpoint *ep = c->ep;

	c->caller->outstanding--;
	c->done = NULL;
	if (c->delivered) {
		c->caller = NULL;
		return;
	}
	TAILQ_REMOVE(&ep->pending, c, ep_link);
	ep->queued--;
	xfer_abort(&c->xfer);
	c->caller = NULL;
	call_free(c);
	maybe_free(ep);
}

const struct completion_ops call_ops = {
    .name = "CALL",
    .withdraw = call_withdraw,
};

/* The server released the owner side, or is going away: this RECV waits
 * no more. */
void
endpoint_recv_unqueue(struct completion *rec)
{
	struct endpoint *ep = rec->obj;

	TAILQ_REMOVE(&ep->receivers, rec, wait_link);
	ep->nreceivers--;
}

const struct completion_ops recv_ops = {
    .name = "RECV",
    .withdraw = endpoint_recv_unqueue,
};

/* The owner is gone: nothing on this endpoint will ever be answered. */
static void
endpoint_die(struct endpoint *ep)
{
	struct completion *r;
	struct ipc_call *c;

	ep->dead = true;
	ep->server = NULL;
	/* Releasing the owner side cancelled its RECVs already; this only
	 * keeps the promise should one still wait. */
	while ((r = TAILQ_FIRST(&ep->receivers))) {
		endpoint_recv_unqueue(r);
		completion_post(r, KERR_CANCELLED, 0);
	}
	while ((c = TAILQ_FIRST(&ep->pending)))
		fail_call(c, KERR_DISCONNECTED);
	while ((c = TAILQ_FIRST(&ep->inflight)))
		fail_call(c, KERR_DISCONNECTED);
}

static void
endpoint_owner_destroy(struct kobject *obj)
{
	struct endpoint *ep = EP_FROM_OWNER(obj);

	endpoint_die(ep);
	maybe_free(ep);
}

static void
endpoint_client_destroy(struct kobject *obj)
{
	maybe_free(EP_FROM_CLIENT(obj));
}

/*
 * Moves a queued call into the buffer of a receiver (a RECV's record).
 * Returns the RECV's CQE result (bytes written) with *call_id set, or an
 * error: the receiver's buffer is too small (TRUNCATED) or bad
 * (BAD_BUFFER), and the call stays queued; or the receiver cannot take
 * the call's caps (QUOTA), which the caller decides about.
 */
static int32_t
deliver(struct endpoint *ep, struct ipc_call *c, const struct completion *r,
        uint64_t *call_id)
{
	struct capos_recv_header *h = (struct capos_recv_header *)stage;
	struct capos_cap_record *recs;
	uint32_t caps_off, total;
	int err;

	caps_off = ALIGN_UP(sizeof(*h) + c->params_len, 8u);
	total = caps_off + c->xfer.n * (uint32_t)sizeof(*recs);
	if (total > r->result_len)
		return KERR_TRUNCATED;
	recs = (struct capos_cap_record *)(stage + caps_off);
	/* Params come from the kernel copy of a queued call, or straight
	 * from the caller when the call is delivered as it is made. */
	if (c->params)
		memcpy(stage + sizeof(*h), c->params, c->params_len);
	else if (c->params_len &&
	         aspace_copy_in(&c->caller->as, stage + sizeof(*h),
	                        c->params_addr, c->params_len))
		return KERR_BAD_BUFFER;
	err = xfer_install(r->proc, &c->xfer, CAP_ORIGIN_IPC_TRANSFER, recs);
	if (err)
		return err;
	if (ep->last_caller_pid != c->caller->pid) {
		uint64_t epoch;

		session_ref(r->proc, c->caller, ep->last_session, &epoch);
		ep->last_caller_pid = c->caller->pid;
	}
	/* Every field, the reserved one included, is written here. */
	*h = (struct capos_recv_header){
	    .call_id = c->id,
	    .session = {ep->last_session[0], ep->last_session[1]},
	    .session_epoch = 1,
	    .method = c->method,
	    .params_len = c->params_len,
	    .ncaps = c->xfer.n,
	    .caps_offset = caps_off,
	    .interface_id = c->interface_id,
	    .badge = c->badge,
	};
	memset(stage + sizeof(*h) + c->params_len, 0,
	       caps_off - sizeof(*h) - c->params_len);
	if (aspace_copy_out(&r->proc->as, r->result_addr, stage, total)) {
		xfer_uninstall(r->proc, &c->xfer, recs);
		return KERR_BAD_BUFFER;
	}
	xfer_commit(&c->xfer);
	TAILQ_REMOVE(&ep->pending, c, ep_link);
	ep->queued--;
	c->delivered = true;
	TAILQ_INSERT_TAIL(&ep->inflight, c, ep_link);
	call_index_add(c);
	kfree(c->params);
	c->params = NULL;
	*call_id = c->id;
	return (int32_t)total;
}

/* Bytes a RECV buffer needs for call c. */
static uint32_t
recv_size(const struct ipc_call *c)
{
	return ALIGN_UP((uint32_t)sizeof(struct capos_recv_header) +
	                    c->params_len,
	                8u) +
	       c->xfer.n * (uint32_t)sizeof(struct capos_cap_record);
}

/* CALL through a client facet: forwarded to the server. */
int32_t
endpoint_forward(struct endpoint *ep, uint64_t badge, struct kcall *kc)
{
	if (fastpath_call(ep, badge, kc))
		return KCALL_PENDING;
	return endpoint_forward_general(ep, badge, kc);
}

int32_t
endpoint_forward_general(struct endpoint *ep, uint64_t badge, struct kcall *kc)
{
	struct process *caller = kc->caller;
	const struct capos_sqe *sqe = kc->sqe;
	struct ipc_call *c;
	int err;

	if (ep->dead)
		return KERR_DISCONNECTED;
	if (caller->outstanding >= caller->limits.outstanding_calls ||
	    ep->queued >= ep->queue_limit)
		return KERR_QUOTA;
	if (sqe->result_len && aspace_check(&caller->as, sqe_result_addr(sqe),
	                                    sqe->result_len, true))
		return KERR_BAD_BUFFER;
	c = call_alloc();
	if (!c)
		return KERR_NOMEM;
	c->params_addr = sqe_params_addr(sqe);
	c->params_len = sqe->params_len;
	/* A call that will wait in the queue keeps its own copy of the
	 * params; one a receiver takes now is read from the caller. */
	if (sqe->params_len && ep->nreceivers == 0) {
		err = KERR_NOMEM;
		c->params = kmalloc(sqe->params_len);
		if (!c->params)
			goto fail;
		err = KERR_BAD_BUFFER;
		if (aspace_copy_in(&caller->as, c->params, c->params_addr,
		                   sqe->params_len))
			goto fail;
	}
	err = xfer_take(caller, sqe_xfer_addr(sqe), sqe->xfer_count, &c->xfer);
	if (err)
		goto fail;
	/* From here on the call is answered through its record. */
	c->id = call_next_id();
	c->ep = ep;
	c->caller = caller;
	c->done = completion_open(caller, sqe, &call_ops, c);
	c->method = sqe->method;
	c->interface_id = sqe->interface_id;
	c->badge = badge;
	TAILQ_INSERT_TAIL(&ep->pending, c, ep_link);
	ep->queued++;
	caller->outstanding++;

	/* A receiver is waiting: deliver now and let the server run next. */
	while (!TAILQ_EMPTY(&ep->receivers)) {
		struct completion *r = TAILQ_FIRST(&ep->receivers);
		uint64_t id;
		int32_t res;

		res = deliver(ep, c, r, &id);
		if (res == KERR_QUOTA ||
		    (res == KERR_BAD_BUFFER && !c->params &&
		     aspace_check(&caller->as, c->params_addr, c->params_len,
		                  false))) {
			/* The call itself cannot be delivered (the server
			 * cannot take its caps, or the caller's params are
			 * bad): it fails, the receiver waits on. */
			fail_call(c, res);
			return KCALL_PENDING;
		}
		endpoint_recv_unqueue(r);
		if (res >= 0) {
			completion_post_next(r, res, id);
			return KCALL_PENDING;
		}
		/* That receiver's buffer was too small or bad: its RECV
		 * fails, and the next receiver is tried. */
		completion_post(r, res,
		                res == KERR_TRUNCATED ? recv_size(c) : 0);
	}
	/* Queued after all (every receiver failed): keep a copy now. */
	if (c->params_len && !c->params) {
		c->params = kmalloc(c->params_len);
		if (!c->params ||
		    aspace_copy_in(&caller->as, c->params, c->params_addr,
		                   c->params_len)) {
			fail_call(c, c->params ? KERR_BAD_BUFFER : KERR_NOMEM);
			return KCALL_PENDING;
		}
	}
	return KCALL_PENDING;

fail:
	/* Nothing was taken or queued yet: only the record and its copy. */
	call_free(c);
	return err;
}

/* The endpoint's own client facet has badge 0. */
static int32_t
client_call(struct kobject *client, struct kcall *kc)
{
	return endpoint_forward(EP_FROM_CLIENT(client), 0, kc);
}

static int32_t
endpoint_recv(struct kobject *owner, struct kcall *kc)
{
	struct process *server = kc->caller;
	const struct capos_sqe *sqe = kc->sqe;
	struct capos_cqe *cqe = kc->cqe;
	struct endpoint *ep = EP_FROM_OWNER(owner);
	struct completion probe = {.proc = server,
	                           .result_addr = sqe_result_addr(sqe),
	                           .result_len = sqe->result_len};
	struct completion *r;
	struct ipc_call *c;

	if (ep->server != server)
		return KERR_NOT_SUPPORTED;
	/* The range was checked with the SQE; whether the pages are there
	 * is checked by the copy at delivery, for the bytes a message
	 * actually uses, and a failure there fails only this RECV. */
	while ((c = TAILQ_FIRST(&ep->pending))) {
		uint64_t id;
		int32_t res = deliver(ep, c, &probe, &id);

		if (res == KERR_QUOTA) {
			fail_call(c, KERR_QUOTA);
			continue;
		}
		if (res == KERR_TRUNCATED) {
			cqe->aux0 = recv_size(c);
			return res;
		}
		if (res >= 0)
			cqe->aux0 = id;
		return res;
	}
	if (ep->nreceivers == ENDPOINT_MAX_RECEIVERS)
		return KERR_QUOTA;
	r = completion_open(server, sqe, &recv_ops, ep);
	TAILQ_INSERT_TAIL(&ep->receivers, r, wait_link);
	ep->nreceivers++;
	return KCALL_PENDING;
}

static int32_t
endpoint_return(struct kobject *owner, struct kcall *kc)
{
	struct endpoint *ep = EP_FROM_OWNER(owner);

	if (ep->server != kc->caller)
		return KERR_NOT_SUPPORTED;
	if (fastpath_return(ep, kc))
		return 0;
	return endpoint_return_general(ep, kc);
}

int32_t
endpoint_return_general(struct endpoint *ep, struct kcall *kc)
{
	struct process *server = kc->caller;
	const struct capos_sqe *sqe = kc->sqe;
	struct capos_cap_record recs[CAPOS_XFER_MAX];
	struct xfer_set xs;
	struct ipc_call *c;
	struct process *caller;
	uint32_t caps_off, total, ncaps;
	uint64_t aux0 = 0;
	int32_t result;
	bool wake = false;
	int err;

	/* Most calls are in the index; one whose slot a later call took
	 * is found on the in-flight list. */
	c = call_index_find(ep, sqe->call_id);
	if (!c)
		TAILQ_FOREACH(c, &ep->inflight, ep_link)
			if (c->id == sqe->call_id)
				break;
	if (!c)
		return KERR_BAD_CALL_ID;
	caller = c->caller;
	if (!caller) {
		/* The caller gave up: the answer has nowhere to go. */
		TAILQ_REMOVE(&ep->inflight, c, ep_link);
		call_free(c);
		return KERR_DISCONNECTED;
	}
	err = xfer_take(server, sqe_xfer_addr(sqe), sqe->xfer_count, &xs);
	if (err)
		return err;
	caps_off = ALIGN_UP(sqe->params_len, 8u);
	total = caps_off + xs.n * (uint32_t)sizeof(recs[0]);
	if (total > CAPOS_RESULT_MAX) {
		err = KERR_TOO_LONG;
		goto abort;
	}
	if (sqe->params_len &&
	    aspace_copy_in(&server->as, stage, sqe_params_addr(sqe),
	                   sqe->params_len)) {
		err = KERR_BAD_BUFFER;
		goto abort;
	}

	/* From here on the call is answered whatever happens. */
	TAILQ_REMOVE(&ep->inflight, c, ep_link);
	if (total > c->done->result_len) {
		/* The caller's buffer is too small: it learns the size; the
		 * RETURN itself succeeded. */
		result = KERR_TRUNCATED;
		aux0 = total;
		err = KERR_OK;
		wake = true;
		goto answer_failed;
	}
	err = xfer_install(caller, &xs, CAP_ORIGIN_RESULT_CAP, recs);
	if (err) {
		result = err;
		goto answer_failed;
	}
	memset(stage + sqe->params_len, 0, caps_off - sqe->params_len);
	memcpy(stage + caps_off, recs, xs.n * sizeof(recs[0]));
	if (aspace_copy_out(&caller->as, c->done->result_addr, stage, total)) {
		xfer_uninstall(caller, &xs, recs);
		result = KERR_BAD_BUFFER;
		err = KERR_OK;
		goto answer_failed;
	}
	ncaps = xs.n;
	xfer_commit(&xs);
	if (sqe->flags & CAPOS_SQE_F_EXCEPTION)
		result = KERR_EXCEPTION;
	else
		result = (int32_t)sqe->params_len;
	/* aux0: the exception's length, or the number of result caps. */
	call_answer_next(c, result,
	                 result == KERR_EXCEPTION ? sqe->params_len : ncaps);
	call_free(c);
	return 0;

answer_failed:
	/* The caller gets result; the server's RETURN answers err. */
	xfer_abort(&xs);
	if (wake)
		call_answer_next(c, result, aux0);
	else
		call_answer(c, result, aux0);
	call_free(c);
	return err;
abort:
	/* Nothing happened: the call stays in flight. */
	xfer_abort(&xs);
	return err;
}
