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
#include <stddef.h>
#include <stdint.h>

struct thread;

struct percpu {
	struct percpu *self;
	uint64_t kernel_rsp; /* top of the running thread's kernel stack */
	uint64_t user_rsp;   /* scratch for the SYSCALL entry */
	struct thread *current;
	uint32_t cpu_id;
	int need_resched; /* set by the timer; acted on at return */
};

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF, "percpu.self");
_Static_assert(offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP,
               "percpu.kernel_rsp");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP,
               "percpu.user_rsp");
_Static_assert(offsetof(struct percpu, current) == PERCPU_CURRENT,
               "percpu.current");

void percpu_init(void);

static inline struct percpu *
this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}
#endif

#endif
