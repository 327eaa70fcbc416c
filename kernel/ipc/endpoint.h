/*
 * Endpoints: the kernel side of IPC between processes.
 *
 * An endpoint has two kinds of caps: the owner side (interface Endpoint,
 * not transferable), held by the serving process, which may RECV and
 * RETURN; and client facets (carrying the served interface's id, freely
 * copyable), which may only CALL.
 *
 * A CALL before a RECV waits in the endpoint's bounded call queue; a RECV
 * before a CALL waits in its bounded receiver queue.  A delivered call is
 * in flight, tracked by its call id, until RETURN or cleanup.  When a CALL
 * finds a waiting receiver it is delivered at once and the server runs
 * next (direct handoff).  When the owner goes away, every queued and
 * in-flight call, and every later call, completes with
 * KERR_DISCONNECTED.
 */
#ifndef IPC_ENDPOINT_H
#define IPC_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/ring.h>

struct process;
struct kobject;
struct endpoint;

/* Limits of one endpoint's queues (the owner's limits may lower them). */
#define ENDPOINT_MAX_RECEIVERS 16
#define ENDPOINT_DEFAULT_QUEUE 16

/*
 * Creates an endpoint served by owner, whose client facets implement
 * interface_id.  Returns it with one reference on each side, to be
 * installed by the caller (or NULL when memory is short).
 */
struct endpoint *endpoint_create(struct process *owner, uint64_t interface_id);
struct kobject *endpoint_owner_obj(struct endpoint *ep);
struct kobject *endpoint_client_obj(struct endpoint *ep);

/* CALL on a client facet, and RECV and RETURN on the owner side, are
 * the endpoint's object operations (kobj/kobject.h). */

/*
 * The ring pass's direct IPC step (ipc/ring.c): a CALL on the endpoint's
 * own client facet and a RETURN on its owner side by its server go to
 * the fast path (ipc/fastpath.h) from the pass itself, and when a guard
 * fails to these, the general path without the fast path's second try.
 */
extern const struct kobject_ops endpoint_owner_ops, endpoint_client_ops;
struct kcall;
int32_t endpoint_forward_general(struct endpoint *ep, uint64_t badge,
                                 struct kcall *kc);
int32_t endpoint_return_general(struct endpoint *ep, struct kcall *kc);

/* Frees the cached call records (before a leak check). */
void endpoint_cache_drain(void);

#endif
