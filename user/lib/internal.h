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

struct capos_runtime {
	struct capos_ring_page *ring;
	uint64_t pid;
	const struct capos_capset_page *capset;
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

extern struct capos_runtime capos_rt;

void capos_heap_init(void);
void capos_stdout_flush(void);

#endif
