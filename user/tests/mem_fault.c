/*
 * mem_fault: ends itself with a page fault memtest asked for, named by
 * the name of one of its grants (any cap will do):
 *
 *   readonly     writes to a read-only mapping of a MemoryObject;
 *   decommitted  reads a page decommitted from its reservation;
 *   unmapped     reads a range it unmapped;
 *   noaccess     reads committed memory protected to none;
 *   fresh        first checks that nothing a previous mem_fault left
 *                shows here (its data and bss words, its committed
 *                pages: the kernel reuses dead processes' page tables),
 *                then reads a page it reserved without committing, which
 *                an earlier copy had committed at the same address.
 *
 * The kernel ends it with exit code 142 (128 + page fault) and a log line
 * naming the address, the access and the mapping, which the boot suite
 * checks.  Reaching the end is a failure: exit code 1.
 */
#include "capos.h"

#include "capos.capnp.h"

#define PAGE      4096u
#define DATA_INIT 0x5eed5eed5eed5eedull

/* Written by every fresh copy; each must start with the image's values. */
static volatile uint64_t data_word = DATA_INIT;
static volatile uint64_t bss_word;

/* The fresh mode: 142 from the fault at its end, else the check that
 * failed (5: data or bss, 6: a committed page not zero). */
static int
fresh(capos_capid_t vm)
{
	volatile uint64_t *p;
	uint64_t a = 0, i;

	if (data_word != DATA_INIT || bss_word != 0)
		return 5;
	data_word = bss_word = 0xdeadbeef;
	if (capos_vm_reserve(vm, 4, 0, &a) || capos_vm_commit(vm, a, 2))
		return 3;
	p = (volatile uint64_t *)(uintptr_t)a;
	for (i = 0; i < 2 * PAGE / sizeof(*p); i++)
		if (p[i] != 0)
			return 6;
	p[0] = p[PAGE / sizeof(*p)] = 0xdeadbeef;
	printf("mem_fault: reading uncommitted %#lx\n",
	       (unsigned long)(a + 2 * PAGE));
	(void)p[2 * PAGE / sizeof(*p)];
	return 1;
}

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
	if (granted("fresh"))
		return fresh(vm);
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
