/*
 * The ring client.  Userspace owns sq_tail and cq_head; it reads the
 * kernel's sq_head and cq_tail with acquire loads and publishes its own
 * indices with release stores, so an SQE is complete in memory before the
 * kernel can see its index, and a CQE is read only after its index.
 *
 * Completions may arrive in any order (a Timer.sleep finishes after calls
 * made later): a waiter keeps the CQEs meant for others in a stash.
 * Releases are fire-and-forget SQEs tagged with CAPOS_RUNTIME_TAG; their
 * CQEs are dropped when they arrive, failures counted.
 */
#include "capos.h"
#include "internal.h"

/* Every thread's: queued releases the kernel refused, for
 * capos_release_failures. */
static uint32_t release_failures;

uint64_t
capos_next_tag(void)
{
	return capos_tag_fast();
}

static void drain(void);

/*
 * The next free SQ slot, for the caller to write in place and publish
 * with sq_commit: the SQE goes straight into the shared page, with no
 * copy of it made first.  Waits for room when the SQ is full.
 */
static int
sq_slot(struct capos_sqe **slot)
{
	struct capos_ring_header *h = &capos_rt.ring->hdr;
	int64_t r;

	/* Full is exactly full: a sq_head scribbled over (the kernel keeps
	 * its own) must not stall the thread here. */
	while (h->sq_tail - __atomic_load_n(&h->sq_head, __ATOMIC_ACQUIRE) ==
	       CAPOS_RING_SQ_ENTRIES) {
		/* The kernel takes an SQE only when its CQE will fit: make
		 * room in the CQ, then let the kernel take what is queued. */
		drain();
		r = capos_sys_cap_enter(0, 0);
		if (r < 0)
			return (int)r;
	}
	*slot = &capos_rt.ring->sq[h->sq_tail % CAPOS_RING_SQ_ENTRIES];
	return 0;
}

/* Publishes the SQE written into the slot sq_slot gave. */
static inline void
sq_commit(void)
{
	struct capos_ring_header *h = &capos_rt.ring->hdr;

	__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
}

static int
push_sqe(const struct capos_sqe *sqe)
{
	struct capos_sqe *slot = NULL;
	int err = sq_slot(&slot);

	if (err)
		return err;
	*slot = *sqe;
	sq_commit();
	return 0;
}

static int
flush_releases(void)
{
	while (capos_rt.nreleases) {
		struct capos_sqe sqe = {
		    .opcode = CAPOS_OP_RELEASE,
		    .cap = capos_rt.releases[capos_rt.nreleases - 1],
		    .user_data = CAPOS_RUNTIME_TAG | capos_next_tag(),
		};
		int err = push_sqe(&sqe);

		if (err)
			return err;
		capos_rt.nreleases--;
	}
	return 0;
}

int
capos_submit_slot(struct capos_sqe **slot)
{
	int err;

	if (capos_rt.in_flight >= CAPOS_PENDING_MAX)
		return CAPOS_E_QUOTA;
	if (capos_rt.nreleases) {
		err = flush_releases();
		if (err)
			return err;
	}
	return sq_slot(slot);
}

void
capos_submit_commit(void)
{
	sq_commit();
	capos_rt.in_flight++;
}

int
capos_submit(const struct capos_sqe *sqe)
{
	struct capos_sqe *slot = NULL;
	int err = capos_submit_slot(&slot);

	if (err)
		return err;
	*slot = *sqe;
	capos_submit_commit();
	return 0;
}

/* Moves every CQE in the ring to the stash (or drops release CQEs). */
static void
drain(void)
{
	struct capos_ring_header *h = &capos_rt.ring->hdr;
	uint32_t tail = __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE);

	while (h->cq_head != tail) {
		struct capos_cqe *c =
		    &capos_rt.ring->cq[h->cq_head % CAPOS_RING_CQ_ENTRIES];

		if (c->user_data & CAPOS_RUNTIME_TAG) {
			if (c->result < 0)
				__atomic_add_fetch(&release_failures, 1,
				                   __ATOMIC_RELAXED);
		} else if (capos_rt.nstash < CAPOS_PENDING_MAX) {
			capos_rt.stash[capos_rt.nstash++] = *c;
		} else {
			/* Only SQEs written behind the runtime's back can
			 * overrun the stash. */
			capos_rt.lost++;
		}
		__atomic_store_n(&h->cq_head, h->cq_head + 1, __ATOMIC_RELEASE);
	}
}

