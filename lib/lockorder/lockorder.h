/*
 * The lock-order rule (docs/smp.md, "The locks"), as pure code: the stack
 * of spinlocks one CPU holds, and whether it may take another.  The
 * kernel's debug build (LOCKCHECK=1, kernel/core/lockcheck.c) keeps one
 * stack per CPU and panics on every verdict but LOCKORDER_OK; host tests
 * feed it allowed and refused orders.
 *
 * Ranks follow the table of docs/smp.md: rank 1 (a process's `proc`
 * lock) is outermost, rank 7 (the devices) innermost.  A CPU holding a
 * lock of rank r may take a lock of rank > r; a lock of rank r itself
 * only when its address is above the held one's (two locks of one rank
 * are taken in address order), so taking a lock it already holds is
 * refused too.  Locks are released in the reverse order.
 *
 * A trylock cannot wait, so it cannot close a cycle: it is pushed
 * without the order check (lockorder_push) and released like any other.
 */
#ifndef LOCKORDER_LOCKORDER_H
#define LOCKORDER_LOCKORDER_H

#include <stdint.h>

/* The deepest nesting: the rank table has 7 ranks, and two locks of one
 * rank are the most one path takes (a transfer's two `proc` locks). */
#define LOCKORDER_DEPTH 8

struct lockorder_held {
	const void *lock;
	uint32_t rank;
	const char *name;
};

/* One CPU's held locks, innermost on top; all zero is empty. */
struct lockorder {
	uint32_t depth;
	struct lockorder_held held[LOCKORDER_DEPTH];
};

enum lockorder_verdict {
	LOCKORDER_OK = 0,
	LOCKORDER_HELD,     /* the lock is held already by this CPU */
	LOCKORDER_RANK,     /* its rank is not below the top's */
	LOCKORDER_ADDRESS,  /* same rank as the top, address not above it */
	LOCKORDER_FULL,     /* LOCKORDER_DEPTH locks are held already */
	LOCKORDER_NOT_HELD, /* released, but not held */
	LOCKORDER_NOT_TOP,  /* released, held, but not the innermost */
};

/* Whether this CPU may take lock (of rank); no change to s. */
enum lockorder_verdict lockorder_check(const struct lockorder *s,
                                       const void *lock, uint32_t rank);

/* lockorder_check, then on LOCKORDER_OK pushes the lock. */
enum lockorder_verdict lockorder_acquire(struct lockorder *s, const void *lock,
                                         uint32_t rank, const char *name);

/* Pushes without the order check (a trylock that succeeded):
 * LOCKORDER_OK, or LOCKORDER_FULL / LOCKORDER_HELD and no change. */
enum lockorder_verdict lockorder_push(struct lockorder *s, const void *lock,
                                      uint32_t rank, const char *name);

/* Pops lock when it is on top; otherwise LOCKORDER_NOT_TOP or
 * LOCKORDER_NOT_HELD and no change. */
enum lockorder_verdict lockorder_release(struct lockorder *s, const void *lock);

/* The innermost held lock, or NULL when none is held. */
const struct lockorder_held *lockorder_top(const struct lockorder *s);

/* A verdict in words, for a panic message. */
const char *lockorder_verdict_text(enum lockorder_verdict v);

#endif
