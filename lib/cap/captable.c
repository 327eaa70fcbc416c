/*
 * Capability table.  See captable.h for the slot life cycle.
 */
#include "cap/captable.h"

#include "base/mem.h"

/* End of the free queue.  Slot indices stay below CAP_TABLE_MAX_SLOTS. */
#define CAP_NO_SLOT 0xffffu

_Static_assert(CAP_TABLE_MAX_SLOTS <= CAP_NO_SLOT,
               "free queue links fit in next_free");

static void
free_push(struct cap_table *t, uint32_t idx)
{
	t->slots[idx].next_free = CAP_NO_SLOT;
	if (t->free_tail == CAP_NO_SLOT)
		t->free_head = idx;
	else
		t->slots[t->free_tail].next_free = (uint16_t)idx;
	t->free_tail = idx;
}

static uint32_t
free_pop(struct cap_table *t)
{
	uint32_t idx = t->free_head;

	if (t->fresh < t->nslots) {
		idx = t->fresh++;
		t->slots[idx] = (struct cap_slot){
		    .generation = CAPOS_CAPID_GEN_MIN,
		    .state = CAP_SLOT_FREE,
		    .next_free = CAP_NO_SLOT,
		};
		return idx;
	}
	if (idx == CAP_NO_SLOT)
		return CAP_NO_SLOT;
	t->free_head = t->slots[idx].next_free;
	if (t->free_head == CAP_NO_SLOT)
		t->free_tail = CAP_NO_SLOT;
	return idx;
}

/* Empties a slot and gives it the next generation, or retires it when the
 * generations are used up: reissuing generation 1 would make every old id
 * for this slot valid again. */
static void
slot_release(struct cap_table *t, uint32_t idx)
{
	struct cap_slot *s = &t->slots[idx];

	s->object = NULL;
	s->interface_id = 0;
	s->xfer_mode = 0;
	s->origin = 0;
	t->used--;
	if (s->generation >= CAPOS_CAPID_GEN_MAX) {
		s->state = CAP_SLOT_RETIRED;
		t->retired++;
		return;
	}
	s->generation++;
	s->state = CAP_SLOT_FREE;
	free_push(t, idx);
}

/* Resolves an id to its slot whatever the slot's state, or says why the id
 * cannot name any slot of this table. */
static int
resolve(const struct cap_table *t, capos_capid_t id, uint32_t *idx)
{
	uint32_t slot = capos_capid_slot(id);
	const struct cap_slot *s;

	if (!capos_capid_is_wellformed(id))
		return CAP_E_FORGED;
	/* One test for both (fresh <= nslots): beyond the table, or never
	 * handed out. */
	if (slot >= t->fresh)
		return slot >= t->nslots ? CAP_E_RANGE : CAP_E_FREE;
	s = &t->slots[slot];
	if (s->state == CAP_SLOT_FREE || s->state == CAP_SLOT_RETIRED) {
		/* A free slot's generation is the next one to be issued,
		 * so an old id for it is stale as well as free; "free"
		 * is the more useful thing to report. */
		return CAP_E_FREE;
	}
	if (s->generation != capos_capid_gen(id))
		return CAP_E_STALE;
	*idx = slot;
	return CAP_OK;
}

int
cap_table_init(struct cap_table *t, struct cap_slot *storage, uint32_t nslots)
{
	if (t == NULL || storage == NULL || nslots == 0 ||
	    nslots > CAP_TABLE_MAX_SLOTS)
		return CAP_E_INVAL;
	t->slots = storage;
	t->nslots = nslots;
	t->used = 0;
	t->retired = 0;
	/* Every slot free and fresh: the queue of freed slots is empty. */
	t->fresh = 0;
	t->free_head = CAP_NO_SLOT;
	t->free_tail = CAP_NO_SLOT;
	return CAP_OK;
}

int
cap_insert(struct cap_table *t, void *object, uint64_t interface_id,
           enum cap_xfer_mode mode, enum cap_origin origin, capos_capid_t *id)
{
	struct cap_slot *s;
	uint32_t idx;

	if (id == NULL || mode < CAP_XFER_COPY ||
	    mode > CAP_XFER_NON_TRANSFERABLE || origin < CAP_ORIGIN_KERNEL ||
	    origin > CAP_ORIGIN_RESULT_CAP)
		return CAP_E_INVAL;
	idx = free_pop(t);
	if (idx == CAP_NO_SLOT)
		return CAP_E_FULL;
	s = &t->slots[idx];
	s->object = object;
	s->interface_id = interface_id;
	s->xfer_mode = (uint8_t)mode;
	s->origin = (uint8_t)origin;
	s->state = CAP_SLOT_LIVE;
	s->next_free = CAP_NO_SLOT;
	t->used++;
	*id = capos_capid_make(idx, s->generation);
	return CAP_OK;
}

