/*
 * The kernel side of the capability ring protocol (<capos/ring.h>), as
 * pure logic: index arithmetic and corruption checks, SQE validation,
 * taking SQEs off and posting CQEs onto a ring page.  No hardware access,
 * no locking: the kernel holds the ring's owner lock around these calls and
 * passes its own mapping of the ring page.
 *
 * Trust: the page is writable by every thread of the process, at any
 * moment.  So the kernel
 *   - keeps the indices it owns (sq_head, cq_tail) and the counters here,
 *     in struct ring, and only publishes them to the page;
 *   - reads each index userspace owns (sq_tail, cq_head) once per check;
 *   - copies an SQE out of the page (ring_sq_take) and validates and acts
 *     on the copy only.  Validating the shared entry in place and then
 *     reading it again is a time-of-check/time-of-use hole.
 *
 * Completion space: every SQE the kernel takes owes exactly one CQE,
 * possibly much later (a RECV waits for a caller).  ring_sq_take reserves
 * that CQE's slot, so an SQE is only taken when its completion is sure to
 * fit; a completion can then only be lost when userspace corrupts cq_head,
 * and that is counted in cq_overflow.
 */
#ifndef RING_RING_H
#define RING_RING_H

#include <stdint.h>

#include <capos/ring.h>

/* SQEs the kernel takes from one ring in one pass before it looks at other
 * work, so one process cannot keep a CPU in the kernel. */
#define RING_SQ_BUDGET CAPOS_RING_SQ_ENTRIES

/* Index values at one moment: the two the kernel owns and the two it read
 * from the page. */
struct ring_snapshot {
	uint32_t sq_head; /* kernel */
	uint32_t sq_tail; /* user, read once */
	uint32_t cq_head; /* user, read once */
	uint32_t cq_tail; /* kernel */
};

/* Kernel-private state of one ring. */
struct ring {
	struct capos_ring_page *page; /* the kernel's mapping of the page */
	uint32_t sq_head;             /* next SQE to take */
	uint32_t cq_tail;             /* next CQE slot to fill */
	uint32_t seen_sq_tail;        /* sq_tail as of the last ring_sync */
	uint32_t seen_cq_head;        /* cq_head as of the last ring_sync */
	uint32_t cq_reserved;         /* CQEs owed to SQEs already taken */
	uint32_t cq_overflow;         /* completions that found no room */
	uint32_t status;              /* CAPOS_RING_STATUS_* */
};

/* --- Pure index arithmetic ---------------------------------------------- */

/*
 * Inline: the kernel runs these for every SQE and CQE.
 *
 * ring_queued: entries between head and tail of a queue of `entries`
 * slots, in *count; returns 0 when tail - head (mod 2^32) exceeds
 * `entries` (the producer ran ahead of the ring, or a consumer index moved
 * past its producer).  ring_check: CAPOS_RING_STATUS_* bits for every
 * inconsistency in the snapshot.  ring_sq_pending: SQEs waiting to be
 * taken; ring_cq_ready: CQEs userspace has not consumed yet (what
 * cap_enter returns); ring_cq_space: free CQE slots — each 0 when its
 * indices are corrupt.
 */
static inline int
ring_queued(uint32_t head, uint32_t tail, uint32_t entries, uint32_t *count)
{
	/* Free-running u32 indices: the distance is right even across the
	 * wrap from 0xffffffff to 0, as long as it is at most `entries`. */
	uint32_t n = tail - head;

	if (n > entries)
		return 0;
	*count = n;
	return 1;
}

static inline uint32_t
ring_check(const struct ring_snapshot *s)
{
	uint32_t n, status = 0;

	if (!ring_queued(s->sq_head, s->sq_tail, CAPOS_RING_SQ_ENTRIES, &n))
		status |= CAPOS_RING_STATUS_SQ_CORRUPT;
	if (!ring_queued(s->cq_head, s->cq_tail, CAPOS_RING_CQ_ENTRIES, &n))
		status |= CAPOS_RING_STATUS_CQ_CORRUPT;
	return status;
}

static inline uint32_t
ring_sq_pending(const struct ring_snapshot *s)
{
	uint32_t n;

	if (!ring_queued(s->sq_head, s->sq_tail, CAPOS_RING_SQ_ENTRIES, &n))
		return 0;
	return n;
}

static inline uint32_t
ring_cq_ready(const struct ring_snapshot *s)
{
	uint32_t n;

	if (!ring_queued(s->cq_head, s->cq_tail, CAPOS_RING_CQ_ENTRIES, &n))
		return 0;
	return n;
}

static inline uint32_t
ring_cq_space(const struct ring_snapshot *s)
{
	uint32_t n;

	if (!ring_queued(s->cq_head, s->cq_tail, CAPOS_RING_CQ_ENTRIES, &n))
		return 0;
	return CAPOS_RING_CQ_ENTRIES - n;
}

/* --- SQE validation ----------------------------------------------------- */

/*
 * Static checks of a kernel-private SQE copy: opcode, flags, reserved and
 * unused fields, presence and limits of the fields the opcode uses, and
 * the static part of each buffer check (capos_user_range_ok).  Returns 0
 * or the transport error to complete the SQE with.  Checks run in that
 * order; the first failure wins.  Whether the cap is live, the buffers
 * mapped, and the opcode served by the cap is for the kernel to check
 * next.  ring/validate.h has the same checks for one known opcode
 * (ring_sqe_validate_op), inline.
 */
int ring_sqe_validate(const struct capos_sqe *sqe);

