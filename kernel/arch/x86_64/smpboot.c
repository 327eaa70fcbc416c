/*
 * Starting the application processors: INIT to every CPU the MADT lists
 * (lib/smp/cpus.c chooses) and the 10 ms after it once; then for each in
 * turn its stacks and per-CPU block, STARTUP, STARTUP (Intel MP
 * specification, B.4) and a bounded wait for it to report itself online.
 * One CPU at a time: the start-up page has one parameter block.  What the APs run once online is sched_ap_main().
 */
#include "core/kernel.h"
#include "core/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "proc/sched.h"
#include "arch/x86_64/smpboot.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "core/clock.h"
#include "fmt/fmt.h"
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "smp/cpus.h"

extern char ap_trampoline[], ap_trampoline_params[], ap_trampoline_end[];
extern char early_pml4[]; /* boot.S */

/* Each CPU's IST stack tops, handed to its own gdt_init_cpu. */
static uint64_t ist_tops[MAX_CPUS][GDT_IST_STACKS];

/*
 * The AP's C entry, on its own kernel stack and the kernel's tables.
 * Each step is the per-CPU half of what kmain did on the boot CPU.
 */
static void __noreturn
ap_main(struct percpu *p)
{
	gdt_init_cpu(p->cpu_id, ist_tops[p->cpu_id]);
	idt_load();
	percpu_load(p); /* after the GDT: loading GS cleared its base */
	paging_enable_cpu();
	syscall_init_cpu();
	lapic_enable_cpu();
	p->apic_id = lapic_id();
	p->tss = gdt_loaded_tss();
	__atomic_store_n(&p->online, 1, __ATOMIC_RELEASE);
	sched_ap_main();
	panic("sched_ap_main returned on CPU %u", p->cpu_id);
}

static bool
wait_online(struct percpu *p, uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	/* Guest time (the TSC), so under icount the AP gets the same
	 * number of its own instructions whatever the host's speed. */
	while (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE)) {
		if (clock_ns() >= end)
			return false;
		cpu_relax();
	}
	return true;
}

static void
free_stacks(uint64_t stack, const uint64_t *ist, int nist)
{
	int i;

	if (stack)
		kstack_free(stack);
	for (i = 0; i < nist; i++)
		kstack_free(ist[i]);
}

/* Starts the CPU with local APIC id apic_id, which has had its INIT and
 * the wait after it, as CPU index ncpus_online. */
static bool
start_ap(uint32_t apic_id)
{
	uint32_t idx = ncpus_online;
	struct percpu *p = percpu_of(idx);
	struct ap_boot_params *params =
	    phys_to_virt(AP_TRAMPOLINE_PHYS +
	                 (uint64_t)(ap_trampoline_params - ap_trampoline));
	uint64_t stack = 0, *ist = ist_tops[idx];
	int nist;

	for (nist = 0; nist < GDT_IST_STACKS; nist++)
		if (kstack_alloc(&ist[nist]))
			break;
	if (nist < GDT_IST_STACKS || kstack_alloc(&stack)) {
		kprintf("smp: no memory for the stacks of APIC id %u; "
		        "skipped\n",
		        apic_id);
		free_stacks(0, ist, nist);
		return false;
	}

	*p = (struct percpu){
	    .self = p, .kernel_rsp = stack, .cpu_id = idx, .apic_id = apic_id};
	*params = (struct ap_boot_params){
	    .early_cr3 = kimage_to_phys(early_pml4),
	    .efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE),
	    .kernel_cr3 = paging_kernel_root(),
	    .stack = stack,
	    .percpu = (uint64_t)(uintptr_t)p,
	    .entry = (uint64_t)(uintptr_t)ap_main,
	};
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	if (lapic_send_startup(apic_id, AP_TRAMPOLINE_PHYS >> 12) &&
	    !wait_online(p, SMP_STARTUP_WAIT_NS))
		lapic_send_startup(apic_id, AP_TRAMPOLINE_PHYS >> 12);
	if (wait_online(p, SMP_ONLINE_WAIT_NS)) {
		ncpus_online++;
		return true;
	}
	/* Back to waiting for a startup IPI: a late start must not run on
	 * the next CPU's parameters or on stacks freed here. */
	lapic_send_init(apic_id);
	free_stacks(stack, ist, GDT_IST_STACKS);
	*p = (struct percpu){0};
	kprintf("smp: the CPU with APIC id %u did not start within %llu "
	        "ms; skipped\n",
	        apic_id, SMP_ONLINE_WAIT_NS / 1000000);
	return false;
}

/* The cpus=N limit, 0 when not given; a bad value is said and ignored. */
static unsigned
cpus_limit(void)
{
	const char *arg = karg_get("cpus");
	unsigned n;

	if (!arg)
		return 0;
	if (smp_parse_cpus(arg, &n))
		return n;
	kprintf("smp: cpus=%s is not a CPU count; ignored\n", arg);
	return 0;
}

static void
print_online(void)
{
	char line[16 * MAX_CPUS];
	size_t len = 0;
	uint32_t i;

	for (i = 0; i < ncpus_online && len < sizeof(line); i++)
		len += fmt_snprintf(line + len, sizeof(line) - len, " %u",
		                    percpu_of(i)->apic_id);
	kprintf("smp: %u CPU%s online (APIC id%s%s)\n", ncpus_online,
	        ncpus_online == 1 ? "" : "s", ncpus_online == 1 ? "" : "s",
	        line);
}

void
smp_start(void)
{
	const struct acpi_info *acpi = acpi_tables();
	unsigned limit = cpus_limit(), naps = 0, i;
	uint32_t aps[MAX_CPUS - 1];
	bool init_ok[MAX_CPUS - 1];
	size_t size = (size_t)(ap_trampoline_end - ap_trampoline);

	/* The register, now mapped, rather than CPUID's initial id: the
	 * MADT lists the registers' values. */
	percpu_of(0)->apic_id = lapic_id();
	if (acpi && acpi->madt_error == ACPI_OK)
		naps =
		    smp_choose_aps(acpi->madt.cpu_apic_ids, acpi->madt.ncpus,
		                   percpu_of(0)->apic_id, MAX_CPUS, limit, aps);
	if (naps && !pmm_ap_page_usable()) {
		kprintf("smp: the start-up page %#x is not free RAM; only the "
		        "boot CPU runs\n",
		        AP_TRAMPOLINE_PHYS);
		naps = 0;
	}
	if (naps) {
		KASSERT(size <= AP_TRAMPOLINE_SIZE);
		memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline, size);
	}
	/* Every AP gets its INIT first and the 10 ms are waited once, not
	 * once per CPU; then the STARTUPs go one CPU at a time. */
	for (i = 0; i < naps; i++)
		init_ok[i] = lapic_send_init(aps[i]);
	if (naps)
		clock_spin_ns(SMP_INIT_WAIT_NS);
	for (i = 0; i < naps; i++) {
		if (init_ok[i])
			start_ap(aps[i]);
		else
			kprintf("smp: the local APIC did not send INIT to APIC "
			        "id %u; skipped\n",
			        aps[i]);
	}
	print_online();
}
