/* libcapos internals shared between its files. */
#ifndef CAPOS_INTERNAL_H
#define CAPOS_INTERNAL_H

#include "capos.h"

/* Completions the runtime holds for their waiters.  capos_submit keeps
 * the requests in flight below this, so no completion is ever dropped. */
#define CAPOS_PENDING_MAX   64
#define CAPOS_RELEASE_QUEUE 32

/* user_data values with this bit are the runtime's own (fire-and-forget
 * releases); capos_next_tag never hands one out. */
#define CAPOS_RUNTIME_TAG (1ull << 63)

/* One per thread (thread-local): the ring a thread drives is its own, and
 * so are its tags, stashed completions, queued releases and last
 * exception. */
struct capos_runtime {
	struct capos_ring_page *ring;
	uint64_t next_tag;
	/* CQEs that arrived while someone waited for another one. */
	struct capos_cqe stash[CAPOS_PENDING_MAX];
	uint32_t nstash;
	uint32_t in_flight; /* submitted, completion not yet taken */
	uint32_t lost;      /* completions with no room (a bug if > 0) */
	/* Releases waiting for the next submission. */
	capos_capid_t releases[CAPOS_RELEASE_QUEUE];
	uint32_t nreleases;
	struct capos_exception last_exc;
};

extern __thread struct capos_runtime capos_rt;

/* What every thread of the process shares. */
struct capos_process {
	uint64_t pid;
	const struct capos_capset_page *capset;
};

extern struct capos_process capos_proc;

/* The runtime's own locks are taken in this order only, so they never
 * deadlock: a process client's lock (process.c, kernel_clients.c), then
 * the heap's, then stdout's.  Each is held across at most the calls its
 * own structure needs, never across a wait for another thread. */

void capos_heap_init(void);
void capos_stdout_flush(void);
/* Whether PARK can be used (a ParkSpace was granted). */
bool capos_park_available(void);
/* Sets up the main thread's side of the thread library. */
void capos_threads_init(void);

#endif
