/*
 * The lock-order rule (lockorder.h).  Checks compare with the top of the
 * stack only: the stack is ordered (each push was checked against the
 * one below it), so being below the top is being below all of them —
 * except for a trylock's push, which the "already held" scan covers.
 */
#include "lockorder/lockorder.h"

#include <stddef.h>

static int
holds(const struct lockorder *s, const void *lock)
{
	uint32_t i;

	for (i = 0; i < s->depth; i++)
		if (s->held[i].lock == lock)
			return 1;
	return 0;
}

enum lockorder_verdict
lockorder_check(const struct lockorder *s, const void *lock, uint32_t rank)
{
	const struct lockorder_held *top = lockorder_top(s);

	if (holds(s, lock))
		return LOCKORDER_HELD;
	if (s->depth == LOCKORDER_DEPTH)
		return LOCKORDER_FULL;
	if (!top)
		return LOCKORDER_OK;
	if (rank < top->rank)
		return LOCKORDER_RANK;
	if (rank == top->rank && (uintptr_t)lock <= (uintptr_t)top->lock)
		return LOCKORDER_ADDRESS;
	return LOCKORDER_OK;
}

enum lockorder_verdict
lockorder_push(struct lockorder *s, const void *lock, uint32_t rank,
               const char *name)
{
	if (holds(s, lock))
		return LOCKORDER_HELD;
	if (s->depth == LOCKORDER_DEPTH)
		return LOCKORDER_FULL;
	s->held[s->depth].lock = lock;
	s->held[s->depth].rank = rank;
	s->held[s->depth].name = name;
	s->depth++;
	return LOCKORDER_OK;
}

enum lockorder_verdict
lockorder_acquire(struct lockorder *s, const void *lock, uint32_t rank,
                  const char *name)
{
	enum lockorder_verdict v = lockorder_check(s, lock, rank);

	if (v != LOCKORDER_OK)
		return v;
	return lockorder_push(s, lock, rank, name);
}

enum lockorder_verdict
lockorder_release(struct lockorder *s, const void *lock)
{
	if (!holds(s, lock))
		return LOCKORDER_NOT_HELD;
	if (s->held[s->depth - 1].lock != lock)
		return LOCKORDER_NOT_TOP;
	s->depth--;
	s->held[s->depth].lock = NULL;
	return LOCKORDER_OK;
}

const struct lockorder_held *
lockorder_top(const struct lockorder *s)
{
	return s->depth ? &s->held[s->depth - 1] : NULL;
}

const char *
lockorder_verdict_text(enum lockorder_verdict v)
{
	switch (v) {
	case LOCKORDER_OK:
		return "allowed";
	case LOCKORDER_HELD:
		return "already held by this CPU";
	case LOCKORDER_RANK:
		return "rank not below the innermost held lock's";
	case LOCKORDER_ADDRESS:
		return "same rank as the innermost held lock, address not "
		       "above it";
	case LOCKORDER_FULL:
		return "too many locks held";
	case LOCKORDER_NOT_HELD:
		return "released but not held";
	case LOCKORDER_NOT_TOP:
		return "released out of order (not the innermost held lock)";
	}
	return "unknown verdict";
}
