/*
 * FrameAllocator: makes MemoryObjects (kobj/memory_object.c), charged to
 * the caller's frame budget whatever allocator cap it holds.  Physical
 * addresses never leave the kernel.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "kobj/memory_object.h"
#include "kobj/message.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

static int
allocate(void *self, struct rpc_call *call,
         capos_FrameAllocator_allocate_Params_reader p,
         capos_FrameAllocator_allocate_Results_builder r)
{
	struct kcall *c = kcall_of(call);
	uint32_t pages = capos_FrameAllocator_allocate_Params_get_pages(p);
	struct kobject *obj;
	uint32_t written;
	int err;

	(void)self;
	if (pages == 0 || pages > MEMOBJ_PAGES_MAX)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "allocate: pages must be 1 to 16384");
	/* Whether the caller can take the answer decides before the frames
	 * are taken. */
	capos_FrameAllocator_allocate_Results_set_object(r, 0);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	written = c->result_len;
	err = kcall_room_for(c, 1, written);
	if (err != KERR_OK)
		return err;
	err = memory_object_create(c->caller, pages, &obj);
	if (err == KERR_QUOTA)
		return KERR_QUOTA;
	if (err)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "allocate: out of memory");
	c->out[0] = obj;
	c->nout = 1;
	c->result_len = written;
	return KERR_OK;
}

static const struct capos_FrameAllocator_server frames_server = {
    .allocate = allocate,
};

static const struct kobject_ops frames_ops = {
    .name = "FrameAllocator",
    .interface_id = capos_FrameAllocator_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_FrameAllocator_interface,
    .impl = &frames_server,
};

static struct kobject frames_obj = {
    .ops = &frames_ops,
    .refs = 1,
    .interface_id = capos_FrameAllocator_TYPE_ID,
};

struct kobject *
frames_object(void)
{
	return &frames_obj;
}
