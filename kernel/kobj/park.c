/*
 * ParkSpace: futex-like waits on 32-bit user words, through the PARK and
 * UNPARK ring operations (docs/abi.md).  One object serves every
 * process: a wait is keyed by (process, word address), so a ParkSpace
 * cap reaches only the words of the process that uses it, whoever
 * granted it (process-private).
 *
 * A waiting PARK is its completion record (ipc/completion.h): the record
 * sits on its process's bucket for the word (struct process.park_waits)
 * and, with a timeout, on the deadline
 * list too, so no pool is shared between processes and a thread has at
 * most one park per slot of its completion queue.  Reading the word and
 * queueing the record happen with interrupts off, as do UNPARK and the
 * timer tick: on one CPU an UNPARK either runs before the read (which
 * then sees the new value) or finds the record queued, so no wake-up is
 * lost between the check and the wait.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "kobj/park.h"
#include "ipc/sqe.h"
#include "mm/aspace.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

/* Parks with a timeout, earliest deadline first. */
static struct completion_list deadlines = TAILQ_HEAD_INITIALIZER(deadlines);

/* The bucket of p's parks on the word at key. */
static struct completion_list *
bucket_of(struct process *p, uint64_t key)
{
	return &p->park_waits[((key >> 2) * 0x9e3779b97f4a7c15ull) >> 60];
}
_Static_assert(PROC_PARK_BUCKETS == 16, "bucket_of keeps the top 4 bits");

/* Off every list the record is on. */
static void
park_unlink(struct completion *c)
{
	TAILQ_REMOVE(bucket_of(c->proc, c->wait_key), c, wait_link);
	if (c->deadline_ns != UINT64_MAX)
		TAILQ_REMOVE(&deadlines, c, time_link);
}

static const struct completion_ops park_ops = {
    .name = "PARK",
    .withdraw = park_unlink,
};

static const struct kobject_ops park_space_ops = {
    .name = "ParkSpace", .interface_id = capos_ParkSpace_TYPE_ID,
    /* No methods: CALL is NOT_SUPPORTED, as on an Endpoint. */
};

static struct kobject park_obj = {
    .ops = &park_space_ops,
    .refs = 1,
    .interface_id = capos_ParkSpace_TYPE_ID,
};

struct kobject *
park_object(void)
{
	return &park_obj;
}

/* The SQE's cap must be a live ParkSpace cap of p. */
static int32_t
check_space(struct process *p, const struct capos_sqe *sqe)
{
	const struct cap_slot *slot;
	int err = cap_lookup(&p->caps, sqe->cap, &slot);

	if (err)
		return kerr_from_cap(err);
	if (slot->object != &park_obj)
		return KERR_NOT_SUPPORTED;
	return KERR_OK;
}

static void
queue_deadline(struct completion *rec)
{
	struct completion *pos;

	TAILQ_FOREACH(pos, &deadlines, time_link)
		if (pos->deadline_ns > rec->deadline_ns)
			break;
	if (pos)
		TAILQ_INSERT_BEFORE(pos, rec, time_link);
	else
		TAILQ_INSERT_TAIL(&deadlines, rec, time_link);
}

int32_t
park_op(struct process *p, const struct capos_sqe *sqe)
{
	struct completion *rec;
	uint64_t deadline = UINT64_MAX;
	uint32_t word;
	int32_t err = check_space(p, sqe);

	if (err)
		return err;
	/* An unmapped word is BAD_BUFFER (a lazy page never touched is
	 * mapped now); lib/ring already refused kernel, ring and misaligned
	 * addresses. */
	err = aspace_read_word(&p->as, sqe_word_addr(sqe), &word);
	if (err)
		return err;
	if (word != sqe->park_value)
		return CAPOS_PARK_VALUE_CHANGED;
	if (sqe->timeout_ns == 0)
		return KERR_TIMED_OUT;
	if (sqe->timeout_ns != CAPOS_PARK_NO_TIMEOUT) {
		deadline = clock_ns() + sqe->timeout_ns;
		if (deadline < sqe->timeout_ns)
			deadline = UINT64_MAX; /* past the clock's end */
	}
	rec = completion_open(p, sqe, &park_ops, NULL);
	rec->wait_key = sqe->word_addr; /* a key, never dereferenced */
	rec->deadline_ns = deadline;
	TAILQ_INSERT_TAIL(bucket_of(p, rec->wait_key), rec, wait_link);
	if (deadline != UINT64_MAX)
		queue_deadline(rec);
	return KCALL_PENDING;
}

/* Wakes the oldest parks first.  The work is bounded by the caller's own
 * process's parks in the bucket: another process cannot lengthen it. */
int32_t
unpark_op(struct process *p, const struct capos_sqe *sqe)
{
	struct completion_list *b;
	struct completion *c, *next;
	uint64_t key = sqe->word_addr;
	uint32_t word;
	int32_t err = check_space(p, sqe);
	int32_t woken = 0;

	if (err)
		return err;
	/* The same addresses as PARK, checked the same way (the value
	 * itself is not needed): a wake on memory the process does not
	 * have is a bug worth reporting. */
	err = aspace_read_word(&p->as, sqe_word_addr(sqe), &word);
	if (err)
		return err;
	b = bucket_of(p, key);
	for (c = TAILQ_FIRST(b); c && (uint32_t)woken < sqe->unpark_count;
	     c = next) {
		next = TAILQ_NEXT(c, wait_link);
		if (c->wait_key != key)
			continue;
		park_unlink(c);
		completion_post(c, CAPOS_PARK_WOKEN, 0);
		woken++;
	}
	return woken;
}

void
park_object_tick(void)
{
	uint64_t now;
	struct completion *c;

	if (TAILQ_EMPTY(&deadlines))
		return;
	now = clock_ns();
	while ((c = TAILQ_FIRST(&deadlines)) && c->deadline_ns <= now) {
		park_unlink(c);
		completion_post(c, KERR_TIMED_OUT, 0);
	}
}
