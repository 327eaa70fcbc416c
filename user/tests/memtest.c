/*
 * memtest: memory capabilities seen from programs, run as init of
 * tests/boot/manifests/memtest.capnp (so it holds ProcessSpawner and the
 * kernel caps frames, vm and sysinfo).
 *
 *   - reserve, commit, write, decommit, recommit: the pages read zero
 *     again;
 *   - access answers what may be read and written, touching nothing;
 *   - two processes share a 1 MiB MemoryObject (a spawn grant): this one
 *     writes a pattern, mem_peer maps it, checks it, writes its own and
 *     unmaps; this mapping is intact after the peer's unmap and exit;
 *   - two mappings of one object in one process are independent;
 *   - a mapping outlives the released cap; the frames come back exactly
 *     at the last unmap (SystemInfo's free frames);
 *   - an object outlives its creator (mem_peer in give mode hands one
 *     over an endpoint, then exits);
 *   - faults: a write to a read-only mapping, a touch of a decommitted
 *     page, of an unmapped range, of a no-access page each end mem_fault
 *     with exit code 142 (the boot suite checks the kernel's message);
 *   - mem_hostile, with small limits, abuses every method.
 *
 * Prints KTEST lines ("mem.", and "peer." and "memh." from the children);
 * exits with the number of failures.  The supervisor then checks that
 * every frame came back.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "fmt/fmt.h"

#define PAGE        4096u
#define SHARE_PAGES 256u /* 1 MiB */

static capos_capid_t spawner, console, frames, vm, sysinfo;

static uint64_t
free_frames(void)
{
	uint64_t total, free;

	return capos_sysinfo_memory(sysinfo, &total, &free) ? 0 : free;
}

/* The word at page i, word j of a pattern with seed s. */
static uint64_t
pattern(uint64_t s, uint64_t i)
{
	return (s * 0x9e3779b97f4a7c15ull) ^ (i * 0x100000001b3ull) ^ i;
}

static void
fill(volatile uint64_t *p, uint64_t words, uint64_t seed)
{
	uint64_t i;

	for (i = 0; i < words; i++)
		p[i] = pattern(seed, i);
}

/* Index of the first word that differs, or words when all match. */
static uint64_t
verify(const volatile uint64_t *p, uint64_t words, uint64_t seed)
{
	uint64_t i;

	for (i = 0; i < words; i++)
		if (p[i] != pattern(seed, i))
			return i;
	return words;
}

static int
run_child(const char *name, const char *binary,
          const struct capos_spawn_grant *g, uint32_t ng,
          const struct capos_spawn_limits *lim, int32_t *code)
{
	capos_capid_t handle;
	int err = capos_spawn(spawner, name, binary, g, ng, NULL, 0, lim,
	                      &handle, NULL);

	if (err)
		return err;
	err = capos_handle_wait(handle, code);
	capos_release(handle);
	return err;
}

static void
test_reserve_commit(void)
{
	uint64_t addr = 0, i;
	volatile uint64_t *p;
	bool zero = true;

	ktest_check_code(capos_vm_reserve(vm, 16, 0, &addr), 0,
	                 "reserve.any_address");
	ktest_check(addr >= 0x1000000000ull && addr % PAGE == 0,
	            "reserve.in_heap_window", "addr %#lx", (unsigned long)addr);
	ktest_check_code(capos_vm_commit(vm, addr, 4), 0, "commit.four_pages");
	p = (volatile uint64_t *)(uintptr_t)addr;
	for (i = 0; i < 4 * PAGE / 8; i++)
		if (p[i] != 0)
			zero = false;
	ktest_check(zero, "commit.reads_zero", "committed pages not zero");
	fill(p, 4 * PAGE / 8, 1);
	/* Committing again keeps what is there. */
	ktest_check_code(capos_vm_commit(vm, addr, 8), 0, "commit.again");
	ktest_check(verify(p, 4 * PAGE / 8, 1) == 4 * PAGE / 8,
	            "commit.again_keeps_contents", "contents changed");
	ktest_check_code(capos_vm_decommit(vm, addr + PAGE, 2), 0,
	                 "decommit.two_pages");
	ktest_check_code(capos_vm_commit(vm, addr + PAGE, 2), 0,
	                 "commit.after_decommit");
	zero = true;
	for (i = PAGE / 8; i < 3 * PAGE / 8; i++)
		if (p[i] != 0)
			zero = false;
	ktest_check(zero, "decommit.then_commit_reads_zero",
	            "old contents after decommit and commit");
	ktest_check(p[0] == pattern(1, 0) &&
	                p[3 * PAGE / 8] == pattern(1, 3 * PAGE / 8),
	            "decommit.neighbours_kept", "pages around changed");
	ktest_check_code(capos_vm_protect(vm, addr, 8, CAPOS_PROT_READ), 0,
	                 "protect.read_only");
	ktest_check(p[0] == pattern(1, 0), "protect.still_readable",
	            "read-only page lost its contents");
	ktest_check_code(capos_vm_unmap(vm, addr, 16), 0, "unmap.reservation");
	/* A fixed address: the one just freed. */
	ktest_check_code(capos_vm_reserve(vm, 16, addr, &i), 0,
	                 "reserve.fixed_address");
	ktest_check(i == addr, "reserve.fixed_is_exact", "got %#lx",
	            (unsigned long)i);
	ktest_check_code(capos_vm_unmap(vm, addr, 16), 0, "unmap.fixed");
}

