/*
 * The IPC fast path (ipc/fastpath.h), in the seL4 style: each operation
 * is a straight line of guards, then the work, which cannot fail.  No
 * allocation, no loop but the copy, no logging.  What it leaves out, the
 * general path does: queueing, capability transfer, session hashing,
 * truncation and every error answer.  So a guard that fails returns
 * false before anything changed, and the general path sees the SQE as if
 * the fast path did not exist.
 *
 * CALL: the oldest waiting RECV takes the call.  The header and params
 * are written straight into the receiver's buffer (one copy, through the
 * direct map, of at most three pieces: each buffer spans at most two
 * pages), the RECV completes, the call goes in flight and in the call
 * index, and the server runs next.  RETURN: the call is found by index, the result written straight
 * into the caller's buffer, and the caller's CALL completes; the caller
 * runs next.  The server's ring pass goes on (its next SQE is usually
 * the RECV for the next call), so the RETURN does not switch at once.
 *
 * SMP: the guards and the updates after them must be atomic against
 * other CPUs: under the endpoint's lock, with the receiver's and the
 * caller's address spaces kept alive (and their pages mapped) for the
 * copy, and the call cache per CPU.
 */
#include "core/kernel.h"
#include "core/counters.h"
#include "ipc/call.h"
#include "ipc/completion.h"
#include "ipc/fastpath.h"
#include "ipc/sqe.h"
#include "mm/aspace.h"
#include "proc/process.h"

#include "core/kerr.h"

static const uint8_t zeros[8];

/* The most of a result buffer the fast path writes: a RECV header and
 * the largest params it carries (a RETURN's answer is shorter). */
#define IPC_FAST_SPAN                                                          \
	ALIGN_UP((uint32_t)sizeof(struct capos_recv_header) +                  \
	             IPC_FAST_PARAMS_MAX,                                      \
	         8u)
_Static_assert(sizeof(struct capos_recv_header) + IPC_FAST_PARAMS_MAX + 8 <=
                   PAGE_SIZE,
               "a kept buffer is one span: at most a page");

/* kept's miss: looks [addr, addr + len) up, and keeps the view of its
 * first keep bytes (keep >= len) when they are all there, else of the
 * len bytes wanted.  The stamp is read after the look-up, which may have
 * faulted a demand-zero page in (a change of its own). */
static __attribute__((noinline)) bool
kept_miss(struct kept_span *k, struct aspace *as, uaddr_t addr, uint32_t len,
          uint32_t keep, bool write, struct user_span *s)
{
	if (k->gen && uaddr_eq(k->addr, addr) && len <= k->len)
		kcounters.ipc_path[IPC_FAST_STALE]++;
	if (keep > len && aspace_span(as, addr, keep, write, s) == KERR_OK) {
		k->len = keep;
	} else {
		if (aspace_span(as, addr, len, write, s) != KERR_OK)
			return false;
		k->len = len;
	}
	k->gen = as->map_gen;
	k->addr = addr;
	k->s = *s;
	return true;
}

/*
 * s for [addr, addr + len) in as (0 < len <= keep <= a page), from k
 * when k holds it: the same buffer, no shorter, and no mapping of as
 * changed since it was kept (one compare for the last, the stamps being
 * kernel-wide).  Otherwise looked up and kept.  False when a page of it
 * is not there (or not writable, with write).  Each k is used with one
 * value of write only (its role, ipc/call.h).
 */
static inline bool
kept(struct kept_span *k, struct aspace *as, uaddr_t addr, uint32_t len,
     uint32_t keep, bool write, struct user_span *s)
{
	if (__builtin_expect(k->gen == as->map_gen && uaddr_eq(k->addr, addr) &&
	                         len <= k->len,
	                     1)) {
		*s = k->s;
		return true;
	}
	return kept_miss(k, as, addr, len, keep, write, s);
}

/* Where byte off of span s is, and how many bytes follow it in the
 * same page. */
static inline uint8_t *
span_at(const struct user_span *s, size_t off, size_t *room)
{
	if (off < s->head_len) {
		*room = s->head_len - off;
		return s->head + off;
	}
	*room = PAGE_SIZE;
	return s->tail + (off - s->head_len);
}

/* span_copy across page boundaries: a piece per boundary of either
 * side. */
static void
span_copy_pieces(const struct user_span *dst, size_t doff,
                 const struct user_span *src, size_t n)
{
	size_t soff = 0;

	while (n) {
		size_t droom, sroom, k;
		uint8_t *d = span_at(dst, doff, &droom);
		const uint8_t *from = span_at(src, soff, &sroom);

		k = MIN(n, MIN(droom, sroom));
		memcpy(d, from, k);
		doff += k;
		soff += k;
		n -= k;
	}
}

/* Copies n bytes from the start of src to dst at doff. */
static inline void
span_copy(const struct user_span *dst, size_t doff, const struct user_span *src,
          size_t n)
{
	if (!dst->tail && !src->tail)
		memcpy(dst->head + doff, src->head, n);
	else
		span_copy_pieces(dst, doff, src, n);
}

/* Copies n bytes of kernel memory to dst at doff. */
static inline void
span_put(const struct user_span *dst, size_t doff, const void *src, size_t n)
{
	struct user_span k = {.head = (uint8_t *)(uintptr_t)src, .head_len = n};

	span_copy(dst, doff, &k, n);
}