/*
 * Static checks of a kernel-private copy of an SQE's transfer
 * descriptors: known mode, zero reserved field, well-formed cap id, no cap
 * listed twice, n <= CAPOS_XFER_MAX.  Returns 0 or CAPOS_E_BAD_XFER.
 */
int ring_xfer_validate(const struct capos_xfer *x, uint32_t n);

/* "CALL", "RECV", ...; "INVALID" for 0 and unknown numbers. */
const char *ring_opcode_name(uint8_t opcode);

/* --- Operations on a ring page ------------------------------------------ */

/* Zeroes the page and writes the read-only header line. */
void ring_init(struct ring *r, struct capos_ring_page *page);

/* Loads of the indices userspace writes, and stores of the ones it reads.
 * Acquire/release order them against the entries they guard: an SQE is
 * read only after the sq_tail that published it, and a CQE is complete
 * before the cq_tail that publishes it. */
static inline uint32_t
ring_load_user_index(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
ring_publish_index(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Published every time: userspace may have overwritten the word. */
static inline void
ring_set_status(struct ring *r, uint32_t status)
{
	r->status = status;
	ring_publish_index(&r->page->hdr.status, status);
}

/*
 * Reads sq_tail and cq_head once, checks them against the kernel's
 * indices, and records and publishes the resulting status bits (bits clear
 * again once userspace repairs its index).  Returns the status.  Inline:
 * every cap_enter starts with it, most of them with nothing else to do.
 */
static inline uint32_t
ring_sync(struct ring *r, struct ring_snapshot *snap)
{
	struct capos_ring_header *h = &r->page->hdr;

	r->seen_sq_tail = ring_load_user_index(&h->sq_tail);
	r->seen_cq_head = ring_load_user_index(&h->cq_head);
	snap->sq_head = r->sq_head;
	snap->sq_tail = r->seen_sq_tail;
	snap->cq_head = r->seen_cq_head;
	snap->cq_tail = r->cq_tail;
	ring_set_status(r, ring_check(snap));
	return r->status;
}

/* The indices as of the last ring_sync (and the kernel's own). */
static inline struct ring_snapshot
ring_seen(const struct ring *r)
{
	struct ring_snapshot s = {
	    .sq_head = r->sq_head,
	    .sq_tail = r->seen_sq_tail,
	    .cq_head = r->seen_cq_head,
	    .cq_tail = r->cq_tail,
	};

	return s;
}

/*
 * SQEs the kernel may take now, as of the last ring_sync: pending SQEs,
 * capped by `budget` and by the CQE slots not yet promised to earlier
 * SQEs.  0 when corrupt.  Inline: every cap_enter asks.
 */
static inline uint32_t
ring_sq_batch(const struct ring *r, uint32_t budget)
{
	struct ring_snapshot s = ring_seen(r);
	uint32_t n = ring_sq_pending(&s);
	uint32_t space = ring_cq_space(&s);

	if (ring_check(&s) != 0)
		return 0;
	/* The reservations never exceed the space they were taken from,
	 * unless cq_head moved backwards; then nothing is free. */
	space = space > r->cq_reserved ? space - r->cq_reserved : 0;
	if (n > space)
		n = space;
	if (n > budget)
		n = budget;
	return n;
}

/*
 * Copies the next SQE out of the page into *out, reserves its CQE slot and
 * publishes the new sq_head.  Works from the indices of the last
 * ring_sync, so it never takes an SQE the snapshot did not show.  Returns
 * 0, or -1 when nothing may be taken (no SQE, no CQE room, corrupt).
 */
int ring_sq_take(struct ring *r, struct capos_sqe *out);

/*
 * Takes the next SQE of a batch that ring_sq_batch() allowed, without
 * checking again: the caller takes at most the number it returned, right
 * after it.  That number stays right while the batch is processed:
 * posting the CQE of a taken SQE uses the slot its reservation held, and
 * userspace consuming CQEs only adds room.  Inline: cap_enter's loop.
 */
static inline void
ring_sq_take_batched(struct ring *r, struct capos_sqe *out)
{
	/* The one read of the shared entry (see ring_sq_take). */
	*out = r->page->sq[r->sq_head & (CAPOS_RING_SQ_ENTRIES - 1)];
	r->sq_head++;
	r->cq_reserved++;
	__atomic_store_n(&r->page->hdr.sq_head, r->sq_head, __ATOMIC_RELEASE);
}

/*
 * Posts the completion of a taken SQE and publishes cq_tail.  Returns 0,
 * or -1 when the CQ had no room (userspace corrupted cq_head): the CQE is
 * dropped and counted in cq_overflow.  Either way the SQE's reservation is
 * released.
 */
static inline int
ring_cq_post(struct ring *r, const struct capos_cqe *cqe)
{
	struct capos_ring_header *h = &r->page->hdr;
	struct ring_snapshot s;

	if (r->cq_reserved > 0)
		r->cq_reserved--;
	/* Userspace may have consumed more since the last sync. */
	r->seen_cq_head = ring_load_user_index(&h->cq_head);
	s = ring_seen(r);
	if (__builtin_expect(ring_cq_space(&s) == 0, 0)) {
		ring_set_status(r, ring_check(&s));
		r->cq_overflow++;
		ring_publish_index(&h->cq_overflow, r->cq_overflow);
		return -1;
	}
	r->page->cq[r->cq_tail & (CAPOS_RING_CQ_ENTRIES - 1)] = *cqe;
	r->cq_tail++;
	ring_publish_index(&h->cq_tail, r->cq_tail);
	return 0;
}

#endif
