/*
 * Clients for the memory interfaces: FrameAllocator, MemoryObject and
 * VirtualMemory (docs/memory.md), over the generated stubs.  One call
 * structure serves them all, under a mutex (none of them waits).
 */
#include "capos.h"

#include "capos.capnp.client.h"

_Static_assert(CAPOS_PROT_NONE == capos_Protection_none &&
                   CAPOS_PROT_READ == capos_Protection_read &&
                   CAPOS_PROT_READ_WRITE == capos_Protection_readWrite &&
                   CAPOS_PROT_READ_EXECUTE == capos_Protection_readExecute,
               "the schema's Protection");

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

int
capos_frames_allocate(capos_capid_t frames, uint32_t pages,
                      capos_capid_t *object)
{
	int err;

	*object = 0;
	capos_mutex_lock(&call_lock);
	capos_FrameAllocator_allocate_Params_set_pages(
	    capos_FrameAllocator_allocate_begin(&call), pages);
	err = capos_FrameAllocator_allocate_send(&call, frames);
	if (!err) {
		uint32_t idx = capos_FrameAllocator_allocate_Results_get_object(
		    capos_FrameAllocator_allocate_results(&call));

		*object = capos_call_result_cap(&call, idx, NULL);
		if (!*object)
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_memory_object_info(capos_capid_t object, uint32_t *pages, uint64_t *size)
{
	int err;

	capos_mutex_lock(&call_lock);
	capos_MemoryObject_info_begin(&call);
	err = capos_MemoryObject_info_send(&call, object);
	if (!err) {
		capos_MemoryObject_info_Results_reader r =
		    capos_MemoryObject_info_results(&call);

		*pages = capos_MemoryObject_info_Results_get_pages(r);
		*size = capos_MemoryObject_info_Results_get_size(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_reserve(capos_capid_t vm, uint64_t pages, uint64_t addr, uint64_t *out)
{
	capos_VirtualMemory_reserve_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_reserve_begin(&call);
	capos_VirtualMemory_reserve_Params_set_pages(p, pages);
	capos_VirtualMemory_reserve_Params_set_addr(p, addr);
	err = capos_VirtualMemory_reserve_send(&call, vm);
	if (!err) {
		*out = capos_VirtualMemory_reserve_Results_get_addr(
		    capos_VirtualMemory_reserve_results(&call));
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_commit(capos_capid_t vm, uint64_t addr, uint64_t pages)
{
	capos_VirtualMemory_commit_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_commit_begin(&call);
	capos_VirtualMemory_commit_Params_set_addr(p, addr);
	capos_VirtualMemory_commit_Params_set_pages(p, pages);
	err = capos_VirtualMemory_commit_send(&call, vm);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_decommit(capos_capid_t vm, uint64_t addr, uint64_t pages)
{
	capos_VirtualMemory_decommit_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_decommit_begin(&call);
	capos_VirtualMemory_decommit_Params_set_addr(p, addr);
	capos_VirtualMemory_decommit_Params_set_pages(p, pages);
	err = capos_VirtualMemory_decommit_send(&call, vm);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_map(capos_capid_t vm, capos_capid_t object, uint64_t addr, int prot,
             uint64_t *out)
{
	capos_VirtualMemory_map_Params_builder p;
	uint32_t idx;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_map_begin(&call);
	idx = capos_call_add_cap(&call, object, CAPOS_XFER_COPY);
	capos_VirtualMemory_map_Params_set_object(p, idx);
	capos_VirtualMemory_map_Params_set_addr(p, addr);
	capos_VirtualMemory_map_Params_set_prot(p, (enum capos_Protection)prot);
	err = capos_VirtualMemory_map_send(&call, vm);
	if (!err) {
		*out = capos_VirtualMemory_map_Results_get_addr(
		    capos_VirtualMemory_map_results(&call));
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_unmap(capos_capid_t vm, uint64_t addr, uint64_t pages)
{
	capos_VirtualMemory_unmap_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_unmap_begin(&call);
	capos_VirtualMemory_unmap_Params_set_addr(p, addr);
	capos_VirtualMemory_unmap_Params_set_pages(p, pages);
	err = capos_VirtualMemory_unmap_send(&call, vm);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_protect(capos_capid_t vm, uint64_t addr, uint64_t pages, int prot)
{
	capos_VirtualMemory_protect_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_protect_begin(&call);
	capos_VirtualMemory_protect_Params_set_addr(p, addr);
	capos_VirtualMemory_protect_Params_set_pages(p, pages);
	capos_VirtualMemory_protect_Params_set_prot(
	    p, (enum capos_Protection)prot);
	err = capos_VirtualMemory_protect_send(&call, vm);
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_vm_access(capos_capid_t vm, uint64_t addr, uint64_t len, int *readable,
                int *writable)
{
	capos_VirtualMemory_access_Params_builder p;
	capos_VirtualMemory_access_Results_reader r;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_VirtualMemory_access_begin(&call);
	capos_VirtualMemory_access_Params_set_addr(p, addr);
	capos_VirtualMemory_access_Params_set_length(p, len);
	err = capos_VirtualMemory_access_send(&call, vm);
	if (!err) {
		r = capos_VirtualMemory_access_results(&call);
		*readable = capos_VirtualMemory_access_Results_get_readable(r);
		*writable = capos_VirtualMemory_access_Results_get_writable(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}
