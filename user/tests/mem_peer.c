/*
 * mem_peer: the other process of memtest's sharing cases.
 *
 *   - granted a MemoryObject "mo": maps it, checks the first half holds
 *     memtest's pattern, writes its own into the second half, unmaps,
 *     and exits with its failures ("peer." checks);
 *   - granted an endpoint "svc" (Echo): makes a 16-page object, writes a
 *     pattern into it, answers one giveBack with the object (moved) and
 *     exits 0, so the object outlives its creator.
 */
#include "capos.h"
#include "capos_serve.h"

#include "capos.capnp.h"

#define PAGE 4096u

static capos_capid_t vm, given;
static uint8_t buf[1024] __attribute__((aligned(8)));

static uint64_t
pattern(uint64_t s, uint64_t i)
{
	return (s * 0x9e3779b97f4a7c15ull) ^ (i * 0x100000001b3ull) ^ i;
}

static int
share(capos_capid_t obj)
{
	uint32_t pages = 0;
	uint64_t size = 0, a = 0, words, i, bad = 0;
	volatile uint64_t *p;

	ktest_prefix("peer.");
	ktest_check_code(capos_memory_object_info(obj, &pages, &size), 0,
	                 "info");
	ktest_check_code(capos_vm_map(vm, obj, 0, CAPOS_PROT_READ_WRITE, &a), 0,
	                 "map");
	if (!a)
		return ktest_failures();
	p = (volatile uint64_t *)(uintptr_t)a;
	words = (uint64_t)pages * PAGE / 8;
	for (i = 0; i < words / 2; i++)
		if (p[i] != pattern(7, i))
			bad++;
	ktest_check(bad == 0, "reads_pattern", "%lu words differ",
	            (unsigned long)bad);
	for (i = 0; i < words / 2; i++)
		p[words / 2 + i] = pattern(8, i);
	ktest_check_code(capos_vm_unmap(vm, a, pages), 0, "unmap");
	return ktest_failures();
}

static int
give_back(void *self, struct rpc_call *call,
          capos_Echo_giveBack_Params_reader p,
          capos_Echo_giveBack_Results_builder r)
{
	(void)self;
	(void)p;
	capnp_slot_set_cap(capos_Echo_giveBack_Results_slot_cap(r),
	                   capos_serve_result_cap(capos_server_call_of(call),
	                                          given, CAPOS_XFER_MOVE));
	return RPC_OK;
}

static const struct capos_Echo_server impl = {.giveBack = give_back};

static int
give(capos_capid_t owner)
{
	capos_capid_t frames;
	uint64_t a = 0, i;
	volatile uint64_t *p;

	if (capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
	                      &frames) ||
	    capos_frames_allocate(frames, 16, &given) ||
	    capos_vm_map(vm, given, 0, CAPOS_PROT_READ_WRITE, &a))
		return 2;
	p = (volatile uint64_t *)(uintptr_t)a;
	for (i = 0; i < 16 * PAGE / 8; i++)
		p[i] = pattern(9, i);
	/* The mapping stays: it goes with the process. */
	if (capos_serve_one(owner, &capos_Echo_interface, &impl, NULL, buf,
	                    sizeof(buf)) < 0)
		return 3;
	return 0;
}

int
main(void)
{
	capos_capid_t obj, owner;

	if (capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm))
		return 1;
	if (capos_capset_find("mo", capos_MemoryObject_TYPE_ID, &obj) == 0)
		return share(obj);
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner) == 0)
		return give(owner);
	return 1;
}