int
cap_lookup_slow(const struct cap_table *t, capos_capid_t id,
                const struct cap_slot **slot)
{
	uint32_t idx;
	int err;

	err = resolve(t, id, &idx);
	if (err != CAP_OK)
		return err;
	if (t->slots[idx].state == CAP_SLOT_RESERVED)
		return CAP_E_RESERVED;
	if (slot != NULL)
		*slot = &t->slots[idx];
	return CAP_OK;
}

int
cap_remove(struct cap_table *t, capos_capid_t id, struct cap_slot *old)
{
	uint32_t idx;
	int err;

	err = resolve(t, id, &idx);
	if (err != CAP_OK)
		return err;
	/* A cap in the middle of a move belongs to the transfer until it
	 * commits or rolls back. */
	if (t->slots[idx].state == CAP_SLOT_RESERVED)
		return CAP_E_RESERVED;
	if (old != NULL)
		*old = t->slots[idx];
	slot_release(t, idx);
	return CAP_OK;
}

int
cap_reserve(struct cap_table *t, capos_capid_t id, const struct cap_slot **slot)
{
	struct cap_slot *s;
	uint32_t idx;
	int err;

	err = resolve(t, id, &idx);
	if (err != CAP_OK)
		return err;
	s = &t->slots[idx];
	if (s->state == CAP_SLOT_RESERVED)
		return CAP_E_RESERVED;
	if (s->xfer_mode == CAP_XFER_NON_TRANSFERABLE)
		return CAP_E_NOT_TRANSFERABLE;
	s->state = CAP_SLOT_RESERVED;
	if (slot != NULL)
		*slot = s;
	return CAP_OK;
}

int
cap_commit(struct cap_table *t, capos_capid_t id, struct cap_slot *old)
{
	uint32_t idx;
	int err;

	err = resolve(t, id, &idx);
	if (err != CAP_OK)
		return err;
	if (t->slots[idx].state != CAP_SLOT_RESERVED)
		return CAP_E_NOT_RESERVED;
	if (old != NULL)
		*old = t->slots[idx];
	slot_release(t, idx);
	return CAP_OK;
}

int
cap_rollback(struct cap_table *t, capos_capid_t id)
{
	uint32_t idx;
	int err;

	err = resolve(t, id, &idx);
	if (err != CAP_OK)
		return err;
	if (t->slots[idx].state != CAP_SLOT_RESERVED)
		return CAP_E_NOT_RESERVED;
	t->slots[idx].state = CAP_SLOT_LIVE;
	return CAP_OK;
}

uint32_t
cap_count(const struct cap_table *t)
{
	return t->used;
}

uint32_t
cap_free_count(const struct cap_table *t)
{
	return t->nslots - t->used - t->retired;
}

int
cap_next(const struct cap_table *t, uint32_t *cursor, capos_capid_t *id,
         const struct cap_slot **slot)
{
	uint32_t i;

	for (i = *cursor; i < t->fresh; i++) {
		const struct cap_slot *s = &t->slots[i];

		if (s->state != CAP_SLOT_LIVE && s->state != CAP_SLOT_RESERVED)
			continue;
		*cursor = i + 1;
		if (id != NULL)
			*id = capos_capid_make(i, s->generation);
		if (slot != NULL)
			*slot = s;
		return CAP_OK;
	}
	*cursor = t->nslots;
	return CAP_E_RANGE;
}

const char *
cap_strerror(int result)
{
	switch (result) {
	case CAP_OK:
		return "CAP_OK";
	case CAP_E_INVAL:
		return "CAP_E_INVAL";
	case CAP_E_FULL:
		return "CAP_E_FULL";
	case CAP_E_FORGED:
		return "CAP_E_FORGED";
	case CAP_E_RANGE:
		return "CAP_E_RANGE";
	case CAP_E_FREE:
		return "CAP_E_FREE";
	case CAP_E_STALE:
		return "CAP_E_STALE";
	case CAP_E_RESERVED:
		return "CAP_E_RESERVED";
	case CAP_E_NOT_RESERVED:
		return "CAP_E_NOT_RESERVED";
	case CAP_E_NOT_TRANSFERABLE:
		return "CAP_E_NOT_TRANSFERABLE";
	default:
		return "CAP_E_UNKNOWN";
	}
}
