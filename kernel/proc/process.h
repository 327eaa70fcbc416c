/*
 * Processes: an address space, a capability table, a CapSet page and the
 * threads that run in it, each with its own ring page.
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/capid.h>
#include <capos/layout.h>

#include "base/queue.h"
#include "cap/captable.h"
#include "ipc/completion.h"
#include "mm/aspace.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "ring/ring.h"

#define PROC_PARK_BUCKETS 16 /* a power of two */

#define PROC_CAP_SLOTS 256
#define PROC_NAME_MAX  32

struct kobject;
struct ipc_call;
struct process_handle;
struct memory_object;

TAILQ_HEAD(memory_object_list, memory_object);

/*
 * Hard per-process limits, checked before any side effect.  Frames and
 * cap slots are budgets: what a process spawns is carved out of its
 * budget while the child lives (process_child_limits), so a process and
 * all it started never hold more than it was given.  The outstanding-call,
 * endpoint-queue and thread limits bound one process's use of kernel
 * memory at a time; a child's are at most its parent's.
 */
struct proc_limits {
	uint32_t cap_slots;         /* capability table slots in use */
	uint32_t outstanding_calls; /* unanswered IPC calls it made */
	uint32_t endpoint_queue;    /* queued calls per endpoint it serves */
	uint32_t frames;            /* frames mapped into it */
	uint32_t threads;           /* its threads alive at once */
	uint32_t virtual_pages;     /* reserved or mapped by VirtualMemory */
};

/* The most threads one process may have: each has a ring slot (the
 * ring area has CAPOS_USER_RING_SLOTS) and a kernel stack. */
#define PROC_THREADS_MAX 256
_Static_assert(PROC_THREADS_MAX <= CAPOS_USER_RING_SLOTS,
               "every thread has a ring slot");
_Static_assert(PROC_THREADS_MAX % 64 == 0, "whole words of ring slots");

/* A child's limits when neither the spawn nor the manifest sets them. */
#define PROC_DEFAULT_CAP_SLOTS      PROC_CAP_SLOTS
#define PROC_DEFAULT_OUTSTANDING    64
#define PROC_DEFAULT_ENDPOINT_QUEUE 16
#define PROC_DEFAULT_FRAMES         16384 /* 64 MiB */
#define PROC_DEFAULT_THREADS        16
#define PROC_DEFAULT_VIRTUAL_PAGES  (1u << 20) /* 4 GiB */

/* The budget of a process the kernel starts itself (init, or the test
 * programs of run=): the whole machine, less a reserve for the kernel
 * (frames), and these (kernelParams.initLimits may lower them). */
#define PROC_ROOT_CAP_SLOTS      4096
#define PROC_ROOT_OUTSTANDING    256
#define PROC_ROOT_ENDPOINT_QUEUE 64
#define PROC_ROOT_THREADS        PROC_THREADS_MAX
#define PROC_ROOT_VIRTUAL_PAGES  UINT32_MAX
#define PROC_ROOT_KERNEL_RESERVE 8 /* 1/8 of the free frames */

/* A grant at spawn: a name for the CapSet and the object. */
struct grant {
	const char *name;
	struct kobject *obj;
};

enum process_state {
	PROC_ALIVE,
	PROC_EXITING, /* exit requested; threads are leaving */
	PROC_DEAD,    /* every thread gone; resources freed */
};

struct process {
	uint64_t pid;
	char name[PROC_NAME_MAX];
	enum process_state state;
	int exit_code;
	bool killed; /* kill requested from outside */
	struct aspace as;
	struct cap_table caps;
	struct cap_slot *cap_storage;
	uint64_t capset_pa;
	struct thread_list threads;
	unsigned nthreads;
	/* Bit i set: ring slot i (CAPOS_USER_RING_SLOT_ADDR) is a live
	 * thread's; slot 0 is the main thread's. */
	uint64_t ring_slots[PROC_THREADS_MAX / 64];
	/* Completion records waiting in its threads' rings (ipc/ring.h). */
	uint32_t completions_waiting;
	/* Its threads' waiting PARKs by word (kobj/park.c): per process, so
	 * an UNPARK walks only its own process's parks. */
	struct completion_list park_waits[PROC_PARK_BUCKETS];
	struct proc_limits limits;
	/* Frames and cap slots carved out of limits for live children. */
	struct proc_limits granted;
	/* Holds this process's carve; NULL for processes the kernel started
	 * (and their children once every ancestor is gone). */
	struct process *parent;
	/* The MemoryObjects whose frames it pays for (as.charged_frames):
	 * those it made, and those its ended descendants made. */
	struct memory_object_list paid_objects;
	uint32_t outstanding;          /* unanswered IPC calls it made */
	uint64_t session_key[2];       /* keys callers' session references */
	bool session_keyed;            /* session_key drawn (on first use) */
	struct process_handle *handle; /* keeps the structure alive */
	bool autofree; /* no handle: free the structure when it dies */
	TAILQ_ENTRY(process) link;
};

TAILQ_HEAD(process_list, process);

