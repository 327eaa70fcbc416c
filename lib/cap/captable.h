/*
 * A process's capability table, as pure logic.
 *
 * The table maps CapIds (<capos/capid.h>) to slots.  Each live slot is one
 * edge of the authority graph: which object, through which interface, how
 * the holder may pass it on, and how the holder came to have it.  The table
 * does not know what the objects are and does not count references: the
 * kernel takes a reference before cap_insert and drops it with what
 * cap_remove / cap_commit hand back.
 *
 * Storage is the caller's (an array of struct cap_slot); nothing here
 * allocates.  Not thread-safe: the kernel holds the owning process's table
 * lock around every call.
 *
 * Slot life cycle:
 *
 *	FREE --insert--> LIVE --remove--> FREE (generation + 1)
 *	                 LIVE --reserve--> RESERVED --commit--> FREE (gen + 1)
 *	                                   RESERVED --rollback--> LIVE
 *	any -> FREE whose generation would pass CAPOS_CAPID_GEN_MAX
 *	    -> RETIRED, forever
 *
 * RESERVED is the sender's side of a move transfer: the cap can no longer
 * be used or released by its holder, but it is not gone until the receiver
 * has it (commit), and comes back untouched if the transfer fails
 * (rollback), so authority is never lost or duplicated.
 */
#ifndef CAP_CAPTABLE_H
#define CAP_CAPTABLE_H

#include <stddef.h>
#include <stdint.h>

#include <capos/capid.h>

/* Slots a process table has unless its profile says otherwise. */
#define CAP_TABLE_DEFAULT_SLOTS 256u
/* Hard upper bound: every slot index must fit in a CapId. */
#define CAP_TABLE_MAX_SLOTS CAPOS_CAPID_MAX_SLOTS

/* How the holder may pass a capability on. */
enum cap_xfer_mode {
	CAP_XFER_COPY = 1,             /* may be copied (and moved) */
	CAP_XFER_MOVE = 2,             /* may only be moved */
	CAP_XFER_NON_TRANSFERABLE = 3, /* stays with this holder */
};

/* How the holder came to hold it (the authority graph's edge label). */
enum cap_origin {
	CAP_ORIGIN_KERNEL = 1,       /* installed by the kernel itself */
	CAP_ORIGIN_SPAWN_GRANT = 2,  /* granted when the process was spawned */
	CAP_ORIGIN_IPC_TRANSFER = 3, /* copied or moved in over IPC */
	CAP_ORIGIN_RESULT_CAP = 4,   /* returned as a call's result cap */
};

enum cap_slot_state {
	CAP_SLOT_FREE = 0,
	CAP_SLOT_LIVE = 1,
	CAP_SLOT_RESERVED = 2,
	CAP_SLOT_RETIRED = 3,
};

/* Results.  Lookup failures are told apart for counters and tests; in
 * the kernel they all become KERR_BAD_CAP (kerr_from_cap,
 * kernel/core/kerr.h). */
enum cap_result {
	CAP_OK = 0,
	CAP_E_INVAL = -1,            /* bad argument (NULL, bad mode/origin) */
	CAP_E_FULL = -2,             /* no free slot left */
	CAP_E_FORGED = -3,           /* generation 0: never issued */
	CAP_E_RANGE = -4,            /* slot index beyond this table */
	CAP_E_FREE = -5,             /* slot is free or retired */
	CAP_E_STALE = -6,            /* slot reused: generation differs */
	CAP_E_RESERVED = -7,         /* slot is reserved by a move */
	CAP_E_NOT_RESERVED = -8,     /* commit/rollback of a live slot */
	CAP_E_NOT_TRANSFERABLE = -9, /* move of a non-transferable cap */
};

struct cap_slot {
	void *object;          /* opaque to the table */
	uint64_t interface_id; /* Cap'n Proto interface id */
	uint32_t generation;   /* of the id that names this slot now */
	uint16_t next_free;    /* free queue link (FREE slots only) */
	uint8_t state;         /* enum cap_slot_state */
	uint8_t xfer_mode;     /* enum cap_xfer_mode */
	uint8_t origin;        /* enum cap_origin */
};

