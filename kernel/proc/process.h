/*
 * Processes: an address space, a capability table, a ring page, a CapSet
 * page and the threads that run in it.
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/capid.h>

#include "base/queue.h"
#include "cap/captable.h"
#include "mm/aspace.h"
#include "proc/thread.h"
#include "ring/ring.h"

#define PROC_CAP_SLOTS	 256
#define PROC_NAME_MAX	 32

struct kobject;

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
	struct ring ring;
	uint64_t capset_pa;
	struct thread_list threads;
	unsigned nthreads;
	struct thread *ring_waiter; /* the thread blocked in cap_enter */
	uint32_t ring_wait_min;	    /* its min_complete */
	/* Completions owed by kernel objects (e.g. Timer.sleep). */
	uint32_t pending_calls;
	TAILQ_ENTRY(process) link;
};

TAILQ_HEAD(process_list, process);

enum spawn_error {
	SPAWN_OK = 0,
	SPAWN_E_NOMEM = -1,
	SPAWN_E_ELF = -2,      /* the image is not a loadable executable */
	SPAWN_E_GRANTS = -3,   /* too many grants or a bad grant name */
};

/*
 * Creates a process from an ELF image with exactly the given grants (in
 * CapSet order) and makes its main thread runnable.  On an ELF error,
 * *elf_err holds the loader's reason.  Everything is undone on failure.
 */
int process_spawn(const char *name, const void *image, size_t size,
		  const struct grant *grants, unsigned ngrants,
		  struct process **out, int *elf_err);

/* Ends the calling thread's process with code; does not return. */
void process_exit_current(int code) __attribute__((noreturn));
/* Asks a process to end; its threads leave at their next kernel exit. */
void process_kill(struct process *p, int code);
/* Called by the reaper when a thread of p is gone. */
void process_thread_gone(struct process *p, struct thread *t);
/* If the current process was killed, ends the current thread. */
void process_check_killed(void);

uint64_t process_root(const struct process *p);
struct process *process_current(void);

/* Every process, live or dead but not yet collected. */
extern struct process_list all_processes;
/* Frees a dead process's structure (after its exit code was read). */
void process_free(struct process *p);

#endif