/* VirtualMemory.access: the answer for a range, never a touch of it. */
static void
access_is(uint64_t addr, uint64_t len, int readable, int writable,
          const char *name)
{
	int r = -1, w = -1, err = capos_vm_access(vm, addr, len, &r, &w);

	ktest_check(err == 0 && r == readable && w == writable, name,
	            "error %d, readable %d, writable %d", err, r, w);
}

static const char rodata_word[8] = "rodata";

static void
test_access(void)
{
	volatile uint64_t stack_word = 0;
	uint64_t addr = 0;

	ktest_check_code(capos_vm_reserve(vm, 4, 0, &addr), 0,
	                 "access.reserve");
	ktest_check_code(capos_vm_commit(vm, addr, 2), 0, "access.commit");
	ktest_check_code(capos_vm_protect(vm, addr + PAGE, 1, CAPOS_PROT_READ),
	                 0, "access.protect");
	access_is(addr, PAGE, 1, 1, "access.committed_read_write");
	access_is(addr + PAGE + 3, 8, 1, 0, "access.read_only_misaligned");
	access_is(addr + PAGE - 4, 8, 1, 0, "access.across_into_read_only");
	access_is(addr + 2 * PAGE, 1, 0, 0, "access.reserved_not_committed");
	access_is(addr, 3 * PAGE, 0, 0, "access.running_into_uncommitted");
	access_is(0xffff800000000000ull, 8, 0, 0, "access.kernel_half");
	access_is(~0ull - 7, 16, 0, 0, "access.wrapping");
	access_is(0x10000000, 4, 0, 0, "access.nothing_mapped");
	access_is(0xffff800000000000ull, 0, 1, 1, "access.length_zero");
	{
		int r, w;

		ktest_check_exception(
		    capos_vm_access(vm, addr, CAPOS_VM_ACCESS_MAX + 1, &r, &w),
		    capos_ExceptionType_invalidArgument,
		    "access.longer_than_the_max");
	}
	access_is((uintptr_t)rodata_word, sizeof(rodata_word), 1, 0,
	          "access.rodata");
	access_is((uintptr_t)&stack_word, sizeof(stack_word), 1, 1,
	          "access.stack");
	ktest_check_code(capos_vm_unmap(vm, addr, 4), 0, "access.unmap");
	access_is(addr, 1, 0, 0, "access.after_unmap");
}

/*
 * A 1 GiB reservation with four pages committed far apart (on both sides
 * of a page-table boundary, and at both ends): one decommit of the whole
 * range frees exactly those four frames.
 */
static void
test_large_reservation(void)
{
	static const uint64_t at[] = {0, 511, 512, (1u << 18) - 1};
	uint64_t a = 0, f0, f1, i;
	bool ok = true;

	ktest_check_code(capos_vm_reserve(vm, 1u << 18, 0, &a), 0,
	                 "large.reserve_1gib");
	for (i = 0; i < 4; i++) {
		if (capos_vm_commit(vm, a + at[i] * PAGE, 1))
			ok = false;
		else
			*(volatile uint64_t *)(uintptr_t)(a + at[i] * PAGE) =
			    i + 1;
	}
	ktest_check(ok, "large.commit_scattered", "a commit failed");
	f0 = free_frames();
	ktest_check_code(capos_vm_decommit(vm, a, 1u << 18), 0,
	                 "large.decommit_all");
	f1 = free_frames();
	ktest_check(f1 == f0 + 4, "large.decommit_frees_exactly",
	            "free frames %lu then %lu", (unsigned long)f0,
	            (unsigned long)f1);
	ktest_check(capos_vm_commit(vm, a + at[3] * PAGE, 1) == 0 &&
	                *(volatile uint64_t *)(uintptr_t)(a + at[3] * PAGE) ==
	                    0,
	            "large.recommit_reads_zero", "old value after recommit");
	ktest_check_code(capos_vm_unmap(vm, a, 1u << 18), 0, "large.unmap");
}

