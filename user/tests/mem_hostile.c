/*
 * mem_hostile: every method of FrameAllocator and VirtualMemory abused,
 * spawned by memtest with small limits (96 frames, 1024 virtual pages)
 * so that each limit can be reached.  Bad arguments must be the exception
 * invalidArgument, limits CAPOS_E_QUOTA, and nothing may change on
 * failure (SystemInfo's free frames say so for the commit past the
 * limit).  Prints "memh." checks; exits with its failures.
 */
#include "capos.h"

#include "capos.capnp.client.h"

#include <capos/layout.h>

#define PAGE 4096ull
#define INV  capos_ExceptionType_invalidArgument

static capos_capid_t vm, frames, sysinfo, console;

static uint64_t
free_frames(void)
{
	uint64_t total, free;

	return capos_sysinfo_memory(sysinfo, &total, &free) ? 0 : free;
}

static void
test_reserve(void)
{
	static const struct {
		const char *name;
		uint64_t addr, pages;
	} bad[] = {
	    {"reserve.zero_pages", 0, 0},
	    {"reserve.zero_pages_fixed", CAPOS_USER_HEAP_BASE, 0},
	    {"reserve.huge_pages", 0, 1ull << 40},
	    {"reserve.pages_overflow", CAPOS_USER_HEAP_BASE, 1ull << 52},
	    {"reserve.pages_max", CAPOS_USER_HEAP_BASE, UINT64_MAX},
	    {"reserve.unaligned", CAPOS_USER_HEAP_BASE + 1, 1},
	    {"reserve.image", CAPOS_USER_IMAGE_BASE, 1},
	    {"reserve.below_window", CAPOS_USER_HEAP_BASE - PAGE, 2},
	    {"reserve.past_window", CAPOS_USER_HEAP_END - PAGE, 2},
	    {"reserve.tls", CAPOS_USER_TLS_BASE, 1},
	    {"reserve.ring", CAPOS_USER_RING_ADDR, 1},
	    {"reserve.capset", CAPOS_USER_CAPSET_ADDR, 1},
	    {"reserve.stack", CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE, 1},
	    {"reserve.stack_guard",
	     CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE - PAGE, 1},
	    {"reserve.kernel", CAPOS_KERNEL_BASE, 1},
	    {"reserve.non_canonical", 0x0000900000000000ull, 1},
	    {"reserve.wraps", 0xfffffffffffff000ull, 2},
	};
	uint64_t a = 0, b = 0, i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ktest_check_exception(
		    capos_vm_reserve(vm, bad[i].pages, bad[i].addr, &a), INV,
		    bad[i].name);
	ktest_check_code(capos_vm_reserve(vm, 4, 0, &a), 0, "reserve.ok");
	ktest_check_exception(capos_vm_reserve(vm, 1, a + PAGE, &b), INV,
	                      "reserve.overlap_inside");
	ktest_check_exception(capos_vm_reserve(vm, 8, a - 4 * PAGE, &b), INV,
	                      "reserve.overlap_start");
	/* Past the virtual-page limit, then exactly up to it. */
	ktest_check_code(capos_vm_reserve(vm, 1020, 0, &b) == 0
	                     ? capos_vm_reserve(vm, 1, 0, &i)
	                     : -1,
	                 CAPOS_E_QUOTA, "reserve.virtual_page_limit");
	ktest_check_code(capos_vm_unmap(vm, b, 1020), 0, "reserve.unmap_big");
	ktest_check_code(capos_vm_reserve(vm, 1025, 0, &b), CAPOS_E_QUOTA,
	                 "reserve.over_limit_at_once");
	/* Region slots: 256, a has one. */
	{
		static uint64_t at[256];
		uint32_t n = 0;
		int err = 0;

		while (n < 256 &&
		       (err = capos_vm_reserve(vm, 1, 0, &at[n])) == 0)
			n++;
		ktest_check(n == 255 && err == CAPOS_E_QUOTA,
		            "reserve.region_slots", "%u more regions, then %d",
		            n, err);
		while (n-- > 0)
			capos_vm_unmap(vm, at[n], 1);
	}
	ktest_check_code(capos_vm_unmap(vm, a, 4), 0, "reserve.unmap");
}