struct cap_table {
	struct cap_slot *slots;
	uint32_t nslots;
	uint32_t used; /* LIVE + RESERVED */
	uint32_t retired;
	/* Free slots form a FIFO queue, so a freed slot is reused as late
	 * as possible: its generations are spent slowly, and a stale id
	 * keeps failing as "stale" for as long as it can. */
	uint32_t free_head;
	uint32_t free_tail;
	/* Slots [fresh, nslots) were never handed out: FREE at the first
	 * generation, and first in the queue, in index order, before every
	 * freed slot.  Their storage is not looked at (nor need it be
	 * initialised) until insert hands one out, so making a table costs
	 * nothing per slot. */
	uint32_t fresh;
};

/* Takes `storage` (nslots entries, 1 <= nslots <= CAP_TABLE_MAX_SLOTS,
 * contents unused) as the table's slots and frees all of them. */
int cap_table_init(struct cap_table *t, struct cap_slot *storage,
                   uint32_t nslots);

/* Installs a new LIVE slot and returns its id in *id. CAP_E_FULL when no
 * slot is free (retired slots never come back). */
int cap_insert(struct cap_table *t, void *object, uint64_t interface_id,
               enum cap_xfer_mode mode, enum cap_origin origin,
               capos_capid_t *id);

/* cap_lookup's whole check, with the reason an id names no LIVE slot. */
int cap_lookup_slow(const struct cap_table *t, capos_capid_t id,
                    const struct cap_slot **slot);

/* Resolves a LIVE cap. *slot points into the table until the next change
 * to it.  Inline: every CALL and PARK looks its cap up, and a live id
 * needs three tests; anything else goes the slow way, which says why. */
static inline int
cap_lookup(const struct cap_table *t, capos_capid_t id,
           const struct cap_slot **slot)
{
	uint32_t i = capos_capid_slot(id);

	if (__builtin_expect(capos_capid_is_wellformed(id) && i < t->fresh &&
	                         t->slots[i].state == CAP_SLOT_LIVE &&
	                         t->slots[i].generation == capos_capid_gen(id),
	                     1)) {
		if (slot != NULL)
			*slot = &t->slots[i];
		return CAP_OK;
	}
	return cap_lookup_slow(t, id, slot);
}

/* Frees a LIVE slot; *old (if not NULL) receives what it held, so the
 * caller can drop its reference to the object. */
int cap_remove(struct cap_table *t, capos_capid_t id, struct cap_slot *old);

/* Move protocol, sender side.  reserve: LIVE -> RESERVED (refuses a
 * non-transferable cap), *slot shows what is being moved.  commit:
 * RESERVED -> FREE, *old as for cap_remove.  rollback: RESERVED -> LIVE,
 * same id as before. */
int cap_reserve(struct cap_table *t, capos_capid_t id,
                const struct cap_slot **slot);
int cap_commit(struct cap_table *t, capos_capid_t id, struct cap_slot *old);
int cap_rollback(struct cap_table *t, capos_capid_t id);

/* LIVE + RESERVED slots. */
uint32_t cap_count(const struct cap_table *t);
/* Slots insert can still hand out. */
uint32_t cap_free_count(const struct cap_table *t);

/*
 * Iteration over LIVE and RESERVED slots in slot order:
 *
 *	uint32_t cur = 0;
 *	while (cap_next(t, &cur, &id, &slot) == CAP_OK) ...
 *
 * Returns CAP_E_RANGE when there is nothing more.
 */
int cap_next(const struct cap_table *t, uint32_t *cursor, capos_capid_t *id,
             const struct cap_slot **slot);

/* Symbolic name, e.g. "CAP_E_STALE". */
const char *cap_strerror(int result);

#endif
