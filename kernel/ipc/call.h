/*
 * An endpoint's state and its calls, shared by the two paths a message
 * takes: the general one (ipc/endpoint.c: queues, transfers, every
 * failure) and the fast one (ipc/fastpath.c: a small CALL meeting a
 * waiting RECV, and its RETURN).  Nothing outside these two files looks
 * inside an endpoint.
 *
 * A call's life: made (CALL) -> queued on ep->pending while no RECV
 * takes it -> delivered, on ep->inflight and in the call index, until
 * its RETURN or cleanup -> freed.  The fast path makes a call delivered
 * at once: it is never queued.
 *
 * SMP: all of this is one CPU's today.  An endpoint's queues, its call
 * index slots and the call cache would need the endpoint's lock (the
 * cache a per-CPU one) once two CPUs can reach the same endpoint.
 */
#ifndef IPC_CALL_H
#define IPC_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/queue.h"
#include "ipc/completion.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "mm/aspace.h"
#include "mm/uaddr.h"

struct process;
struct kring;
struct ipc_call;
TAILQ_HEAD(call_list, ipc_call);

/*
 * A user buffer's translation kept from one call to the next (the fast
 * path's, ipc/fastpath.c): s is the kernel's view of [addr, addr + len)
 * made when the address space's map_gen was gen.  Stamps are
 * kernel-wide and new at every mapping change (mm/aspace.h), so an equal
 * stamp means the same address space with the same pages: the view is
 * still right, and no other check is needed.
 */
struct kept_span {
	uint64_t gen; /* 0: nothing kept */
	uaddr_t addr;
	uint32_t len;
	struct user_span s;
};

/* The buffers a round trip touches, each kept apart: most servers
 * receive into one buffer and answer from it, most callers call with the
 * same params and result buffers again. */
enum kept_role {
	KEPT_RECV,   /* the server's RECV buffer (written) */
	KEPT_PARAMS, /* the caller's params (read) */
	KEPT_REPLY,  /* the caller's result buffer (written) */
	KEPT_ANSWER, /* the server's RETURN params (read) */
	KEPT_ROLES
};

struct endpoint {
	struct kobject owner;  /* the serving side */
	struct kobject client; /* client facets */
	struct process *server;
	bool dead;
	uint32_t queued; /* calls waiting for a RECV */
	uint32_t queue_limit;
	struct call_list pending;
	struct call_list inflight;
	/* Waiting RECVs, oldest first: their completion records, whose
	 * result buffer is where a call is delivered. */
	struct completion_list receivers;
	uint32_t nreceivers;
	/* The last caller's session reference: most calls come from the
	 * caller before, and the hash is a fair part of a delivery. */
	uint64_t last_caller_pid;
	uint64_t last_session[2];
	struct kept_span kept[KEPT_ROLES];
};

struct ipc_call {
	uint64_t id;
	struct endpoint *ep;
	/* The caller and its CALL's completion record; both NULL once the
	 * caller gave up (released the facet, or died): the call is then an
	 * orphan whose answer goes nowhere. */
	struct process *caller;
	struct completion *done;
	uint16_t method;
	uint64_t interface_id;
	uint64_t badge; /* of the facet called through */
	uint32_t params_len;
	uint8_t *params;     /* kernel copy, for a call that waits queued */
	uaddr_t params_addr; /* caller's params, read at once otherwise */
	struct xfer_set xfer;
	bool delivered;
	TAILQ_ENTRY(ipc_call) ep_link; /* pending or inflight */
};

/* The completion operations of a CALL's record and of a waiting RECV's. */
extern const struct completion_ops call_ops;
extern const struct completion_ops recv_ops;

/* A fresh call id (never 0, never reused). */
uint64_t call_next_id(void);

/* A reused call record, or NULL when none is cached (the fast path then
 * leaves the call to the general path, which may allocate). */
struct ipc_call *call_cached(void);

/* Frees a call: its params copy, its index entry, the record. */
void call_free(struct ipc_call *c);

/*
 * The call index: delivered calls by id, one slot per id modulo its
 * size, so a RETURN finds its call with one load and two compares.  A
 * call whose slot a later call took is still on ep->inflight, where the
 * general path searches for it.
 */
void call_index_add(struct ipc_call *c);
struct ipc_call *call_index_find(const struct endpoint *ep, uint64_t id);

/* Posts the caller's completion (nothing for an orphan). */
void call_answer(struct ipc_call *c, int32_t result, uint64_t aux0);
/* call_answer, and the caller runs next (direct handoff). */
void call_answer_next(struct ipc_call *c, int32_t result, uint64_t aux0);

/* A CALL through a client facet of ep whose badge is badge: queued or
 * delivered to the server (KCALL_PENDING), or refused. */
int32_t endpoint_forward(struct endpoint *ep, uint64_t badge, struct kcall *kc);

/* Endpoint.client, served on the owner side (ipc/facet.c). */
struct capos_Endpoint_server;
extern const struct capos_Endpoint_server endpoint_owner_server;

/* Takes a waiting RECV off the endpoint's receiver queue. */
void endpoint_recv_unqueue(struct completion *rec);

#endif