static void
test_commit(void)
{
	uint64_t a = 0, b = 0, f0, f1;

	ktest_check_code(capos_vm_reserve(vm, 200, 0, &a), 0, "commit.reserve");
	ktest_check_code(capos_vm_reserve(vm, 4, a + 200 * PAGE, &b), 0,
	                 "commit.reserve_neighbour");
	ktest_check_exception(capos_vm_commit(vm, a, 0), INV,
	                      "commit.zero_pages");
	ktest_check_exception(capos_vm_commit(vm, a + 1, 1), INV,
	                      "commit.unaligned");
	ktest_check_exception(capos_vm_commit(vm, a, 1ull << 52), INV,
	                      "commit.pages_overflow");
	ktest_check_exception(capos_vm_commit(vm, a + 199 * PAGE, 2), INV,
	                      "commit.spans_two_reservations");
	ktest_check_exception(capos_vm_commit(vm, b + 4 * PAGE, 1), INV,
	                      "commit.unreserved");
	ktest_check_exception(
	    capos_vm_commit(vm, CAPOS_USER_STACK_TOP - PAGE, 1), INV,
	    "commit.stack");
	ktest_check_exception(capos_vm_commit(vm, CAPOS_KERNEL_BASE, 1), INV,
	                      "commit.kernel");
	f0 = free_frames();
	ktest_check_code(capos_vm_commit(vm, a, 200), CAPOS_E_QUOTA,
	                 "commit.frame_limit");
	f1 = free_frames();
	ktest_check(f1 == f0, "commit.frame_limit_took_nothing",
	            "free frames %lu then %lu", (unsigned long)f0,
	            (unsigned long)f1);
	ktest_check_code(capos_vm_commit(vm, a, 8), 0, "commit.within_limit");
	ktest_check_exception(capos_vm_decommit(vm, a, 0), INV,
	                      "decommit.zero_pages");
	ktest_check_exception(capos_vm_decommit(vm, a + 199 * PAGE, 2), INV,
	                      "decommit.spans_two_reservations");
	ktest_check_exception(capos_vm_decommit(vm, b + 4 * PAGE, 1), INV,
	                      "decommit.unreserved");
	ktest_check_exception(capos_vm_decommit(vm, CAPOS_USER_RING_ADDR, 1),
	                      INV, "decommit.ring");
	ktest_check_exception(
	    capos_vm_protect(vm, a + 7 * PAGE, 2, CAPOS_PROT_READ), INV,
	    "protect.uncommitted_page");
	ktest_check_exception(capos_vm_protect(vm, a, 1, 9), INV,
	                      "protect.bad_prot");
	ktest_check_exception(capos_vm_protect(vm, a, 0, CAPOS_PROT_READ), INV,
	                      "protect.zero_pages");
	ktest_check_exception(capos_vm_protect(vm, CAPOS_USER_CAPSET_ADDR, 1,
	                                       CAPOS_PROT_READ_WRITE),
	                      INV, "protect.capset");
	ktest_check_exception(capos_vm_protect(vm, CAPOS_USER_IMAGE_BASE, 1,
	                                       CAPOS_PROT_READ_WRITE),
	                      INV, "protect.image");
	ktest_check_exception(capos_vm_unmap(vm, a + PAGE, 1), INV,
	                      "unmap.part_of_a_reservation");
	ktest_check_exception(capos_vm_unmap(vm, a, 201), INV,
	                      "unmap.sticks_into_neighbour");
	ktest_check_exception(capos_vm_unmap(vm, b + 8 * PAGE, 4), INV,
	                      "unmap.never_mapped");
	ktest_check_exception(capos_vm_unmap(vm, a, 0), INV,
	                      "unmap.zero_pages");
	ktest_check_exception(capos_vm_unmap(vm, a, UINT64_MAX), INV,
	                      "unmap.pages_overflow");
	ktest_check_exception(capos_vm_unmap(vm, CAPOS_USER_RING_ADDR, 1), INV,
	                      "unmap.ring");
	ktest_check_code(capos_vm_unmap(vm, a, 204), 0, "unmap.both");
}

