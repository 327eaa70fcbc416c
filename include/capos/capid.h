/*
 * CapId: how a process names one slot of its own capability table.
 *
 *	 31                    12 11          0
 *	+------------------------+-------------+
 *	|  generation (20 bits)  | slot (12)   |
 *	+------------------------+-------------+
 *
 * The kernel issues generations from 1 upwards and bumps a slot's generation
 * every time the slot is freed, so an id kept after a release no longer
 * matches (stale).  Generation 0 is never issued: CapId 0 is always invalid
 * and a zero-filled field can never name a capability by accident.  A slot
 * whose generation would wrap is retired for the life of the table, so a
 * stale id can never become valid again.
 */
#ifndef CAPOS_CAPID_H
#define CAPOS_CAPID_H

#include <stdint.h>

typedef uint32_t capos_capid_t;

#define CAPOS_CAPID_SLOT_BITS 12
#define CAPOS_CAPID_GEN_BITS  20
#define CAPOS_CAPID_SLOT_MASK ((1u << CAPOS_CAPID_SLOT_BITS) - 1)
/* Upper bound on any table's size: every slot index must fit the id. */
#define CAPOS_CAPID_MAX_SLOTS (1u << CAPOS_CAPID_SLOT_BITS)
/* Generations run 1..CAPOS_CAPID_GEN_MAX; 0 marks "never valid". */
#define CAPOS_CAPID_GEN_MIN 1u
#define CAPOS_CAPID_GEN_MAX ((1u << CAPOS_CAPID_GEN_BITS) - 1)
#define CAPOS_CAPID_INVALID ((capos_capid_t)0)

_Static_assert(CAPOS_CAPID_SLOT_BITS + CAPOS_CAPID_GEN_BITS == 32,
               "a CapId is exactly 32 bits");
_Static_assert(sizeof(capos_capid_t) == 4, "CapId is a u32");

/* Callers pass slot < CAPOS_CAPID_MAX_SLOTS and gen <= CAPOS_CAPID_GEN_MAX;
 * out-of-range bits are masked off rather than spilling into the other
 * field. */
static inline capos_capid_t
capos_capid_make(uint32_t slot, uint32_t gen)
{
	return (capos_capid_t)(((gen & CAPOS_CAPID_GEN_MAX)
	                        << CAPOS_CAPID_SLOT_BITS) |
	                       (slot & CAPOS_CAPID_SLOT_MASK));
}

static inline uint32_t
capos_capid_slot(capos_capid_t id)
{
	return id & CAPOS_CAPID_SLOT_MASK;
}

static inline uint32_t
capos_capid_gen(capos_capid_t id)
{
	return id >> CAPOS_CAPID_SLOT_BITS;
}

/* Structural check only (generation 0 is never issued); whether the id is
 * live is for the owning table to say. */
static inline int
capos_capid_is_wellformed(capos_capid_t id)
{
	return capos_capid_gen(id) != 0;
}

#endif
