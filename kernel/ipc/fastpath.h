/*
 * The IPC fast path: a small CALL that meets a RECV already waiting on
 * its endpoint, and the RETURN that answers it, done as a straight line
 * of guards and one copy of the message from one address space into the
 * other.  Any guard that fails leaves the operation, untouched, to the
 * general path in ipc/endpoint.c, and counts why (kcounters.ipc_path).
 */
#ifndef IPC_FASTPATH_H
#define IPC_FASTPATH_H

#include <stdbool.h>

#include "core/counters.h"
#include "kobj/kobject.h"

struct endpoint;

/* The largest params (CALL) or result (RETURN) the fast path copies. */
#define IPC_FAST_PARAMS_MAX 256u

/* The guards past the first two, and the work (ipc/fastpath.c). */
bool fastpath_try_call(struct endpoint *ep, uint64_t badge, struct kcall *kc);
bool fastpath_try_return(struct endpoint *ep, struct kcall *kc);

static inline bool
fastpath_miss(enum ipc_path why)
{
	kcounters.ipc_path[why]++;
	return false;
}

/*
 * A CALL on a client facet of ep with badge badge: true when it was delivered (the CALL's
 * own completion then comes with the RETURN: KCALL_PENDING).  The two
 * guards most operations left to the general path fail are inline, so
 * those pay a test each and no call.
 */
static inline bool
fastpath_call(struct endpoint *ep, uint64_t badge, struct kcall *kc)
{
	if (kc->sqe->xfer_count)
		return fastpath_miss(IPC_SLOW_XFER);
	if (kc->sqe->params_len > IPC_FAST_PARAMS_MAX)
		return fastpath_miss(IPC_SLOW_BIG);
	return fastpath_try_call(ep, badge, kc);
}

/* A RETURN on ep's owner side, by its server: true when the caller was
 * answered (the RETURN's own result is then 0). */
static inline bool
fastpath_return(struct endpoint *ep, struct kcall *kc)
{
	if (kc->sqe->xfer_count)
		return fastpath_miss(IPC_SLOW_XFER);
	if (kc->sqe->params_len > IPC_FAST_PARAMS_MAX)
		return fastpath_miss(IPC_SLOW_BIG);
	return fastpath_try_return(ep, kc);
}

#endif