/* The shared-object cases; the object's frames come back at the end. */
static void
test_share(void)
{
	capos_capid_t obj = 0;
	uint64_t a = 0, b = 0, fa, fb, fc;
	uint32_t pages = 0;
	uint64_t size = 0;
	volatile uint64_t *p;
	int32_t code = -1;
	const uint64_t words = SHARE_PAGES * PAGE / 8;

	ktest_check_code(capos_frames_allocate(frames, SHARE_PAGES, &obj), 0,
	                 "share.allocate");
	ktest_check_code(capos_memory_object_info(obj, &pages, &size), 0,
	                 "share.info");
	ktest_check(pages == SHARE_PAGES && size == SHARE_PAGES * PAGE,
	            "share.info_size", "pages %u size %lu", pages,
	            (unsigned long)size);
	ktest_check_code(capos_vm_map(vm, obj, 0, CAPOS_PROT_READ_WRITE, &a), 0,
	                 "share.map");
	p = (volatile uint64_t *)(uintptr_t)a;
	ktest_check(p[0] == 0 && p[words - 1] == 0, "share.fresh_is_zero",
	            "a new object is not zeroed");
	fill(p, words / 2, 7);

	{
		struct capos_spawn_grant g[] = {
		    {"console", console}, {"vm", vm}, {"mo", obj}};

		ktest_check_code(
		    run_child("mem_peer", "mem_peer", g, 3, NULL, &code), 0,
		    "share.peer_ran");
		ktest_check(code == 0, "share.peer_verified",
		            "mem_peer exited with %d", code);
	}
	ktest_check(verify(p, words / 2, 7) == words / 2,
	            "share.own_mapping_intact_after_peer_unmap",
	            "the pattern changed");
	ktest_check(verify(p + words / 2, words / 2, 8) == words / 2,
	            "share.sees_peer_writes", "the peer's half is not there");

	/* A second mapping of the same object, unmapped alone. */
	ktest_check_code(capos_vm_map(vm, obj, 0, CAPOS_PROT_READ, &b), 0,
	                 "share.second_mapping");
	ktest_check(b != a && ((volatile uint64_t *)(uintptr_t)b)[5] == p[5],
	            "share.second_mapping_same_frames", "a %#lx b %#lx",
	            (unsigned long)a, (unsigned long)b);
	ktest_check_code(capos_vm_unmap(vm, b, SHARE_PAGES), 0,
	                 "share.unmap_second");
	ktest_check(verify(p, words / 2, 7) == words / 2,
	            "share.first_mapping_intact", "the pattern changed");

	/* The mapping holds the object after the cap is gone. */
	fa = free_frames();
	ktest_check_code(capos_release_sync(obj), 0, "share.release_cap");
	fb = free_frames();
	ktest_check(verify(p, words / 2, 7) == words / 2,
	            "share.mapping_outlives_cap", "the pattern changed");
	ktest_check(fb == fa, "share.frames_held_by_mapping",
	            "free frames %lu then %lu", (unsigned long)fa,
	            (unsigned long)fb);
	ktest_check_code(capos_vm_unmap(vm, a, SHARE_PAGES), 0,
	                 "share.unmap_last");
	fc = free_frames();
	ktest_check(fc == fb + SHARE_PAGES, "share.frames_back_at_last_unmap",
	            "free frames %lu then %lu", (unsigned long)fb,
	            (unsigned long)fc);
}

