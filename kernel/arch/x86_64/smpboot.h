/*
 * Starting the application processors (docs/boot.md, "Application
 * processors").  The boot CPU fills the parameter block of the start-up
 * page (trampoline.S) before each start; the offsets are shared with the
 * assembly and pinned here.
 */
#ifndef ARCH_X86_64_SMPBOOT_H
#define ARCH_X86_64_SMPBOOT_H

#define APB_EARLY_CR3  0  /* boot.S's tables: below 4 GiB, identity map */
#define APB_EFER       8  /* LME and NXE as the boot CPU has them */
#define APB_KERNEL_CR3 16 /* the kernel's tables, loaded in the high half */
#define APB_STACK      24 /* top of the CPU's first kernel stack */
#define APB_PERCPU     32 /* its struct percpu, the C entry's argument */
#define APB_ENTRY      40 /* the C entry (ap_main) */
#define APB_SIZE       48

/* How long the boot CPU waits (Intel MP specification, B.4): after INIT,
 * after the first STARTUP before a second one, and for the CPU to report
 * itself online after the last. */
#define SMP_INIT_WAIT_NS    10000000ull  /* 10 ms */
#define SMP_STARTUP_WAIT_NS 200000ull    /* 200 us */
#define SMP_ONLINE_WAIT_NS  100000000ull /* 100 ms */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct ap_boot_params {
	uint64_t early_cr3;
	uint64_t efer;
	uint64_t kernel_cr3;
	uint64_t stack;
	uint64_t percpu;
	uint64_t entry;
};

_Static_assert(offsetof(struct ap_boot_params, early_cr3) == APB_EARLY_CR3,
               "apb.early_cr3");
_Static_assert(offsetof(struct ap_boot_params, efer) == APB_EFER, "apb.efer");
_Static_assert(offsetof(struct ap_boot_params, kernel_cr3) == APB_KERNEL_CR3,
               "apb.kernel_cr3");
_Static_assert(offsetof(struct ap_boot_params, stack) == APB_STACK,
               "apb.stack");
_Static_assert(offsetof(struct ap_boot_params, percpu) == APB_PERCPU,
               "apb.percpu");
_Static_assert(offsetof(struct ap_boot_params, entry) == APB_ENTRY,
               "apb.entry");
_Static_assert(sizeof(struct ap_boot_params) == APB_SIZE, "apb size");

/*
 * Starts every CPU the MADT lists (up to MAX_CPUS and cpus=N), one at a
 * time, and prints how many are online.  A CPU that does not report
 * itself running is logged and skipped.  After the clock is calibrated
 * and before init is started; the APs then run sched_ap_main().
 */
void smp_start(void);
#endif

#endif
