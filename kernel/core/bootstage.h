/*
 * Where boot time goes: the TSC at the end of each boot stage, printed as
 * one line once the clock is known and init has been started.  Under
 * QEMU's icount the TSC counts guest instructions, so the line is the
 * instruction breakdown of kernel entry -> init (docs/boot.md).
 */
#ifndef CORE_BOOTSTAGE_H
#define CORE_BOOTSTAGE_H

#include <stdint.h>

/* In boot order; each names the work done since the stage before. */
enum boot_stage {
	BOOT_EARLY,      /* console, CPU features, GDT/IDT, Multiboot2, args */
	BOOT_FRAMES,     /* the memory map and the frame allocator */
	BOOT_PAGING,     /* kernel page tables and the heap */
	BOOT_ACPI,       /* the ACPI tables and the power methods */
	BOOT_CPU,        /* per-CPU data, SYSCALL MSRs, FPU, the scheduler */
	BOOT_TIMER,      /* PIC masked, local APIC, TSC/timer calibration */
	BOOT_IOAPIC,     /* every I/O APIC input masked */
	BOOT_CLOCK,      /* the clock and the periodic tick started */
	BOOT_SMP,        /* the application processors started */
	BOOT_RTC_RANDOM, /* the wall clock from the RTC, the random seed */
	BOOT_MODULES,    /* the boot modules checked and listed */
	BOOT_TICK_DEMO,  /* a plain boot's seconds of ticks on the console */
	BOOT_INIT,       /* the manifest loaded, init spawned */
	BOOT_NSTAGES
};

/* The TSC at the kernel's first instruction, where the first stage
 * starts. */
void boot_stages_init(uint64_t entry_tsc);

/* Records the TSC now as the end of stage s. */
void boot_stage(enum boot_stage s);

/* Prints "boot: stages ..." with each stage's TSC ticks since the one
 * before; stages not reached print nothing.  Printed before the first
 * program's "started" line (bootstrap.c), so it never falls among a
 * program's output. */
void boot_stages_print(void);

#endif
