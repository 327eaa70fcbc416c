#include "core/kernel.h"
#include "core/acpi.h"
#include "core/bootinfo.h"
#include "core/clock.h"
#include "core/selftest.h"
#include "fmt/fmt.h"
#include "core/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "mm/aspace.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "smp/cpus.h"
#include "time/calibrate.h"

#define STRESS_FRAMES 256
#define STRESS_ALLOCS 200
#define IRQ_WAIT_NS   200000000ull /* 200 ms for a routed interrupt */
/* The calibrated rates are checked over windows 50 times longer than a
 * calibration window, to within 1%; a try that a host hiccup spoiled is
 * repeated (a wrong rate fails every try). */
#define RATE_CHECK_US    50000
#define RATE_CHECK_TICKS 5 /* timer ticks: 50 ms at TIMER_HZ */
#define RATE_CHECK_PPM   10000
#define RATE_CHECK_TRIES 5

static unsigned checks_failed;
static unsigned checks_run;

static void
check(bool ok, const char *name, const char *why)
{
	checks_run++;
	if (ok) {
		kprintf("KTEST ok %s\n", name);
	} else {
		checks_failed++;
		kprintf("KTEST not ok %s: %s\n", name, why);
	}
}

static void __noreturn
finish(void)
{
	kprintf("KTEST done: %u checks, %u failed\n", checks_run,
	        checks_failed);
	qemu_exit(checks_failed || checks_run == 0 ? QEMU_EXIT_FAIL
	                                           : QEMU_EXIT_PASS);
}

/* Frames taken and returned leave the ledger where it was. */
static void
test_frames(void)
{
	static uint64_t pas[STRESS_FRAMES];
	uint64_t free0 = pmm_free_frames();
	uint64_t held0 = pmm_outstanding(FRAME_TEST);
	bool distinct = true, zeroed = true;
	int i, j;

	for (i = 0; i < STRESS_FRAMES; i++) {
		if (pmm_alloc(FRAME_TEST, &pas[i])) {
			check(false, "frames.alloc", "allocation failed");
			return;
		}
		if (*(uint64_t *)phys_to_virt(pas[i]) != 0)
			zeroed = false;
		*(uint64_t *)phys_to_virt(pas[i]) = ~0ull;
	}
	for (i = 0; i < STRESS_FRAMES && distinct; i++)
		for (j = i + 1; j < STRESS_FRAMES; j++)
			if (pas[i] == pas[j])
				distinct = false;
	check(distinct, "frames.distinct", "a frame was handed out twice");
	check(zeroed, "frames.zeroed", "a new frame was not zeroed");
	check(pmm_outstanding(FRAME_TEST) == held0 + STRESS_FRAMES,
	      "frames.ledger_counts", "ledger did not count the frames");
	for (i = 0; i < STRESS_FRAMES; i++)
		pmm_free(FRAME_TEST, pas[i]);
	check(pmm_outstanding(FRAME_TEST) == held0 &&
	          pmm_free_frames() == free0,
	      "frames.ledger_baseline", "frames leaked");
	check(pas[0] >= 0x100000, "frames.low_memory_reserved",
	      "a frame below 1 MiB was handed out");
}

static void
test_heap(void)
{
	static void *ptrs[STRESS_ALLOCS];
	size_t live0 = kheap_stats()->allocations;
	bool ok = true;
	int i;

	for (i = 0; i < STRESS_ALLOCS; i++) {
		size_t size = 1 + (size_t)(i * 37) % 3000;

		ptrs[i] = kmalloc(size);
		if (!ptrs[i] || ((uintptr_t)ptrs[i] & (HEAP_ALIGN - 1)))
			ok = false;
		else
			memset(ptrs[i], i, size);
	}
	check(ok, "heap.alloc_aligned", "allocation failed or misaligned");
	for (i = 0; i < STRESS_ALLOCS; i += 2)
		kfree(ptrs[i]);
	for (i = 1; i < STRESS_ALLOCS; i += 2)
		if (*(uint8_t *)ptrs[i] != (uint8_t)i)
			ok = false;
	check(ok, "heap.contents_kept", "live allocation was overwritten");
	for (i = 1; i < STRESS_ALLOCS; i += 2)
		kfree(ptrs[i]);
	kheap_check();
	check(kheap_stats()->allocations == live0, "heap.balanced",
	      "allocation count did not return to its baseline");
	check(kmalloc(HEAP_MAX_ALLOC + 1) == NULL, "heap.too_big_refused",
	      "an oversized request succeeded");
}

