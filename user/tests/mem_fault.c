/*
 * mem_fault: ends itself with a page fault memtest asked for, named by
 * the name of one of its grants (any cap will do):
 *
 *   readonly     writes to a read-only mapping of a MemoryObject;
 *   decommitted  reads a page decommitted from its reservation;
 *   unmapped     reads a range it unmapped;
 *   noaccess     reads committed memory protected to none.
 *
 * The kernel ends it with exit code 142 (128 + page fault) and a log line
 * naming the address, the access and the mapping, which the boot suite
 * checks.  Reaching the end is a failure: exit code 1.
 */
#include "capos.h"

#include "capos.capnp.h"

#define PAGE 4096u

static bool
granted(const char *name)
{
	capos_capid_t cap;

	return capos_capset_find(name, capos_Console_TYPE_ID, &cap) == 0;
}

int
main(void)
{
	capos_capid_t vm, frames, obj;
	uint64_t a = 0;
	volatile uint64_t *p;

	if (capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm) ||
	    capos_capset_find("frames", capos_FrameAllocator_TYPE_ID, &frames))
		return 2;
	if (granted("readonly")) {
		if (capos_frames_allocate(frames, 1, &obj) ||
		    capos_vm_map(vm, obj, 0, CAPOS_PROT_READ, &a))
			return 3;
		p = (volatile uint64_t *)(uintptr_t)a;
		printf("mem_fault: writing to read-only %#lx\n",
		       (unsigned long)a);
		p[1] = 1;
	} else if (capos_vm_reserve(vm, 4, 0, &a) ||
	           capos_vm_commit(vm, a, 4)) {
		return 3;
	}
	p = (volatile uint64_t *)(uintptr_t)(a + PAGE);
	p[0] = 5; /* committed: fine */
	if (granted("decommitted")) {
		if (capos_vm_decommit(vm, a + PAGE, 1))
			return 4;
		printf("mem_fault: reading decommitted %#lx\n",
		       (unsigned long)(a + PAGE));
		(void)p[0];
	} else if (granted("unmapped")) {
		if (capos_vm_unmap(vm, a, 4))
			return 4;
		printf("mem_fault: reading unmapped %#lx\n",
		       (unsigned long)(a + PAGE));
		(void)p[0];
	} else if (granted("noaccess")) {
		if (capos_vm_protect(vm, a + PAGE, 1, CAPOS_PROT_NONE))
			return 4;
		printf("mem_fault: reading no-access %#lx\n",
		       (unsigned long)(a + PAGE));
		(void)p[0];
	}
	return 1;
}
