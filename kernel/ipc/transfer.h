/*
 * Capability transfer on CALL and RETURN.  A transfer runs in two halves:
 *
 *   xfer_take     (sender, when the SQE is processed): copies the
 *                 descriptors in, checks them, takes a reference on each
 *                 object and reserves every MOVE's source slot;
 *   xfer_install  (receiver, on delivery): inserts all caps or none;
 *   xfer_commit   (sender, after a successful install): removes MOVE
 *                 sources;
 *   xfer_abort    (any failure before commit): restores MOVE sources and
 *                 drops the references.
 *
 * A cap is therefore never lost (the sender keeps it until the receiver
 * has it), never duplicated by a MOVE (the source is reserved, so a
 * replayed SQE naming it again fails), and never half-inserted (install is
 * all or nothing).
 */
#ifndef IPC_TRANSFER_H
#define IPC_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/ring.h>

#include "cap/captable.h"
#include "core/kerr.h"
#include "mm/uaddr.h"

struct process;
struct kobject;

struct xfer_item {
	struct kobject *obj; /* one reference, held by the transfer */
	uint64_t interface_id;
	uint8_t op;        /* CAPOS_XFER_COPY or CAPOS_XFER_MOVE */
	uint8_t mode;      /* the sender's slot's enum cap_xfer_mode */
	capos_capid_t src; /* the sender's id */
};

struct xfer_set {
	struct process *sender; /* NULL once the sender is gone */
	uint32_t n;
	struct xfer_item items[CAPOS_XFER_MAX];
};

enum kerr xfer_take_list(struct process *sender, uaddr_t addr, uint32_t count,
                         struct xfer_set *xs, bool held);

/* Returns KERR_OK or a kind; on error nothing is held or reserved.  Most
 * calls send no caps: that case is decided here, without a call. */
static inline enum kerr
xfer_take(struct process *sender, uaddr_t addr, uint32_t count,
          struct xfer_set *xs)
{
	xs->sender = sender;
	xs->n = 0;
	return count == 0 ? KERR_OK
	                  : xfer_take_list(sender, addr, count, xs, false);
}

/*
 * xfer_take for a kernel method that only looks at the caps it is sent
 * and keeps none of the authority for anyone else (CapabilityManager,
 * which refuses a non-transferable cap with a typed answer): a COPY of a
 * non-transferable cap is taken too, its mode in the item.
 */
static inline enum kerr
xfer_take_held(struct process *sender, uaddr_t addr, uint32_t count,
               struct xfer_set *xs)
{
	xs->sender = sender;
	xs->n = 0;
	return count == 0 ? KERR_OK
	                  : xfer_take_list(sender, addr, count, xs, true);
}

/*
 * Inserts every cap into r's table (origin as given) and fills recs.
 * Returns KERR_OK or KERR_QUOTA (table full or the cap-slot limit reached),
 * in which case r's table is unchanged.  On success the references move
 * from the set to r's slots.
 */
enum kerr xfer_install(struct process *r, struct xfer_set *xs,
                       enum cap_origin origin, struct capos_cap_record *recs);

/* Takes installed caps back out of r (a later step failed). */
void xfer_uninstall(struct process *r, struct xfer_set *xs,
                    const struct capos_cap_record *recs);

/* After install: removes the sender's MOVE sources. */
void xfer_commit(struct xfer_set *xs);

/* Before install (or after uninstall): restores and releases all. */
void xfer_abort(struct xfer_set *xs);

/*
 * The end of a transfer to a kernel object, which takes its own
 * references to what it keeps: on success MOVE sources are removed; either
 * way the set's references are dropped (and, on failure, sources
 * restored).
 */
void xfer_finish_list(struct xfer_set *xs, bool success);

static inline void
xfer_finish_kernel(struct xfer_set *xs, bool success)
{
	if (xs->n != 0)
		xfer_finish_list(xs, success);
}

/* Inserts one kernel-created object into p's table (result caps of kernel
 * objects); the caller's reference passes to the slot.  KERR_OK or
 * KERR_QUOTA. */
enum kerr cap_install_new(struct process *p, struct kobject *obj,
                          enum cap_origin origin, capos_capid_t *id);

#endif