static void
test_clock(void)
{
	uint64_t t0 = clock_ns(), ticks0 = clock_ticks, t1;

	while (clock_ticks < ticks0 + 10)
		sti_hlt();
	t1 = clock_ns();
	check(t1 > t0, "clock.monotonic", "clock did not advance");
	/* 10 ticks at 100 Hz: 100 ms, allow wide emulation slack. */
	check(t1 - t0 > 50000000 && t1 - t0 < 400000000, "clock.tick_rate",
	      "10 timer ticks did not take about 100 ms of clock time");
}

/* The TSC counted over one long PIT one-shot gives the rate the clock
 * was calibrated with. */
static void
test_tsc_rate(void)
{
	uint64_t t0, t1, hz = 0;
	uint32_t ns;
	bool ok = false;
	int i;

	for (i = 0; i < RATE_CHECK_TRIES && !ok; i++) {
		ns = pit_oneshot_start(RATE_CHECK_US);
		t0 = rdtsc();
		while (!pit_oneshot_done())
			cpu_relax();
		t1 = rdtsc();
		hz = calib_rate(t1 - t0, ns);
		ok = calib_agree(hz, clock_tsc_hz(), RATE_CHECK_PPM);
	}
	kprintf("clock: TSC over a %u ms PIT window: %lu Hz, calibrated "
	        "%lu Hz\n",
	        RATE_CHECK_US / 1000, (unsigned long)hz,
	        (unsigned long)clock_tsc_hz());
	check(ok, "clock.tsc_rate_matches_pit",
	      "the TSC rate over a 50 ms PIT window differs from the "
	      "calibrated one by more than 1%");
}

/* RATE_CHECK_TICKS periods of the APIC timer last as many TSC ticks as
 * the two calibrated rates say. */
static void
test_apic_rate(void)
{
	uint64_t t0 = 0, t1 = 0, k, want;
	bool ok = false;
	int i;

	want = clock_tsc_hz() * RATE_CHECK_TICKS / TIMER_HZ;
	for (i = 0; i < RATE_CHECK_TRIES && !ok; i++) {
		/* From one tick's edge to another's. */
		k = clock_ticks;
		while (clock_ticks == k)
			sti_hlt();
		t0 = rdtsc();
		k = clock_ticks;
		while (clock_ticks < k + RATE_CHECK_TICKS)
			sti_hlt();
		t1 = rdtsc();
		ok = calib_agree(t1 - t0, want, RATE_CHECK_PPM);
	}
	kprintf("clock: %u timer ticks took %lu TSC ticks, expected %lu\n",
	        RATE_CHECK_TICKS, (unsigned long)(t1 - t0),
	        (unsigned long)want);
	check(ok, "clock.apic_timer_matches_tsc",
	      "the timer's period differs from the calibrated one by more "
	      "than 1%");
}

static bool
page_flags(const void *va, uint64_t *pte)
{
	return vm_translate(read_cr3() & PTE_ADDR, (uint64_t)(uintptr_t)va,
	                    NULL, pte);
}

static const char test_rodata[] = "read-only";
static char test_data[16];