/*
 * The limits of a new child of parent: each field as asked, or (0) the
 * default from defaults.  Frames and cap slots must fit in what the
 * parent has left (its budget less its own use and its other children's
 * carves): an explicit ask beyond that is KERR_QUOTA; a default takes
 * at most half of it.  Outstanding calls and the endpoint queue are at most
 * the parent's own.  Nothing is carved until process_create succeeds.
 */
enum kerr process_child_limits(const struct process *parent,
                               const struct proc_limits *asked,
                               const struct proc_limits *defaults,
                               struct proc_limits *out);
/* The budget of a process the kernel starts, lowered by nonzero fields
 * of o (kernelParams.initLimits). */
void proc_limits_root(struct proc_limits *out, const struct proc_limits *o);

/* Cap slots the process itself may fill: its budget less its carves. */
static inline uint32_t
process_cap_limit(const struct process *p)
{
	return p->limits.cap_slots - p->granted.cap_slots;
}

/*
 * Creates a process from an ELF image with exactly the given grants (in
 * CapSet order) and makes its main thread runnable.  On an ELF error,
 * *elf_err holds the loader's reason.  Everything is undone on failure.
 * limits NULL: the root budget (proc_limits_root).
 */
enum kerr process_spawn(const char *name, const void *image, size_t size,
                        const struct grant *grants, unsigned ngrants,
                        const struct proc_limits *limits, struct process **out,
                        int *elf_err);

/*
 * Two-step spawn, for callers that install more caps (endpoints) before
 * the process may run: process_create builds it stopped, with limits
 * from process_child_limits carved out of parent (NULL: a process the
 * kernel starts); process_start lets it run; process_abort undoes a
 * created process (and its carve).
 */
enum kerr process_create(const char *name, const void *image, size_t size,
                         const struct grant *grants, unsigned ngrants,
                         const struct proc_limits *limits,
                         struct process *parent, struct process **out,
                         int *elf_err);
void process_start(struct process *p);
void process_abort(struct process *p);

/*
 * The storage of dead processes' capability tables is kept for the next
 * ones (up to PROC_CAP_STORAGE_CACHE blocks): a table writes its slots as
 * it hands them out, so a block needs nothing done to it, and the kernel
 * heap's poisoning of a freed block (6 KiB) was most of releasing the
 * table.  A leak check empties the cache first.
 */
#define PROC_CAP_STORAGE_CACHE 4
void process_cache_drain(void);
/* Appends a CapSet entry for a cap already in p's table. */
enum kerr process_capset_add(struct process *p, const char *name,
                             capos_capid_t id, uint64_t interface_id);
/* The kernel's child defaults, with nonzero fields of o taking
 * precedence. */
void proc_limits_resolve(struct proc_limits *out, const struct proc_limits *o);

/*
 * A new thread of p (the caller's own process) entering user mode at
 * entry with the thread entry ABI (<capos/layout.h>): its ring in the
 * lowest free slot, arg, stack_top, FS base tls.  The caller checked the
 * addresses.  KERR_QUOTA over p's thread limit; KERR_NOMEM when its
 * ring page or kernel stack cannot be had.  Runnable on success.
 */
enum kerr process_thread_spawn(struct process *p, uint64_t entry, uint64_t arg,
                               uint64_t stack_top, uint64_t tls,
                               struct thread **out);

/* Ends the calling thread's process with code: every thread of it
 * leaves; does not return. */
void process_exit_current(int code) __attribute__((noreturn));
/* Asks a process to end; its threads leave at their next kernel exit
 * (blocked ones are woken for it). */
void process_kill(struct process *p, int code);
/* Called by the reaper when a thread of p is gone. */
void process_thread_gone(struct process *p, struct thread *t);
uint64_t process_root(const struct process *p);

static inline struct process *
process_current(void)
{
	struct thread *t = sched_current();

	return t ? t->proc : NULL;
}

/* If the current thread must leave (its process is ending, or it called
 * ThreadControl.exit), ends it.  Inline: every return to user mode
 * checks it. */
static inline void
process_check_killed(void)
{
	if (__builtin_expect(sched_current()->leave, 0))
		sched_exit_current();
}

/* ThreadHandle (kobj/thread_handle.c): a handle not yet bound to a
 * thread (NULL without memory); binding it to a new thread; freeing one
 * never bound; the hook for t's end (its joiner gets its exit value). */
struct kobject *thread_handle_alloc(void);
void thread_handle_bind(struct kobject *h, struct thread *t);
void thread_handle_free(struct kobject *h);
void thread_handle_ended(struct thread *t);

/* The ThreadControl object every process holds as "thread"
 * (kobj/thread_control.c). */
struct kobject *thread_control_object(void);
#define PROC_THREAD_CONTROL_NAME "thread"

/* MemoryObject hooks (kobj/memory_object.c): the mapping's reference
 * given back (a vm_drop_fn); a process going away hands the objects it
 * pays for to `to` (NULL: nobody, for the last processes of the system). */
void memory_object_drop(void *obj);
void memory_objects_hand_over(struct process *from, struct process *to);

/* ProcessHandle hooks (kobj/handle.c). */
struct kobject *process_handle_create(struct process *p);
void process_handle_exited(struct process *p);

/* Every process, live or dead but not yet collected. */
extern struct process_list all_processes;
/* Frees a dead process's structure (after its exit code was read). */
void process_free(struct process *p);

#endif
