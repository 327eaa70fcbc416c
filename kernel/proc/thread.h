/*
 * Threads: the unit the scheduler runs.  A thread owns its kernel stack,
 * its saved context and its cap_enter wait state; user threads belong to
 * a process.
 */
#ifndef PROC_THREAD_H
#define PROC_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/queue.h"

struct process;
struct kring;
struct thread_handle;
struct trapframe;

enum thread_state {
	THREAD_RUNNABLE,
	THREAD_RUNNING,
	THREAD_BLOCKED,
	THREAD_DEAD,
};

/* Why a blocked thread waits; its waker checks the reason. */
enum wait_reason {
	WAIT_NONE,
	WAIT_RING,  /* cap_enter waiting for completions */
	WAIT_SLEEP, /* kernel-internal sleep */
};

struct thread {
	uint64_t saved_rsp; /* while switched out */
	uint64_t kstack_top;
	uint64_t id;
	enum thread_state state;
	enum wait_reason wait;
	uint64_t deadline_ns; /* wake-up time when blocked, 0 = none */
	bool timed_out;       /* the deadline, not an event, woke it */
	uint64_t fs_base;
	uint64_t user_sel;    /* DS, ES, FS, GS while switched out (gdt.h) */
	void *fpu;            /* FP/SIMD save area (fpu.h); user threads only */
	struct process *proc; /* NULL for kernel threads */
	struct kring *ring;   /* its capability ring (user threads) */
	/* Set when it must end (ThreadControl.exit, or its process is
	 * ending): it leaves at its next return to user mode. */
	bool leave;
	uint64_t exit_value;          /* what ThreadControl.exit passed */
	uint32_t cpu;                 /* the CPU it runs or last ran on */
	struct thread_handle *handle; /* its ThreadHandle; NULL: detached */
	uint32_t ring_slot;           /* its ring's slot (<capos/layout.h>) */
	char name[24];
	void (*start_fn)(void *); /* kernel threads */
	void *start_arg;
	TAILQ_ENTRY(thread) run_link;  /* run queue */
	TAILQ_ENTRY(thread) all_link;  /* every thread */
	TAILQ_ENTRY(thread) proc_link; /* threads of one process */
};

TAILQ_HEAD(thread_list, thread);

typedef void (*kthread_fn)(void *arg);

/* A kernel thread running fn(arg); it ends by returning from fn. */
struct thread *thread_create_kernel(const char *name, kthread_fn fn, void *arg);

/*
 * A user thread of proc that enters user mode at rip with rsp and the
 * three entry-ABI registers.  Not runnable until sched_add().
 */
struct thread *thread_create_user(struct process *proc, uint64_t rip,
                                  uint64_t rsp, uint64_t rdi, uint64_t rsi,
                                  uint64_t rdx);

/* Frees a dead thread's stack and structure (never the running one). */
void thread_destroy(struct thread *t);

#endif