/* The CALL's guards after the first two (fastpath.h), and its work. */
bool
fastpath_try_call(struct endpoint *ep, uint64_t badge, struct kcall *kc)
{
	struct process *caller = kc->caller;
	const struct capos_sqe *sqe = kc->sqe;
	struct completion *r = TAILQ_FIRST(&ep->receivers);
	struct capos_recv_header h;
	struct user_span dst, src, reply;
	struct ipc_call *c;
	uint32_t len = sqe->params_len, total, rlen = sqe->result_len;

	if (!r)
		return fastpath_miss(IPC_SLOW_NOT_WAITING);
	/* The general path's refusals, and what it must compute: the
	 * session of a caller other than the last one.  A process calling
	 * its own endpoint could have the two buffers overlap. */
	if (ep->dead ||
	    caller->outstanding >= caller->limits.outstanding_calls ||
	    ep->queued >= ep->queue_limit ||
	    ep->last_caller_pid != caller->pid || r->proc == caller)
		return fastpath_miss(IPC_SLOW_OTHER);
	/* The caller's whole result buffer must be writable, as the
	 * general path checks; one no longer than what the fast path ever
	 * writes is kept for the RETURN. */
	total = ALIGN_UP((uint32_t)sizeof(h) + len, 8u);
	if (total > r->result_len ||
	    !kept(&ep->kept[KEPT_RECV], &r->proc->as, r->result_addr, total,
	          MIN(r->result_len, IPC_FAST_SPAN), true, &dst) ||
	    (len && !kept(&ep->kept[KEPT_PARAMS], &caller->as,
	                  sqe_params_addr(sqe), len, len, false, &src)) ||
	    (rlen && rlen <= IPC_FAST_SPAN &&
	     !kept(&ep->kept[KEPT_REPLY], &caller->as, sqe_result_addr(sqe),
	           rlen, rlen, true, &reply)) ||
	    (rlen > IPC_FAST_SPAN &&
	     aspace_check(&caller->as, sqe_result_addr(sqe), rlen, true)))
		return fastpath_miss(IPC_SLOW_BUFFER);
	c = call_cached();
	if (!c)
		return fastpath_miss(IPC_SLOW_OTHER);

	/* Nothing fails from here on. */
	kcounters.ipc_path[IPC_FAST_CALL]++;
	c->id = call_next_id();
	c->ep = ep;
	c->caller = caller;
	c->done = completion_open(caller, sqe, &call_ops, c);
	c->method = sqe->method;
	c->interface_id = sqe->interface_id;
	c->badge = badge;
	c->params_len = len;
	c->params_addr = sqe_params_addr(sqe);
	c->xfer.sender = caller;
	c->xfer.n = 0;
	c->delivered = true;
	TAILQ_INSERT_TAIL(&ep->inflight, c, ep_link);
	call_index_add(c);
	caller->outstanding++;

	h = (struct capos_recv_header){
	    .call_id = c->id,
	    .session = {ep->last_session[0], ep->last_session[1]},
	    .session_epoch = 1,
	    .method = c->method,
	    .params_len = len,
	    .caps_offset = total,
	    .interface_id = c->interface_id,
	    .badge = badge,
	};
	span_put(&dst, 0, &h, sizeof(h));
	if (len)
		span_copy(&dst, sizeof(h), &src, len);
	if (total > sizeof(h) + len)
		span_put(&dst, sizeof(h) + len, zeros, total - sizeof(h) - len);

	endpoint_recv_unqueue(r);
	completion_post_next(r, (int32_t)total, c->id);
	return true;
}

/* The RETURN's guards after the first two (fastpath.h), and its work. */
bool
fastpath_try_return(struct endpoint *ep, struct kcall *kc)
{
	const struct capos_sqe *sqe = kc->sqe;
	struct ipc_call *c;
	struct user_span dst, src;
	uint32_t len = sqe->params_len, total;
	bool exc;

	c = call_index_find(ep, sqe->call_id);
	if (!c)
		return fastpath_miss(IPC_SLOW_OTHER);
	if (!c->done)
		return fastpath_miss(
		    IPC_SLOW_NOT_WAITING); /* the caller gave up */
	total = ALIGN_UP(len, 8u);
	if (total > c->done->result_len ||
	    (len &&
	     (!kept(&ep->kept[KEPT_ANSWER], &kc->caller->as,
	            sqe_params_addr(sqe), len, len, false, &src) ||
	      !kept(&ep->kept[KEPT_REPLY], &c->caller->as, c->done->result_addr,
	            total, MIN(c->done->result_len, IPC_FAST_SPAN), true,
	            &dst))))
		return fastpath_miss(IPC_SLOW_BUFFER);

	/* Nothing fails from here on. */
	kcounters.ipc_path[IPC_FAST_RETURN]++;
	if (len) {
		span_copy(&dst, 0, &src, len);
		if (total > len)
			span_put(&dst, len, zeros, total - len);
	}
	TAILQ_REMOVE(&ep->inflight, c, ep_link);
	exc = sqe->flags & CAPOS_SQE_F_EXCEPTION;
	/* aux0: the exception's length, or the number of result caps. */
	call_answer_next(c, exc ? KERR_EXCEPTION : (int32_t)len, exc ? len : 0);
	call_free(c);
	return true;
}