static void
test_paging(void)
{
	uint64_t pte;

	check(page_flags((void *)test_paging, &pte) && !(pte & PTE_W) &&
	          !(pte & PTE_NX),
	      "paging.text_rx", "text is writable or not executable");
	check(page_flags(test_rodata, &pte) && !(pte & PTE_W) &&
	          (!cpu_features.nx || (pte & PTE_NX)),
	      "paging.rodata_r", "rodata is writable or executable");
	check(page_flags(test_data, &pte) && (pte & PTE_W) &&
	          (!cpu_features.nx || (pte & PTE_NX)),
	      "paging.data_rw_nx", "data is not writable or is executable");
	check(page_flags(phys_to_virt(0x200000), &pte) &&
	          (!cpu_features.nx || (pte & PTE_NX)),
	      "paging.directmap_nx", "direct map is executable");
	check(!page_flags((void *)0x100000, &pte), "paging.no_identity_map",
	      "the boot identity map is still present");
	check(!cpu_features.smep || (read_cr4() & CR4_SMEP), "paging.smep",
	      "SMEP available but off");
	check(!cpu_features.smap || (read_cr4() & CR4_SMAP), "paging.smap",
	      "SMAP available but off");
	check(!cpu_features.nx || (rdmsr(MSR_EFER) & EFER_NXE), "paging.nxe",
	      "NX available but off");
}

static volatile unsigned com1_interrupts;

/* One interrupt is enough: turn the source off at once, or every byte
 * the console sends would raise another. */
static void
com1_interrupt(struct trapframe *tf)
{
	(void)tf;
	serial_tx_interrupt(false);
	(void)serial_interrupt_id();
	com1_interrupts++;
}

/* A device interrupt reaches the kernel through the I/O APIC: COM1's
 * transmit-empty interrupt, routed as ISA IRQ 4. */
static void
test_ioapic(void)
{
	uint64_t end;
	uint32_t gsi = 0;
	bool routed;

	routed = ioapic_route_isa(COM1_ISA_IRQ, VEC_COM1, &gsi);
	check(routed && gsi == COM1_ISA_IRQ, "ioapic.com1_routed",
	      "ISA IRQ 4 has no I/O APIC input of its own");
	if (!routed)
		return;
	trap_set_irq_handler(VEC_COM1, com1_interrupt);
	serial_tx_interrupt(true);
	end = clock_ns() + IRQ_WAIT_NS;
	while (com1_interrupts == 0 && clock_ns() < end)
		sti_hlt();
	ioapic_mask(gsi);
	serial_tx_interrupt(false);
	check(com1_interrupts >= 1, "ioapic.com1_interrupt_arrives",
	      "no interrupt from the UART within 200 ms");
	trap_set_irq_handler(VEC_COM1, NULL);
}

/* CPUs the MADT lists, within MAX_CPUS and cpus=N: how many must be
 * online (QEMU's tables list each CPU once, the boot CPU first). */
static uint32_t
smp_expected(void)
{
	const struct acpi_info *a = acpi_tables();
	const char *arg = karg_get("cpus");
	uint32_t want = 1;
	unsigned limit;

	if (a && a->madt_error == ACPI_OK && a->madt.ncpus > 0)
		want = a->madt.ncpus;
	want = MIN(want, MAX_CPUS);
	if (arg && smp_parse_cpus(arg, &limit))
		want = MIN(want, limit);
	return want;
}

static bool
madt_lists(uint32_t apic_id)
{
	const struct acpi_info *a = acpi_tables();
	uint32_t i;

	for (i = 0; i < a->madt.ncpus; i++)
		if (a->madt.cpu_apic_ids[i] == apic_id)
			return true;
	return false;
}

/*
 * What each application processor wrote about itself (smpboot.c's
 * ap_main): its online flag, the APIC id read from its own local APIC,
 * the TSS its own GDTR and TR point at.  Two CPUs sharing a block, an id
 * or a TSS would corrupt each other as soon as both run.
 */
