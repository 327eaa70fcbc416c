/*
 * Thread creation.  A new thread's kernel stack is laid out so that the
 * first switch_context() into it "returns" into thread_trampoline with the
 * start function in r12 and its argument in r13; a user thread also has a
 * trapframe at the top, which trap_return turns into the first entry to
 * user mode.
 */
#include "core/kernel.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/trap.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "proc/sched.h"
#include "proc/spawntrace.h"
#include "proc/thread.h"

extern char thread_trampoline[];

/* What switch_context pops, lowest address first. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t rflags;
	uint64_t ret;
};

static uint64_t next_thread_id = 1;

static void
kthread_main(void *arg)
{
	struct thread *t = arg;

	t->start_fn(t->start_arg);
	sched_exit_current();
}

static struct thread *
thread_alloc(const char *name, uint64_t *top)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (kstack_alloc(top)) {
		kfree(t);
		return NULL;
	}
	t->kstack_top = *top;
	t->id = __atomic_fetch_add(&next_thread_id, 1, __ATOMIC_RELAXED);
	t->state = THREAD_BLOCKED; /* until sched_add */
	str_copy(t->name, name, sizeof(t->name));
	return t;
}

static void
push_switch_frame(struct thread *t, uint64_t sp, uint64_t fn, uint64_t arg)
{
	struct switch_frame *sf = (struct switch_frame *)(sp - sizeof(*sf));

	memset(sf, 0, sizeof(*sf));
	sf->r12 = fn;
	sf->r13 = arg;
	sf->rflags = RFLAGS_KERNEL; /* interrupts off until the trampoline */
	sf->ret = (uint64_t)(uintptr_t)thread_trampoline;
	t->saved_rsp = (uint64_t)(uintptr_t)sf;
}

struct thread *
thread_create_kernel(const char *name, kthread_fn fn, void *arg)
{
	uint64_t top;
	struct thread *t = thread_alloc(name, &top);

	if (!t)
		return NULL;
	t->start_fn = fn;
	t->start_arg = arg;
	push_switch_frame(t, top, (uint64_t)(uintptr_t)kthread_main,
	                  (uint64_t)(uintptr_t)t);
	return t;
}

static void
user_thread_start(void *arg)
{
	(void)arg; /* the trapframe above carries everything */
	spawn_trace(ST_CHILD_RUNS);
}

struct thread *
thread_create_user(struct process *proc, uint64_t rip, uint64_t rsp,
                   uint64_t rdi, uint64_t rsi, uint64_t rdx)
{
	uint64_t top;
	struct thread *t = thread_alloc("user", &top);
	struct trapframe *tf;

	if (!t)
		return NULL;
	/* A new thread starts with the default FP/SIMD state. */
	t->fpu = fpu_area_alloc();
	if (!t->fpu) {
		t->state = THREAD_DEAD;
		thread_destroy(t);
		return NULL;
	}
	t->proc = proc;
	tf = (struct trapframe *)(top - sizeof(*tf));
	memset(tf, 0, sizeof(*tf));
	tf->rip = rip;
	tf->cs = SEL_UCODE;
	tf->rflags = RFLAGS_USER_SET; /* IF, and nothing a user could set */
	tf->rsp = rsp;
	tf->ss = SEL_UDATA;
	tf->rdi = rdi;
	tf->rsi = rsi;
	tf->rdx = rdx;
	push_switch_frame(t, (uint64_t)(uintptr_t)tf,
	                  (uint64_t)(uintptr_t)user_thread_start, 0);
	return t;
}

void
thread_destroy(struct thread *t)
{
	KASSERT(t->state == THREAD_DEAD);
	kstack_free(t->kstack_top);
	fpu_area_free(t->fpu);
	kfree(t);
	spawn_trace(ST_THREAD_GONE);
}
