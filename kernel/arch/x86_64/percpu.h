/*
 * Per-CPU data, reached through GS while in the kernel.  The SYSCALL entry
 * uses fixed offsets into it (see syscall_entry.S), pinned here.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#define PERCPU_SELF       0
#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP   16
#define PERCPU_CURRENT    24

/* The most CPUs the kernel starts; the MADT may list more. */
#define MAX_CPUS 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct thread;
struct cpu_sched;

struct percpu {
	struct percpu *self;
	uint64_t kernel_rsp; /* top of the running thread's kernel stack */
	uint64_t user_rsp;   /* scratch for the SYSCALL entry */
	struct thread *current;
	uint32_t cpu_id;  /* index: 0 the boot CPU, then in start order */
	int need_resched; /* set by the timer; acted on at return */
	uint32_t apic_id; /* its local APIC's id */
	volatile int
	    online; /* set by the CPU itself once it runs (smpboot.c) */
	void *tss;  /* the TSS its GDT points at (gdt.c) */
	struct cpu_sched *sched; /* its scheduler state (proc/sched.c) */
	bool klock_held;         /* it holds the kernel lock (core/klock.h) */
};

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF, "percpu.self");
_Static_assert(offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP,
               "percpu.kernel_rsp");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP,
               "percpu.user_rsp");
_Static_assert(offsetof(struct percpu, current) == PERCPU_CURRENT,
               "percpu.current");

/* CPUs started so far (the boot CPU included); their blocks are
 * percpu_of(0 .. ncpus_online - 1). */
extern uint32_t ncpus_online;

/* Sets up the boot CPU's block (index 0) and points GS at it. */
void percpu_init(void);
/* The block of CPU index i (< MAX_CPUS), started or not. */
struct percpu *percpu_of(uint32_t i);
/* Points this CPU's GS base at p (an application processor's entry). */
void percpu_load(struct percpu *p);

static inline struct percpu *
this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}
#endif

#endif