static bool
take_stashed(uint64_t user_data, struct capos_cqe *out)
{
	uint32_t i;

	for (i = 0; i < capos_rt.nstash; i++) {
		if (capos_rt.stash[i].user_data != user_data)
			continue;
		*out = capos_rt.stash[i];
		capos_rt.stash[i] = capos_rt.stash[--capos_rt.nstash];
		if (capos_rt.in_flight)
			capos_rt.in_flight--;
		return true;
	}
	return false;
}

/*
 * Takes the CQE at the head of the ring if it is the one awaited: the
 * common case of one call at a time, which then skips the stash.
 */
static inline bool
take_next(uint64_t user_data, struct capos_cqe *out)
{
	struct capos_ring_header *h = &capos_rt.ring->hdr;
	uint32_t head = h->cq_head;
	const struct capos_cqe *c;

	if (__atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE) == head)
		return false;
	c = &capos_rt.ring->cq[head % CAPOS_RING_CQ_ENTRIES];
	if (c->user_data != user_data)
		return false;
	*out = *c;
	__atomic_store_n(&h->cq_head, head + 1, __ATOMIC_RELEASE);
	if (capos_rt.in_flight)
		capos_rt.in_flight--;
	return true;
}

/* capos_wait; the first cap_enter waits for `first` completions. */
static int
wait_tag(uint64_t user_data, uint64_t timeout_ns, uint32_t first,
         struct capos_cqe *cqe)
{
	int64_t r;

	for (;;) {
		/* A CQE is either in the ring or in the stash, never both. */
		if (take_next(user_data, cqe))
			return 0;
		drain();
		if (take_stashed(user_data, cqe))
			return 0;
		/* The ring is empty now: wait for more completions.  The
		 * timeout restarts per completion, which only lengthens a
		 * wait that other completions keep interrupting. */
		r = capos_sys_cap_enter(first, timeout_ns);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return CAPOS_E_TIMED_OUT;
		first = 1;
	}
}

int
capos_wait(uint64_t user_data, uint64_t timeout_ns, struct capos_cqe *cqe)
{
	return wait_tag(user_data, timeout_ns, 1, cqe);
}

int
capos_wait_first(uint64_t user_data, uint32_t first, struct capos_cqe *cqe)
{
	return wait_tag(user_data, CAPOS_TIMEOUT_INFINITE, first, cqe);
}

int
capos_wait_any(const uint64_t *tags, uint32_t n, uint64_t timeout_ns,
               uint32_t *which, struct capos_cqe *cqe)
{
	uint32_t i;
	int64_t r;

	for (;;) {
		drain();
		for (i = 0; i < n; i++) {
			if (tags[i] && take_stashed(tags[i], cqe)) {
				*which = i;
				return 0;
			}
		}
		/* As in capos_wait: the ring is empty, wait for one more. */
		r = capos_sys_cap_enter(1, timeout_ns);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return CAPOS_E_TIMED_OUT;
	}
}

void
capos_release(capos_capid_t cap)
{
	if (capos_rt.nreleases == CAPOS_RELEASE_QUEUE)
		capos_flush();
	capos_rt.releases[capos_rt.nreleases++] = cap;
}

int
capos_flush(void)
{
	int err = flush_releases();
	int64_t r;

	if (err)
		return err;
	r = capos_sys_cap_enter(0, 0);
	return r < 0 ? (int)r : 0;
}

uint32_t
capos_release_failures(void)
{
	/* Release CQEs already in the ring count too. */
	drain();
	return __atomic_load_n(&release_failures, __ATOMIC_RELAXED);
}

int
capos_release_sync(capos_capid_t cap)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_RELEASE,
	    .cap = cap,
	    .user_data = capos_next_tag(),
	};
	struct capos_cqe cqe;
	int err = capos_submit(&sqe);

	if (!err)
		err = capos_wait(sqe.user_data, CAPOS_TIMEOUT_INFINITE, &cqe);
	return err ? err : cqe.result;
}
