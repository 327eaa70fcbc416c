#include "core/kernel.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "proc/process.h"
#include "ring/ring.h"

#include "core/kerr.h"

static enum cap_xfer_mode
slot_mode(const struct kobject *obj)
{
	return obj->ops->xfer_mode ? obj->ops->xfer_mode : CAP_XFER_COPY;
}

/* Undoes items [0, n): restores reserved sources, drops references. */
static void
undo(struct xfer_set *xs, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct xfer_item *it = &xs->items[i];

		if (it->op == CAPOS_XFER_MOVE && xs->sender)
			cap_rollback(&xs->sender->caps, it->src);
		kobject_put(it->obj);
	}
}

enum kerr
xfer_take_list(struct process *sender, uaddr_t addr, uint32_t count,
               struct xfer_set *xs, bool held)
{
	struct capos_xfer desc[CAPOS_XFER_MAX];
	uint32_t i;
	int err;

	if (count > CAPOS_XFER_MAX)
		return KERR_BAD_XFER;
	if (aspace_copy_in(&sender->as, desc, addr, count * sizeof(desc[0])))
		return KERR_BAD_BUFFER;
	err = ring_xfer_validate(desc, count);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		struct xfer_item *it = &xs->items[i];
		const struct cap_slot *slot;

		err = cap_lookup(&sender->caps, desc[i].cap, &slot);
		if (err) {
			err = kerr_from_cap(err);
			goto fail;
		}
		if ((slot->xfer_mode == CAP_XFER_NON_TRANSFERABLE &&
		     (!held || desc[i].mode != CAPOS_XFER_COPY)) ||
		    (slot->xfer_mode == CAP_XFER_MOVE &&
		     desc[i].mode == CAPOS_XFER_COPY)) {
			err = KERR_BAD_XFER;
			goto fail;
		}
		it->obj = slot->object;
		it->interface_id = slot->interface_id;
		it->mode = slot->xfer_mode;
		it->op = (uint8_t)desc[i].mode;
		it->src = desc[i].cap;
		if (it->op == CAPOS_XFER_MOVE &&
		    cap_reserve(&sender->caps, desc[i].cap, &slot)) {
			err = KERR_BAD_XFER;
			goto fail;
		}
		kobject_get(it->obj);
	}
	xs->n = count;
	return 0;
fail:
	undo(xs, i);
	return err;
}

enum kerr
xfer_install(struct process *r, struct xfer_set *xs, enum cap_origin origin,
             struct capos_cap_record *recs)
{
	uint32_t i;

	if (xs->n == 0)
		return 0;
	if (cap_free_count(&r->caps) < xs->n ||
	    cap_count(&r->caps) + xs->n > process_cap_limit(r))
		return KERR_QUOTA;
	for (i = 0; i < xs->n; i++) {
		struct xfer_item *it = &xs->items[i];

		/* Cannot fail: room was checked and nothing ran between. */
		if (cap_insert(&r->caps, it->obj, it->interface_id,
		               slot_mode(it->obj), origin, &recs[i].cap))
			panic("xfer_install: table changed under us");
		recs[i].reserved = 0;
		recs[i].interface_id = it->interface_id;
	}
	return 0;
}

void
xfer_uninstall(struct process *r, struct xfer_set *xs,
               const struct capos_cap_record *recs)
{
	uint32_t i;

	/* The slots' references go back to the set. */
	for (i = 0; i < xs->n; i++)
		cap_remove(&r->caps, recs[i].cap, NULL);
}

void
xfer_commit(struct xfer_set *xs)
{
	uint32_t i;

	for (i = 0; i < xs->n; i++) {
		struct xfer_item *it = &xs->items[i];
		struct cap_slot old;

		if (it->op != CAPOS_XFER_MOVE || !xs->sender)
			continue;
		if (cap_commit(&xs->sender->caps, it->src, &old) == CAP_OK)
			kobject_put(
			    old.object); /* the source slot's reference */
	}
	xs->n = 0;
}

void
xfer_abort(struct xfer_set *xs)
{
	undo(xs, xs->n);
	xs->n = 0;
}

void
xfer_finish_list(struct xfer_set *xs, bool success)
{
	uint32_t i;

	if (!success) {
		xfer_abort(xs);
		return;
	}
	for (i = 0; i < xs->n; i++) {
		struct xfer_item *it = &xs->items[i];
		struct cap_slot old;

		if (it->op == CAPOS_XFER_MOVE &&
		    cap_commit(&xs->sender->caps, it->src, &old) == CAP_OK)
			kobject_put(old.object);
		kobject_put(it->obj);
	}
	xs->n = 0;
}

enum kerr
cap_install_new(struct process *p, struct kobject *obj, enum cap_origin origin,
                capos_capid_t *id)
{
	if (cap_free_count(&p->caps) == 0 ||
	    cap_count(&p->caps) >= process_cap_limit(p))
		return KERR_QUOTA;
	if (cap_insert(&p->caps, obj, obj->interface_id, slot_mode(obj), origin,
	               id))
		return KERR_QUOTA;
	return 0;
}
