/*
 * kmain: brings the machine up in dependency order.  Each step may use
 * only what the steps before it set up; the console comes first so every
 * later failure can say what went wrong.
 */
#include "core/kernel.h"
#include "core/acpi.h"
#include "core/bootinfo.h"
#include "core/bootstage.h"
#include "core/clock.h"
#include "core/kargs.h"
#include "core/klock.h"
#include "core/random.h"
#include "core/wallclock.h"
#include "core/selftest.h"
#include "core/version.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/power.h"
#include "arch/x86_64/smpboot.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "proc/bootstrap.h"
#include "ipc/ring.h"
#include "proc/sched.h"
#include "kobj/serial_port.h"
#include "kobj/timer.h"
#include "kobj/park.h"
#include "core/log.h"

#define DEMO_TICK_SECONDS 3

/* Every CPU's timer charges its quantum; the boot CPU's also keeps the
 * clock and the deadlines and polls the devices. */
static void
timer_interrupt(struct trapframe *tf)
{
	if (this_cpu()->cpu_id != 0) {
		sched_tick();
		return;
	}
	clock_tick();
	sched_tick();
	timer_object_tick();
	park_object_tick();
	log_tick();
	serial_port_tick(tf);
}

static const char *
on_off(bool v)
{
	return v ? "on" : "off";
}

/* The console shows a few seconds of ticks so a user sees time passing. */
static void
show_ticks(void)
{
	uint64_t second;

	for (second = 1; second <= DEMO_TICK_SECONDS; second++) {
		while (clock_ticks < second * TIMER_HZ)
			sti_hlt();
		kprintf("timer: %lu s, %lu ticks\n", (unsigned long)second,
		        (unsigned long)clock_ticks);
	}
}

/*
 * The TSC at the kernel's first instruction (boot.S reads it before
 * anything else).  Under QEMU's icount it counts guest instructions since
 * reset, so make bench subtracts it from later TSC reads of the same boot.
 */
uint64_t kernel_entry_tsc;

void __noreturn
kmain(uint32_t magic, uint32_t info_phys, uint64_t entry_tsc)
{
	struct mb2_info *mb;
	const char *level, *test;

	serial_init();
	cpu_detect();
	kernel_entry_tsc = entry_tsc;
	boot_stages_init(entry_tsc);
	kprintf("\ncapOS %s (x86_64) booting\n", CAPOS_VERSION);
	kprintf("boot: kernel entry tsc %lu\n", (unsigned long)entry_tsc);
	gdt_init();
	idt_init();

	if (magic != MB2_BOOT_MAGIC)
		panic("not started by a Multiboot2 loader (magic %#x, "
		      "expected %#x)",
		      magic, MB2_BOOT_MAGIC);
	mb = bootinfo_parse(info_phys);
	kargs_init(mb->cmdline);
	level = karg_get("loglevel");
	if (level && strcmp(level, "debug") == 0)
		console_set_level(LOG_DEBUG);
	kprintf("loader: %s\n", mb->loader_name ? mb->loader_name : "unknown");
	kargs_print();
	kprintf("cpu: %s, nx %s, smep %s, smap %s, rdrand %s\n",
	        cpu_features.vendor, on_off(cpu_features.nx),
	        on_off(cpu_features.smep), on_off(cpu_features.smap),
	        on_off(cpu_features.rdrand));
	selftest_early(info_phys);
	boot_stage(BOOT_EARLY);

	bootinfo_print_memory_map(mb);
	pmm_init(mb, info_phys);
	pmm_print_summary();
	boot_stage(BOOT_FRAMES);
	paging_init(pmm_phys_end());
	kprintf("paging: kernel tables active, direct map of %lu MiB, "
	        "NX %s, SMEP %s, SMAP %s\n",
	        (unsigned long)(paging_direct_map_size() >> 20),
	        on_off(cpu_features.nx), on_off(cpu_features.smep),
	        on_off(cpu_features.smap));
	kheap_init();
	boot_stage(BOOT_PAGING);
	/* Firmware tables are read through the direct map. */
	acpi_init(mb);
	power_init(acpi_tables());
	boot_stage(BOOT_ACPI);
	/* Per-CPU data and the scheduler exist before the first timer tick,
	 * whose handler uses them. */
	percpu_init();
	syscall_init();
	ring_trace_init();
	sched_init();
	boot_stage(BOOT_CPU);

	pic_disable();
	lapic_init();
	boot_stage(BOOT_TIMER);
	ioapic_init(acpi_tables());
	boot_stage(BOOT_IOAPIC);
	clock_init(lapic_measured_tsc_hz());
	trap_set_irq_handler(VEC_TIMER, timer_interrupt);
	sched_smp_init();
	lapic_timer_start(TIMER_HZ);
	sti();
	lapic_print_calibration();
	kprintf("timer: local APIC at %d Hz, TSC %lu MHz, clock calibrated\n",
	        TIMER_HZ, (unsigned long)(clock_tsc_hz() / 1000000));
	boot_stage(BOOT_CLOCK);
	/* The APs need the timer calibration and the heap; they are halted
	 * (or scheduling) before init exists. */
	klock_enable();
	smp_start();
	if (ncpus_online == 1)
		klock_disable(); /* one CPU: no lock to pay for */
	boot_stage(BOOT_SMP);
	wallclock_init();
	random_init();
	boot_stage(BOOT_RTC_RANDOM);

	bootinfo_check_modules(mb);
	bootinfo_print_modules(mb);
	boot_stage(BOOT_MODULES);

	test = karg_get("test");
	if (test && strcmp(test, "user") != 0 && strcmp(test, "init") != 0)
		selftest_run(test);

	if (!test) {
		show_ticks();
		boot_stage(BOOT_TICK_DEMO);
	}
	if (karg_get("run") || !karg_flag("no_init")) {
		bootstrap_start(mb);
	} else {
		boot_stages_print();
		pmm_print_summary();
		kprintf("capOS: no_init given, nothing started; idle (QEMU: "
		        "Ctrl-A X quits)\n");
		/* The boot suite checks this path and then wants its exit. */
		if (karg_flag("exit_when_idle"))
			qemu_exit(QEMU_EXIT_PASS);
	}
	sched_idle_loop();
}
