/*
 * VirtualMemory: the caller's own address space, whatever VirtualMemory
 * cap it holds — reservations, commits and mappings of MemoryObjects in
 * the heap window (mm/vmspace.c does the work; docs/memory.md).  The
 * numbers of the params are user addresses entering the kernel.
 *
 * Answers: bad arguments are the exception invalidArgument; the caller's
 * frame or virtual-page limit, or its region slots, KERR_QUOTA (as
 * ThreadSpawner's thread limit); a machine out of memory the exception
 * overloaded.  Nothing has changed when a call fails.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "kobj/memory_object.h"
#include "ipc/transfer.h"
#include "mm/vmspace.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

/* The answer for what mm/vmspace.c said. */
static int
answer(struct kcall *c, enum kerr err, const char *bad_arg)
{
	switch (err) {
	case KERR_OK:
		return KERR_OK;
	case KERR_QUOTA:
		return KERR_QUOTA;
	case KERR_NOMEM:
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "VirtualMemory: out of memory");
	default:
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT, bad_arg);
	}
}

/* VM_* flags of a Protection; false for a value the schema lacks. */
static bool
prot_flags(enum capos_Protection prot, unsigned *flags)
{
	switch (prot) {
	case capos_Protection_none:
		*flags = VM_NOACCESS;
		return true;
	case capos_Protection_read:
		*flags = 0;
		return true;
	case capos_Protection_readWrite:
		*flags = VM_WRITE;
		return true;
	case capos_Protection_readExecute:
		*flags = VM_EXEC;
		return true;
	}
	return false;
}

static int
reserve(void *self, struct rpc_call *call,
        capos_VirtualMemory_reserve_Params_reader p,
        capos_VirtualMemory_reserve_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	uint64_t at = 0;
	enum kerr err;

	(void)self;
	err = vm_reserve(&c->caller->as,
	                 uaddr(capos_VirtualMemory_reserve_Params_get_addr(p)),
	                 capos_VirtualMemory_reserve_Params_get_pages(p), &at);
	if (!err)
		capos_VirtualMemory_reserve_Results_set_addr(r, at);
	return answer(c, err,
	              "reserve: pages must be nonzero and addr 0 or a free, "
	              "page-aligned range of the heap window");
}

static int
commit(void *self, struct rpc_call *call,
       capos_VirtualMemory_commit_Params_reader p,
       capos_VirtualMemory_commit_Results_builder r)
{
	struct kcall *c = kcall_of(call);

	(void)self;
	(void)r;
	return answer(
	    c,
	    vm_commit(&c->caller->as,
	              uaddr(capos_VirtualMemory_commit_Params_get_addr(p)),
	              capos_VirtualMemory_commit_Params_get_pages(p)),
	    "commit: the range must lie inside one reservation");
}

static int
decommit(void *self, struct rpc_call *call,
         capos_VirtualMemory_decommit_Params_reader p,
         capos_VirtualMemory_decommit_Results_builder r)
{
	struct kcall *c = kcall_of(call);

	(void)self;
	(void)r;
	return answer(
	    c,
	    vm_decommit(&c->caller->as,
	                uaddr(capos_VirtualMemory_decommit_Params_get_addr(p)),
	                capos_VirtualMemory_decommit_Params_get_pages(p)),
	    "decommit: the range must lie inside one reservation");
}

static int
map(void *self, struct rpc_call *call, capos_VirtualMemory_map_Params_reader p,
    capos_VirtualMemory_map_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	uint32_t idx = capos_VirtualMemory_map_Params_get_object(p);
	uint64_t addr = capos_VirtualMemory_map_Params_get_addr(p), at = 0;
	const uint64_t *frames;
	struct kobject *obj;
	uint32_t npages;
	unsigned flags;
	enum kerr err;

	(void)self;
	if (capnp_msg_error(&call->params) || idx >= c->in->n)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "map: object names no cap sent with "
		                       "the call");
	obj = c->in->items[idx].obj;
	if (!memory_object_frames(obj, &frames, &npages))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "map: object is not a MemoryObject");
	if (!prot_flags(capos_VirtualMemory_map_Params_get_prot(p), &flags))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "map: no such protection");
	/* The mapping's own reference, given back when it goes. */
	kobject_get(obj);
	err = vm_map(&c->caller->as, uaddr(addr), frames, npages, obj, flags,
	             &at);
	if (err) {
		kobject_put(obj);
		return answer(c, err,
		              "map: addr must be 0 or a free, page-aligned "
		              "range of the heap window");
	}
	capos_VirtualMemory_map_Results_set_addr(r, at);
	return KERR_OK;
}

static int
unmap(void *self, struct rpc_call *call,
      capos_VirtualMemory_unmap_Params_reader p,
      capos_VirtualMemory_unmap_Results_builder r)
{
	struct kcall *c = kcall_of(call);

	(void)self;
	(void)r;
	return answer(
	    c,
	    vm_unmap(&c->caller->as,
	             uaddr(capos_VirtualMemory_unmap_Params_get_addr(p)),
	             capos_VirtualMemory_unmap_Params_get_pages(p),
	             memory_object_drop),
	    "unmap: the range must hold whole reservations or mappings");
}

static int
protect(void *self, struct rpc_call *call,
        capos_VirtualMemory_protect_Params_reader p,
        capos_VirtualMemory_protect_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	unsigned flags;

	(void)self;
	(void)r;
	if (!prot_flags(capos_VirtualMemory_protect_Params_get_prot(p), &flags))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "protect: no such protection");
	return answer(
	    c,
	    vm_protect(&c->caller->as,
	               uaddr(capos_VirtualMemory_protect_Params_get_addr(p)),
	               capos_VirtualMemory_protect_Params_get_pages(p), flags),
	    "protect: every page must be committed or mapped");
}

/* The same check the kernel's own copies make (a demand-zero page is
 * given its frame, as a touch would): an answer of "readable" means a
 * read of the range by the caller does not fault now. */
static int
access(void *self, struct rpc_call *call,
       capos_VirtualMemory_access_Params_reader p,
       capos_VirtualMemory_access_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	uaddr_t at = uaddr(capos_VirtualMemory_access_Params_get_addr(p));
	uint64_t len = capos_VirtualMemory_access_Params_get_length(p);
	bool readable;

	(void)self;
	if (len > CAPOS_VM_ACCESS_MAX)
		return kcall_exception(
		    c, RPC_EXC_INVALID_ARGUMENT,
		    "access: longer than CAPOS_VM_ACCESS_MAX");
	readable = aspace_check(&c->caller->as, at, len, false) == KERR_OK;
	capos_VirtualMemory_access_Results_set_readable(r, readable);
	capos_VirtualMemory_access_Results_set_writable(
	    r,
	    readable && aspace_check(&c->caller->as, at, len, true) == KERR_OK);
	return KERR_OK;
}

static const struct capos_VirtualMemory_server vm_server = {
    .reserve = reserve,
    .commit = commit,
    .decommit = decommit,
    .map = map,
    .unmap = unmap,
    .protect = protect,
    .access = access,
};

static const struct kobject_ops vm_ops = {
    .name = "VirtualMemory",
    .interface_id = capos_VirtualMemory_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_VirtualMemory_interface,
    .impl = &vm_server,
};

static struct kobject vm_obj = {
    .ops = &vm_ops,
    .refs = 1,
    .interface_id = capos_VirtualMemory_TYPE_ID,
};

struct kobject *
vm_object(void)
{
	return &vm_obj;
}