static void
test_smp(void)
{
	static char why[96], why_listed[96];
	const struct acpi_info *a = acpi_tables();
	uint32_t i, j, want = smp_expected();
	bool distinct = true, listed = true;
	bool have_madt = a && a->madt_error == ACPI_OK;

	fmt_snprintf(why, sizeof(why), "%u CPUs online, expected %u",
	             ncpus_online, want);
	check(ncpus_online == want, "smp.all_listed_cpus_online", why);
	why[0] = '\0';
	for (i = 0; i < ncpus_online; i++) {
		struct percpu *p = percpu_of(i);

		if (p->self != p || p->cpu_id != i || !p->online || !p->tss) {
			fmt_snprintf(why, sizeof(why),
			             "CPU %u: block not its own or not online",
			             i);
			distinct = false;
		}
		if (have_madt && !madt_lists(p->apic_id)) {
			fmt_snprintf(why_listed, sizeof(why_listed),
			             "CPU %u: APIC id %u not in the MADT", i,
			             p->apic_id);
			listed = false;
		}
		for (j = 0; j < i; j++) {
			struct percpu *q = percpu_of(j);

			if (q->apic_id == p->apic_id || q->tss == p->tss) {
				fmt_snprintf(why, sizeof(why),
				             "CPUs %u and %u share an APIC id "
				             "(%u) or a TSS",
				             j, i, p->apic_id);
				distinct = false;
			}
		}
	}
	check(distinct, "smp.percpu_distinct", why);
	check(listed, "smp.apic_ids_from_madt", why_listed);
}

/*
 * Two spinlocks taken in the order docs/smp.md allows (an `ep` lock, then
 * an allocator's), and the checker's answers for the orders it refuses,
 * asked of lib/lockorder through lockcheck_verdict rather than by
 * panicking (the fault tests lock-order and lock-irq take that path).
 */
static struct spinlock test_outer = SPINLOCK_INIT("selftest.ep", 3);
static struct spinlock test_inner = SPINLOCK_INIT("selftest.pmm", 6);
static struct spinlock test_proc = SPINLOCK_INIT("selftest.proc", 1);

static void
test_locks(void)
{
	bool was = irq_save();

	check(LOCKCHECK, "locks.checker_built",
	      "the kernel was built with LOCKCHECK=0");
	spin_lock(&test_outer);
	spin_lock(&test_inner);
	check(test_outer.locked && test_inner.locked, "locks.taken_in_order",
	      "a lock taken in order is not held");
#if LOCKCHECK
	check(lockcheck_depth() == 2, "locks.held_stack",
	      "this CPU's held stack does not have the two locks");
	check(lockcheck_verdict(&test_proc) == LOCKORDER_RANK,
	      "locks.outer_after_inner_refused",
	      "a rank-1 lock after a rank-6 one was not refused");
	check(lockcheck_verdict(&test_outer) == LOCKORDER_HELD,
	      "locks.twice_refused", "a lock already held was not refused");
#endif
	spin_unlock(&test_inner);
#if LOCKCHECK
	check(lockcheck_verdict(&test_inner) == LOCKORDER_OK,
	      "locks.inner_again_allowed",
	      "the inner lock was refused after its release");
#endif
	spin_unlock(&test_outer);
#if LOCKCHECK
	check(lockcheck_depth() == 0, "locks.all_released",
	      "the held stack is not empty after the releases");
#endif
	check(!test_outer.locked && !test_inner.locked, "locks.released",
	      "a released lock is still marked held");
	irq_restore(was);
}

/*
 * An address space made from a kept root (mm/aspace.c) gets a mapping
 * stamp of its own, as one made from a new root does: the IPC fast
 * path's kept views are keyed by it (ipc/fastpath.c), so 0 or another
 * address space's stamp could pass a view the mappings no longer hold.
 */
static void
test_aspace(void)
{
	static struct aspace a, b;
	uint64_t root, gen;
	bool made;

	made = aspace_create(&a) == KERR_OK;
	root = a.root;
	gen = a.map_gen;
	if (made)
		aspace_destroy(&a);
	made = made && aspace_create(&b) == KERR_OK;
	check(made && b.root == root, "aspace.root_kept_and_reused",
	      "a fresh address space's root was not reused");
	check(made && gen != 0 && b.map_gen != 0 && b.map_gen != gen,
	      "aspace.stamp_new_on_reused_root",
	      "the reused root's address space has stamp 0 or the last one's");
	if (made)
		aspace_destroy(&b);
}