/* An object whose creator ended: mem_peer made it and handed it over. */
static void
test_creator_ends(void)
{
	struct capos_spawn_grant g[] = {
	    {"console", console}, {"vm", vm}, {"frames", frames}};
	struct capos_spawn_endpoint ep = {"svc", capos_Echo_TYPE_ID};
	static struct capos_call c;
	capos_capid_t handle, client, obj;
	uint64_t a = 0, f0, f1;
	int32_t code = -1;
	int err;

	err = capos_spawn(spawner, "mem_peer", "mem_peer", g, 3, &ep, 1, NULL,
	                  &handle, &client);
	ktest_check_code(err, 0, "creator.spawn");
	if (err)
		return;
	capos_Echo_giveBack_begin(&c);
	err = capos_Echo_giveBack_send(&c, client);
	ktest_check_code(err, 0, "creator.give_back");
	obj = 0;
	if (!err) {
		struct capnp_ptr cp = capos_Echo_giveBack_Results_get_cap(
		    capos_Echo_giveBack_results(&c));

		if (cp.type == CAPNP_PTR_CAP)
			obj = capos_call_result_cap(&c, cp.u.cap, NULL);
	}
	ktest_check_code(capos_handle_wait(handle, &code), 0, "creator.wait");
	ktest_check(code == 0, "creator.exited", "exit code %d", code);
	capos_release(handle);
	capos_release(client);
	ktest_check_code(capos_vm_map(vm, obj, 0, CAPOS_PROT_READ, &a), 0,
	                 "creator.map_after_exit");
	ktest_check(a && verify((volatile uint64_t *)(uintptr_t)a,
	                        16 * PAGE / 8, 9) == 16 * PAGE / 8,
	            "creator.contents_survive", "the pattern is not there");
	f0 = free_frames();
	ktest_check_code(capos_vm_unmap(vm, a, 16), 0, "creator.unmap");
	ktest_check_code(capos_release_sync(obj), 0, "creator.release");
	f1 = free_frames();
	ktest_check(f1 == f0 + 16, "creator.frames_freed_once",
	            "free frames %lu then %lu", (unsigned long)f0,
	            (unsigned long)f1);
}

/* Each fault ends mem_fault with 128 + 14; the mode is a grant's name. */
static void
test_faults(void)
{
	static const char *const modes[] = {"readonly", "decommitted",
	                                    "unmapped", "noaccess"};
	char name[48];
	unsigned i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct capos_spawn_grant g[] = {{"console", console},
		                                {"vm", vm},
		                                {"frames", frames},
		                                {modes[i], console}};
		int32_t code = -1;
		int err;

		fmt_snprintf(name, sizeof(name), "fault.%s_ends_process",
		             modes[i]);
		err = run_child("mem_fault", "mem_fault", g, 4, NULL, &code);

		ktest_check(err == 0 && code == 142, name,
		            "error %d, exit code %d", err, code);
	}
	/* After those (each left 4 pages committed at the address every
	 * first reservation gets), copies that must see none of it. */
	for (i = 0; i < 2; i++) {
		struct capos_spawn_grant g[] = {{"console", console},
		                                {"vm", vm},
		                                {"frames", frames},
		                                {"fresh", console}};
		int32_t code = -1;
		int err =
		    run_child("mem_fault", "mem_fault", g, 4, NULL, &code);

		ktest_check(err == 0 && code == 142,
		            i ? "fresh.second_copy_sees_nothing_left"
		              : "fresh.first_copy_sees_nothing_left",
		            "error %d, exit code %d", err, code);
	}
}

static void
test_hostile(void)
{
	struct capos_spawn_grant g[] = {{"console", console},
	                                {"vm", vm},
	                                {"frames", frames},
	                                {"sysinfo", sysinfo}};
	/* Small budgets, so each limit can be reached. */
	struct capos_spawn_limits lim = {.frames = 96, .virtual_pages = 1024};
	int32_t code = -1;
	int err = run_child("mem_hostile", "mem_hostile", g, 4, &lim, &code);

	ktest_check(err == 0 && code == 0, "hostile.passed",
	            "error %d, mem_hostile exited with %d", err, code);
}

int
main(void)
{
	ktest_prefix("mem.");
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
	                      &frames) ||
	    capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm) ||
	    capos_capset_find("sysinfo", capos_SystemInfo_TYPE_ID, &sysinfo)) {
		ktest_check(false, "caps", "a cap is missing");
		return 1;
	}
	test_reserve_commit();
	test_access();
	test_large_reservation();
	test_share();
	test_creator_ends();
	test_faults();
	test_hostile();
	printf("memtest: %d failures\n", ktest_failures());
	return ktest_failures();
}