static void
test_objects(void)
{
	capos_capid_t obj = 0, other;
	uint64_t a = 0, b = 0;
	static struct capos_call c;
	capos_VirtualMemory_map_Params_builder p;

	ktest_check_exception(capos_frames_allocate(frames, 0, &obj), INV,
	                      "allocate.zero_pages");
	ktest_check_exception(capos_frames_allocate(frames, 16385, &obj), INV,
	                      "allocate.too_many_pages");
	ktest_check_exception(capos_frames_allocate(frames, UINT32_MAX, &obj),
	                      INV, "allocate.max_pages");
	ktest_check_code(capos_frames_allocate(frames, 96, &obj), CAPOS_E_QUOTA,
	                 "allocate.frame_limit");
	ktest_check_code(capos_frames_allocate(frames, 2, &obj), 0,
	                 "allocate.ok");
	ktest_check_exception(
	    capos_vm_map(vm, console, 0, CAPOS_PROT_READ_WRITE, &a), INV,
	    "map.console_is_no_object");
	ktest_check_exception(
	    capos_vm_map(vm, frames, 0, CAPOS_PROT_READ_WRITE, &a), INV,
	    "map.allocator_is_no_object");
	ktest_check_exception(capos_vm_map(vm, obj, 0, 4, &a), INV,
	                      "map.bad_prot");
	ktest_check_exception(capos_vm_map(vm, obj, CAPOS_USER_HEAP_BASE + 8,
	                                   CAPOS_PROT_READ, &a),
	                      INV, "map.unaligned");
	ktest_check_exception(
	    capos_vm_map(vm, obj, CAPOS_USER_RING_ADDR, CAPOS_PROT_READ, &a),
	    INV, "map.ring");
	ktest_check_exception(
	    capos_vm_map(vm, obj, CAPOS_KERNEL_BASE, CAPOS_PROT_READ, &a), INV,
	    "map.kernel");
	/* No cap sent with the call at all. */
	p = capos_VirtualMemory_map_begin(&c);
	capos_VirtualMemory_map_Params_set_object(p, 0);
	capos_VirtualMemory_map_Params_set_prot(p, capos_Protection_read);
	ktest_check_exception(capos_VirtualMemory_map_send(&c, vm), INV,
	                      "map.no_cap_sent");
	ktest_check_code(capos_vm_map(vm, obj, 0, CAPOS_PROT_READ_WRITE, &a), 0,
	                 "map.ok");
	ktest_check_exception(
	    capos_vm_map(vm, obj, a + PAGE, CAPOS_PROT_READ, &b), INV,
	    "map.overlaps_mapping");
	ktest_check_exception(capos_vm_commit(vm, a, 1), INV,
	                      "commit.object_mapping");
	ktest_check_exception(capos_vm_decommit(vm, a, 1), INV,
	                      "decommit.object_mapping");
	ktest_check_exception(capos_vm_unmap(vm, a, 1), INV,
	                      "unmap.half_a_mapping");
	ktest_check_code(capos_vm_protect(vm, a, 2, CAPOS_PROT_READ), 0,
	                 "protect.object_mapping");
	ktest_check_exception(capos_vm_protect(vm, a, 3, CAPOS_PROT_READ), INV,
	                      "protect.past_mapping");
	/* Write and execute together do not exist: readExecute is not
	 * writable, which mem_fault's readonly case shows for read. */
	ktest_check_code(capos_vm_protect(vm, a, 2, CAPOS_PROT_READ_EXECUTE), 0,
	                 "protect.read_execute");
	ktest_check_code(capos_vm_unmap(vm, a, 2), 0, "unmap.mapping");
	other = obj;
	ktest_check_code(capos_release_sync(other), 0, "release.object");
}

int
main(void)
{
	uint64_t a = 0;

	ktest_prefix("memh.");
	if (capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm) ||
	    capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
	                      &frames) ||
	    capos_capset_find("sysinfo", capos_SystemInfo_TYPE_ID, &sysinfo) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console))
		return 100;
	test_reserve();
	test_commit();
	test_objects();
	/* After all that, memory still works. */
	ktest_check(capos_vm_reserve(vm, 1, 0, &a) == 0 &&
	                capos_vm_commit(vm, a, 1) == 0,
	            "still_works", "reserve and commit failed");
	if (a) {
		*(volatile uint64_t *)(uintptr_t)a = 42;
		ktest_check(*(volatile uint64_t *)(uintptr_t)a == 42,
		            "still_writes", "the page did not keep a value");
	}
	return ktest_failures();
}
