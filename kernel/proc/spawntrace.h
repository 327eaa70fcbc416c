/*
 * Where the time of a spawn + wait goes (docs/benchmarks.md, "Spawn +
 * wait"): with the kernel argument spawntrace, the kernel stamps the TSC
 * (guest instructions under QEMU's instruction counting) at each stage
 * of a process's life, from ProcessSpawner.spawn to the release of its
 * handle, and prints one line per cycle with each stage's share:
 *
 *   spawntrace: enter +0 checked +812 ... loop +1234
 *
 * Each number is the TSC since the stamp before it, in the order the
 * stages happened; "loop" is the time from the cycle's last stamp to
 * the next spawn's entry (the caller's own code, the release's return
 * and the next CALL).  The printing itself is left out of every stage.
 * Off, a stamp costs one test.
 */
#ifndef PROC_SPAWNTRACE_H
#define PROC_SPAWNTRACE_H

#include <stdbool.h>

enum spawn_stage {
	ST_ENTER,        /* ProcessSpawner.spawn called */
	ST_CHECKED,      /* params read, limits and grants checked */
	ST_PARSED,       /* ELF parsed, structures allocated */
	ST_ASPACE,       /* address space and cap table made */
	ST_SEGMENTS,     /* PT_LOAD segments mapped */
	ST_TLS,          /* TLS block */
	ST_STACK_CAPSET, /* stack top page and CapSet page */
	ST_CAPS,         /* grants and ThreadControl installed */
	ST_RING,         /* ring page */
	ST_THREAD,       /* main thread made */
	ST_HANDLE,       /* endpoints and handle; started */
	ST_SPAWNED,      /* audit record written: spawn returns */
	ST_WAIT,         /* ProcessHandle.wait called */
	ST_WAITING,      /* the wait deferred: the caller blocks */
	ST_CHILD_RUNS,   /* the child's thread first switched to */
	ST_CHILD_EXIT,   /* the child's exit call */
	ST_REAP,         /* its last thread reaped */
	ST_RING_GONE,    /* its ring destroyed */
	ST_CAPS_GONE,    /* its caps released */
	ST_MEM_GONE,     /* its address space destroyed */
	ST_LOGGED,       /* the exit logged */
	ST_POSTED,       /* the wait answered */
	ST_THREAD_GONE,  /* its thread freed */
	ST_RELEASED,     /* the handle released */
	ST_COUNT
};

extern bool spawn_trace_on;

void spawn_trace_init(void);
void spawn_trace_stamp(enum spawn_stage s);

static inline void
spawn_trace(enum spawn_stage s)
{
	if (__builtin_expect(spawn_trace_on, 0))
		spawn_trace_stamp(s);
}

#endif
