/*
 * Forwarders and revokers (kobj/revocable.h).
 *
 * A forwarder is a kernel object of its target's interface.  Every copy
 * of it in any table is a reference to the one forwarder, so revoking it
 * disconnects them all at once:
 *
 *                revocable_create             revoke (or the revoker
 *     (none)  ------------------->  live  ------------------------> revoked
 *                                    |        goes away)
 *                                    |  a CALL: handed to the target's own
 *                                    |  call operation, with the target as
 *                                    |  the object
 *                                    v
 *                              target answers (at once, or later through
 *                              the call's completion record)
 *
 * A revoked forwarder answers every CALL with KERR_DISCONNECTED; it has
 * dropped its reference to the target.  Calls already handed over stay
 * the target's: their completion records belong to the target and post
 * as it answers (a kernel object that answers later is either static
 * (Timer, SerialPort, the log) or keeps itself alive while calls wait on
 * it (an endpoint frees itself only once no call is queued or in
 * flight)), so every SQE still gets exactly one CQE and no record points
 * into the forwarder.  The record names the caller's forwarder cap:
 * releasing that cap cancels the call as releasing any cap does.
 *
 * The revoker is not transferable and holds a reference to the
 * forwarder.  When it goes away (released, or its holder exits) the
 * forwarder is revoked: a revocable cap whose revoker is gone is never
 * left irrevocable, so an authority broker that dies takes its sessions'
 * caps with it.
 *
 * Where a wrapped cap is not accepted: a kernel operation that checks
 * what kind of object a cap is sees the forwarder, not the target, and
 * refuses it as it refuses any other kind (VirtualMemory.map of a
 * MemoryObject, PARK/UNPARK through a ParkSpace cap).  Unwrapping there
 * would let a mapping or a wait outlive the revocation, so the kernel
 * does not (docs/kernel-objects.md).
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "kobj/revocable.h"
#include "mm/kheap.h"

#include "core/kerr.h"

#include "capos.capnp.h"

struct forwarder {
	struct kobject obj;
	struct kobject *target; /* one reference; NULL once revoked */
	uint32_t depth;         /* 1 + the target's, when it forwards */
};

struct revoker {
	struct kobject obj;
	struct forwarder *fwd; /* one reference */
};

#define FWD(o)                                                                 \
	((struct forwarder *)((char *)(o)-offsetof(struct forwarder, obj)))
#define REV(o) ((struct revoker *)((char *)(o)-offsetof(struct revoker, obj)))

static int32_t forwarder_call(struct kobject *obj, struct kcall *c);
static void forwarder_destroy(struct kobject *obj);

/* Copyable: CapabilityManager wraps only copyable caps. */
static const struct kobject_ops forwarder_ops = {
    .name = "Revocable",
    .interface_id = 0, /* the target's */
    .xfer_mode = CAP_XFER_COPY,
    .call = forwarder_call,
    .destroy = forwarder_destroy,
};

static void
revoke(struct forwarder *f)
{
	struct kobject *t = f->target;

	if (!t)
		return;
	f->target = NULL;
	kobject_put(t);
}

/*
 * The target serves the call as if it had been made on it directly; the
 * call holds its own reference meanwhile, so nothing the call does can
 * end the target under it.
 */
static int32_t
forwarder_call(struct kobject *obj, struct kcall *c)
{
	struct kobject *t = FWD(obj)->target;
	int32_t res;

	if (!t)
		return KERR_DISCONNECTED;
	if (!t->ops->call)
		return KERR_NOT_SUPPORTED;
	kobject_get(t);
	res = t->ops->call(t, c);
	kobject_put(t);
	return res;
}

static void
forwarder_destroy(struct kobject *obj)
{
	struct forwarder *f = FWD(obj);

	revoke(f);
	kfree(f);
}

static int
revoker_revoke(void *self, struct rpc_call *call,
               capos_Revoker_revoke_Params_reader p,
               capos_Revoker_revoke_Results_builder r)
{
	(void)call;
	(void)p;
	(void)r;
	revoke(REV(self)->fwd);
	return KERR_OK;
}

static const struct capos_Revoker_server revoker_server = {
    .revoke = revoker_revoke,
};

static void
revoker_destroy(struct kobject *obj)
{
	struct revoker *rv = REV(obj);

	revoke(rv->fwd);
	kobject_put(&rv->fwd->obj);
	kfree(rv);
}

static const struct kobject_ops revoker_ops = {
    .name = "Revoker",
    .interface_id = capos_Revoker_TYPE_ID,
    .xfer_mode = CAP_XFER_NON_TRANSFERABLE,
    .call = kobject_call,
    .iface = &capos_Revoker_interface,
    .impl = &revoker_server,
    .destroy = revoker_destroy,
};

enum kerr
revocable_create(struct kobject *target, uint64_t interface_id,
                 struct kobject **forwarder, struct kobject **revoker)
{
	uint32_t depth = 1;
	struct forwarder *f;
	struct revoker *rv;

	if (target->ops == &forwarder_ops)
		depth += FWD(target)->depth;
	if (depth > REVOCABLE_DEPTH_MAX)
		return KERR_BAD_ARG;
	f = kzalloc(sizeof(*f));
	rv = kzalloc(sizeof(*rv));
	if (!f || !rv) {
		kfree(f);
		kfree(rv);
		return KERR_NOMEM;
	}
	kobject_get(target);
	f->obj = (struct kobject){&forwarder_ops, 1, interface_id};
	f->target = target;
	f->depth = depth;
	/* The revoker's reference to the forwarder, besides the caller's. */
	f->obj.refs++;
	rv->obj = (struct kobject){&revoker_ops, 1, capos_Revoker_TYPE_ID};
	rv->fwd = f;
	*forwarder = &f->obj;
	*revoker = &rv->obj;
	return KERR_OK;
}
