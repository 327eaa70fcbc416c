/* libcapos internals shared between its files. */
#ifndef CAPOS_INTERNAL_H
#define CAPOS_INTERNAL_H

#include "capos.h"

/* Completions the runtime holds for their waiters.  capos_submit keeps
 * the requests in flight below this, so no completion is ever dropped. */
#define CAPOS_PENDING_MAX   64
#define CAPOS_RELEASE_QUEUE 32

/* user_data values with this bit are the runtime's own (fire-and-forget
 * releases); capos_next_tag never hands one out. */
#define CAPOS_RUNTIME_TAG (1ull << 63)

/* One per thread (thread-local): the ring a thread drives is its own, and
 * so are its tags, stashed completions, queued releases and last
 * exception. */
struct capos_runtime {
	struct capos_ring_page *ring;
	uint64_t next_tag;
	/* CQEs that arrived while someone waited for another one. */
	struct capos_cqe stash[CAPOS_PENDING_MAX];
	uint32_t nstash;
	uint32_t in_flight; /* submitted, completion not yet taken */
	uint32_t lost;      /* completions with no room (a bug if > 0) */
	/* Releases waiting for the next submission. */
	capos_capid_t releases[CAPOS_RELEASE_QUEUE];
	uint32_t nreleases;
	struct capos_exception last_exc;
};

extern __thread struct capos_runtime capos_rt;

/* What every thread of the process shares. */
struct capos_process {
	uint64_t pid;
	const struct capos_capset_page *capset;
};

extern struct capos_process capos_proc;

/* The runtime's own locks are taken in this order only, so they never
 * deadlock: a process client's lock (process.c, kernel_clients.c), then
 * the heap's, then stdout's.  Each is held across at most the calls its
 * own structure needs, never across a wait for another thread. */

/*
 * The call path's common case, inline (call.c): one request at a time,
 * nothing queued to release, room in the SQ, no completion waiting in
 * the CQ.  Each helper answers NULL or false when the general path
 * (capos_submit_slot, capos_wait) must run instead.
 */
static inline uint64_t
capos_tag_fast(void)
{
	uint64_t t = (capos_rt.next_tag + 1) & ~CAPOS_RUNTIME_TAG;

	capos_rt.next_tag = t ? t : 1;
	return capos_rt.next_tag;
}

static inline struct capos_sqe *
capos_sq_slot_fast(struct capos_ring_page *ring)
{
	uint32_t tail = ring->hdr.sq_tail;

	if (capos_rt.in_flight >= CAPOS_PENDING_MAX || capos_rt.nreleases ||
	    tail - __atomic_load_n(&ring->hdr.sq_head, __ATOMIC_ACQUIRE) >=
	        CAPOS_RING_SQ_ENTRIES)
		return NULL;
	return &ring->sq[tail % CAPOS_RING_SQ_ENTRIES];
}

/* Publishes the SQE just written into the slot at sq_tail.  It is not
 * counted in flight: capos_wait_fast takes its completion at once, or
 * the caller counts it before it waits the general way. */
static inline void
capos_sq_commit_fast(struct capos_ring_page *ring)
{
	__atomic_store_n(&ring->hdr.sq_tail, ring->hdr.sq_tail + 1,
	                 __ATOMIC_RELEASE);
}

/*
 * Waits for the completion of the request just submitted as tag when the
 * CQ held nothing before: one cap_enter, and the CQE at the head is the
 * one (cap_enter counted at least one there, written before it
 * returned).  false (nothing taken) otherwise.
 */
static inline bool
capos_wait_fast(struct capos_ring_page *ring, uint64_t tag,
                struct capos_cqe *cqe)
{
	uint32_t head = ring->hdr.cq_head;
	const struct capos_cqe *c;

	if (__atomic_load_n(&ring->hdr.cq_tail, __ATOMIC_ACQUIRE) != head ||
	    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) < 1)
		return false;
	c = &ring->cq[head % CAPOS_RING_CQ_ENTRIES];
	if (c->user_data != tag)
		return false;
	*cqe = *c;
	__atomic_store_n(&ring->hdr.cq_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

/* capos_submit in halves, for an SQE written in place: the next SQ slot
 * (after the quota check and the queued releases; the slot's old content
 * is stale: write every field), then its publication. */
int capos_submit_slot(struct capos_sqe **slot);
void capos_submit_commit(void);

/* capos_wait with no timeout, whose first cap_enter waits for `first`
 * completions (the ring holds none of this thread's when it enters): for
 * a waiter that has just queued first - 1 SQEs ahead of the awaited one,
 * whose completions come first. */
int capos_wait_first(uint64_t user_data, uint32_t first, struct capos_cqe *cqe);

void capos_heap_init(void);
void capos_stdout_flush(void);
/* Whether PARK can be used (a ParkSpace was granted). */
bool capos_park_available(void);
/* Sets up the main thread's side of the thread library. */
void capos_threads_init(void);
/* Whether the calling thread is the process's main thread. */
bool capos_thread_is_main(void);
/* Frees the calling thread's answer space (serve.c), as it exits. */
void capos_serve_thread_done(void);

#endif
