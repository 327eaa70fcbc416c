/*
 * MemoryObject: frames the kernel owns on behalf of whoever holds the
 * object, made by FrameAllocator.allocate and mapped by
 * VirtualMemory.map into any number of address spaces.  Transferable.
 *
 * Lifetime: one reference per cap and one per mapping; the frames are
 * freed with the last of them, so a mapping stays valid after its cap is
 * released, and no address space ever maps a freed frame.
 *
 * Charging: the process that made the object pays for its frames (its
 * aspace's charged_frames, under its frame limit) for as long as the
 * object lives, wherever its caps and mappings have gone.  When the payer
 * ends first, the charge moves to the process that takes its budget back
 * (its parent, docs/processes.md); a process the kernel started hands it
 * to nobody, which only happens as the system's last processes end.  So
 * every live frame is paid for once, and freed once.  docs/memory.md.
 */
#include "core/kernel.h"
#include "kobj/kobject.h"
#include "kobj/memory_object.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

struct memory_object {
	struct kobject obj;
	uint32_t npages;
	struct process *payer; /* NULL: nobody left to pay */
	TAILQ_ENTRY(memory_object) paid_link;
	uint64_t frames[]; /* physical addresses, npages of them */
};

#define MEMOBJ(o) ((struct memory_object *)(o))

static int
info(void *self, struct rpc_call *call, capos_MemoryObject_info_Params_reader p,
     capos_MemoryObject_info_Results_builder r)
{
	struct memory_object *m = MEMOBJ(self);

	(void)call;
	(void)p;
	capos_MemoryObject_info_Results_set_pages(r, m->npages);
	capos_MemoryObject_info_Results_set_size(r, (uint64_t)m->npages *
	                                                PAGE_SIZE);
	return KERR_OK;
}

static const struct capos_MemoryObject_server memobj_server = {
    .info = info,
};

static void
uncharge(struct memory_object *m)
{
	if (!m->payer)
		return;
	TAILQ_REMOVE(&m->payer->paid_objects, m, paid_link);
	m->payer->as.charged_frames -= m->npages;
	m->payer = NULL;
}

static void
memobj_destroy(struct kobject *obj)
{
	struct memory_object *m = MEMOBJ(obj);
	uint32_t i;

	uncharge(m);
	for (i = 0; i < m->npages; i++)
		pmm_free(FRAME_USER, m->frames[i]);
	kfree(m);
}

static const struct kobject_ops memobj_ops = {
    .name = "MemoryObject",
    .interface_id = capos_MemoryObject_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_MemoryObject_interface,
    .impl = &memobj_server,
    .destroy = memobj_destroy,
};

enum kerr
memory_object_create(struct process *payer, uint32_t npages,
                     struct kobject **out)
{
	struct memory_object *m;
	uint32_t i;

	if (npages == 0 || npages > MEMOBJ_PAGES_MAX)
		return KERR_BAD_ARG;
	if (!aspace_frames_fit(&payer->as, npages))
		return KERR_QUOTA;
	m = kzalloc(sizeof(*m) + npages * sizeof(m->frames[0]));
	if (!m)
		return KERR_NOMEM;
	for (i = 0; i < npages; i++)
		if (pmm_alloc(FRAME_USER, &m->frames[i])) {
			while (i-- > 0)
				pmm_free(FRAME_USER, m->frames[i]);
			kfree(m);
			return KERR_NOMEM;
		}
	m->obj = (struct kobject){&memobj_ops, 1, capos_MemoryObject_TYPE_ID};
	m->npages = npages;
	m->payer = payer;
	payer->as.charged_frames += npages;
	TAILQ_INSERT_TAIL(&payer->paid_objects, m, paid_link);
	*out = &m->obj;
	return KERR_OK;
}

bool
memory_object_frames(struct kobject *obj, const uint64_t **frames,
                     uint32_t *npages)
{
	struct memory_object *m;

	if (!obj || obj->ops != &memobj_ops)
		return false;
	m = MEMOBJ(obj);
	*frames = m->frames;
	*npages = m->npages;
	return true;
}

void
memory_object_drop(void *obj)
{
	kobject_put(obj);
}

void
memory_objects_hand_over(struct process *from, struct process *to)
{
	struct memory_object *m;

	while ((m = TAILQ_FIRST(&from->paid_objects))) {
		uint32_t n = m->npages;

		uncharge(m);
		if (to) {
			m->payer = to;
			to->as.charged_frames += n;
			TAILQ_INSERT_TAIL(&to->paid_objects, m, paid_link);
		}
	}
}