static void
test_boot_suite(void)
{
	test_frames();
	test_heap();
	test_clock();
	test_tsc_rate();
	test_apic_rate();
	test_paging();
	test_aspace();
	test_ioapic();
	test_smp();
	test_locks();
	pmm_print_summary();
	finish();
}

/* Faults that must end in a panic naming them.  Not inlined, so the
 * backtrace check can find it by name. */
static void __noreturn __attribute__((noinline)) fault_test(const char *name)
{
	static const uint8_t ret_insn[] = {0xc3};
	static uint8_t data_code[16];

	if (strcmp(name, "pagefault") == 0) {
		(void)*(volatile uint64_t *)0xdead0000;
	} else if (strcmp(name, "write-rodata") == 0) {
		*(volatile char *)test_rodata = 'X';
	} else if (strcmp(name, "exec-data") == 0) {
		memcpy(data_code, ret_insn, sizeof(ret_insn));
		((void (*)(void))(uintptr_t)data_code)();
	} else if (strcmp(name, "divide") == 0) {
		__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx"
		                 :
		                 :
		                 : "eax", "ecx", "edx");
	} else if (strcmp(name, "double-fault") == 0) {
		/* An exception with an unusable stack cannot be delivered;
		 * the CPU raises a double fault, which runs on its IST stack. */
		__asm__ volatile("movq $0xdead000, %rsp; int3");
	} else if (strcmp(name, "heap-overflow") == 0) {
		char *p = kmalloc(24);

		memset(p, 'x', 25);
		kfree(p);
	} else if (strcmp(name, "heap-double-free") == 0) {
		void *p = kmalloc(64);

		kfree(p);
		kfree(p);
	} else if (strcmp(name, "lock-order") == 0) {
		/* The outer lock after the inner one: the checker panics
		 * naming both before spinning. */
		cli();
		spin_lock(&test_inner);
		spin_lock(&test_proc);
	} else if (strcmp(name, "lock-irq") == 0) {
		sti();
		spin_lock(&test_outer);
	} else if (strcmp(name, "lock-release") == 0) {
		cli();
		spin_lock(&test_outer);
		spin_lock(&test_inner);
		spin_unlock(&test_outer);
	} else if (strcmp(name, "panic") == 0) {
		panic("deliberate panic from the self-test");
	}
	panic("fault test '%s' did not fault", name);
}

void
selftest_early(uint64_t info_phys)
{
	static uint8_t copy[4096] __attribute__((aligned(8)));
	const char *name = karg_get("test");
	uint32_t total;

	if (!name || strcmp(name, "mb2-corrupt") != 0)
		return;
	/* Feed the parser a copy whose first tag claims to run past the end. */
	memcpy(&total, phys_to_virt(info_phys), 4);
	total = MIN(total, sizeof(copy));
	memcpy(copy, phys_to_virt(info_phys), total);
	memcpy(copy, &total, 4);
	*(uint32_t *)(copy + 12) = total * 2;
	bootinfo_parse_at(copy, total);
	panic("corrupted boot information was accepted");
}

void
selftest_run(const char *name)
{
	kprintf("self-test: %s\n", name);
	if (strcmp(name, "boot") == 0)
		test_boot_suite();
	if (strcmp(name, "smp") == 0) {
		test_smp();
		finish();
	}
	if (strcmp(name, "hang") == 0) {
		/* Proves the harness kills and fails a run that never ends. */
		for (;;)
			sti_hlt();
	}
	if (strcmp(name, "fail") == 0) {
		/* Proves the harness sees a failing check as a failure. */
		check(false, "selftest.deliberate_failure", "as intended");
		finish();
	}
	fault_test(name);
}
