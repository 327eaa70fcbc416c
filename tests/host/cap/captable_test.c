/*
 * Host tests of lib/cap: ids, lookups of stale and forged ids, fullness,
 * generation retirement, the move protocol, iteration, and a randomized
 * comparison against a trivial model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <capos/capid.h>

#include "cap/captable.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define IFACE_CONSOLE 0xa1b2c3d4e5f60718ull
#define IFACE_TIMER   0x1122334455667788ull

static struct cap_slot storage[CAP_TABLE_MAX_SLOTS];
static int objects[CAP_TABLE_MAX_SLOTS];

static void
init(struct cap_table *t, uint32_t n)
{
	assert_int_equal(cap_table_init(t, storage, n), CAP_OK);
}

static capos_capid_t
insert(struct cap_table *t, void *obj)
{
	capos_capid_t id = CAPOS_CAPID_INVALID;

	assert_int_equal(cap_insert(t, obj, IFACE_CONSOLE, CAP_XFER_COPY,
	                            CAP_ORIGIN_KERNEL, &id),
	                 CAP_OK);
	return id;
}

static void
test_capid_encoding(void **state)
{
	capos_capid_t id;

	(void)state;
	id = capos_capid_make(0xabc, 0x12345);
	assert_int_equal(id, 0x12345abc);
	assert_int_equal(capos_capid_slot(id), 0xabc);
	assert_int_equal(capos_capid_gen(id), 0x12345);
	assert_true(capos_capid_is_wellformed(id));
	/* Slot 0 with the first generation is not the invalid id. */
	assert_int_not_equal(capos_capid_make(0, CAPOS_CAPID_GEN_MIN),
	                     CAPOS_CAPID_INVALID);
	assert_false(capos_capid_is_wellformed(CAPOS_CAPID_INVALID));
	assert_false(capos_capid_is_wellformed(capos_capid_make(77, 0)));
	/* Out-of-range parts are masked, never spill into the other. */
	id = capos_capid_make(CAPOS_CAPID_MAX_SLOTS + 5, 1);
	assert_int_equal(capos_capid_slot(id), 5);
	assert_int_equal(capos_capid_gen(id), 1);
	id = capos_capid_make(3, CAPOS_CAPID_GEN_MAX + 2);
	assert_int_equal(capos_capid_slot(id), 3);
	assert_int_equal(capos_capid_gen(id), 1);
	assert_int_equal(
	    capos_capid_make(CAPOS_CAPID_MAX_SLOTS - 1, CAPOS_CAPID_GEN_MAX),
	    0xffffffffu);
}

static void
test_init_bounds(void **state)
{
	struct cap_table t;

	(void)state;
	assert_int_equal(cap_table_init(&t, storage, 0), CAP_E_INVAL);
	assert_int_equal(cap_table_init(&t, storage, CAP_TABLE_MAX_SLOTS + 1),
	                 CAP_E_INVAL);
	assert_int_equal(cap_table_init(&t, NULL, 4), CAP_E_INVAL);
	assert_int_equal(cap_table_init(NULL, storage, 4), CAP_E_INVAL);
	init(&t, CAP_TABLE_MAX_SLOTS);
	assert_int_equal(cap_count(&t), 0);
	assert_int_equal(cap_free_count(&t), CAP_TABLE_MAX_SLOTS);
	init(&t, CAP_TABLE_DEFAULT_SLOTS);
	assert_int_equal(cap_free_count(&t), CAP_TABLE_DEFAULT_SLOTS);
}

static void
test_insert_lookup(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	capos_capid_t a, b;

	(void)state;
	init(&t, 8);
	a = insert(&t, &objects[0]);
	assert_int_equal(cap_insert(&t, &objects[1], IFACE_TIMER, CAP_XFER_MOVE,
	                            CAP_ORIGIN_SPAWN_GRANT, &b),
	                 CAP_OK);
	assert_int_not_equal(a, b);
	assert_true(capos_capid_is_wellformed(a));
	assert_int_equal(capos_capid_gen(a), CAPOS_CAPID_GEN_MIN);
	assert_int_equal(cap_count(&t), 2);
	assert_int_equal(cap_free_count(&t), 6);

	assert_int_equal(cap_lookup(&t, a, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[0]);
	assert_int_equal(s->interface_id, IFACE_CONSOLE);
	assert_int_equal(s->xfer_mode, CAP_XFER_COPY);
	assert_int_equal(s->origin, CAP_ORIGIN_KERNEL);
	assert_int_equal(s->state, CAP_SLOT_LIVE);

	assert_int_equal(cap_lookup(&t, b, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[1]);
	assert_int_equal(s->interface_id, IFACE_TIMER);
	assert_int_equal(s->xfer_mode, CAP_XFER_MOVE);
	assert_int_equal(s->origin, CAP_ORIGIN_SPAWN_GRANT);
}

static void
test_insert_bad_arguments(void **state)
{
	struct cap_table t;
	capos_capid_t id;

	(void)state;
	init(&t, 2);
	assert_int_equal(cap_insert(&t, NULL, 1, 0, CAP_ORIGIN_KERNEL, &id),
	                 CAP_E_INVAL);
	assert_int_equal(cap_insert(&t, NULL, 1, 4, CAP_ORIGIN_KERNEL, &id),
	                 CAP_E_INVAL);
	assert_int_equal(cap_insert(&t, NULL, 1, CAP_XFER_COPY, 0, &id),
	                 CAP_E_INVAL);
	assert_int_equal(cap_insert(&t, NULL, 1, CAP_XFER_COPY, 5, &id),
	                 CAP_E_INVAL);
	assert_int_equal(
	    cap_insert(&t, NULL, 1, CAP_XFER_COPY, CAP_ORIGIN_KERNEL, NULL),
	    CAP_E_INVAL);
	/* Nothing was consumed by the refusals. */
	assert_int_equal(cap_free_count(&t), 2);
}

static void
test_forged_and_out_of_range(void **state)
{
	struct cap_table t;
	const struct cap_slot *s = NULL;
	capos_capid_t a;

	(void)state;
	init(&t, 8);
	a = insert(&t, &objects[0]);
	assert_int_equal(cap_lookup(&t, CAPOS_CAPID_INVALID, &s), CAP_E_FORGED);
	/* The right slot with generation 0. */
	assert_int_equal(
	    cap_lookup(&t, capos_capid_make(capos_capid_slot(a), 0), &s),
	    CAP_E_FORGED);
	assert_int_equal(cap_lookup(&t, capos_capid_make(8, 1), &s),
	                 CAP_E_RANGE);
	assert_int_equal(cap_lookup(&t, capos_capid_make(4095, 1), &s),
	                 CAP_E_RANGE);
	/* A slot that was never handed out, with the generation it would
	 * get. */
	assert_int_equal(cap_lookup(&t, capos_capid_make(5, 1), &s),
	                 CAP_E_FREE);
	/* The right slot, a generation never issued for it. */
	assert_int_equal(cap_lookup(&t, a + (1u << CAPOS_CAPID_SLOT_BITS), &s),
	                 CAP_E_STALE);
	assert_null(s);
	/* The same refusals from every other entry point. */
	assert_int_equal(cap_remove(&t, CAPOS_CAPID_INVALID, NULL),
	                 CAP_E_FORGED);
	assert_int_equal(cap_reserve(&t, capos_capid_make(9, 1), NULL),
	                 CAP_E_RANGE);
	assert_int_equal(cap_commit(&t, capos_capid_make(5, 1), NULL),
	                 CAP_E_FREE);
	assert_int_equal(cap_rollback(&t, a + (1u << CAPOS_CAPID_SLOT_BITS)),
	                 CAP_E_STALE);
	assert_int_equal(cap_count(&t), 1);
}

static void
test_remove_then_stale(void **state)
{
	struct cap_table t;
	struct cap_slot old;
	const struct cap_slot *s;
	capos_capid_t a, b, c;

	(void)state;
	init(&t, 2);
	a = insert(&t, &objects[0]);
	assert_int_equal(cap_remove(&t, a, &old), CAP_OK);
	assert_ptr_equal(old.object, &objects[0]);
	assert_int_equal(old.interface_id, IFACE_CONSOLE);
	assert_int_equal(cap_count(&t), 0);
	/* Freed: the id no longer works, and cannot be removed twice. */
	assert_int_equal(cap_lookup(&t, a, &s), CAP_E_FREE);
	assert_int_equal(cap_remove(&t, a, NULL), CAP_E_FREE);

	b = insert(&t, &objects[1]);
	c = insert(&t, &objects[2]);
	/* c reuses a's slot under a new generation; a stays dead. */
	assert_int_equal(capos_capid_slot(c), capos_capid_slot(a));
	assert_int_not_equal(c, a);
	assert_int_equal(cap_lookup(&t, a, &s), CAP_E_STALE);
	assert_int_equal(cap_remove(&t, a, NULL), CAP_E_STALE);
	assert_int_equal(cap_lookup(&t, c, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[2]);
	assert_int_equal(cap_lookup(&t, b, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[1]);
}

static void
test_full(void **state)
{
	struct cap_table t;
	capos_capid_t ids[16], extra;
	uint32_t i;

	(void)state;
	init(&t, 16);
	for (i = 0; i < 16; i++)
		ids[i] = insert(&t, &objects[i]);
	assert_int_equal(cap_free_count(&t), 0);
	assert_int_equal(
	    cap_insert(&t, NULL, 1, CAP_XFER_COPY, CAP_ORIGIN_KERNEL, &extra),
	    CAP_E_FULL);
	assert_int_equal(cap_count(&t), 16);
	assert_int_equal(cap_remove(&t, ids[7], NULL), CAP_OK);
	extra = insert(&t, &objects[99]);
	assert_int_equal(capos_capid_slot(extra), capos_capid_slot(ids[7]));
	assert_int_equal(
	    cap_insert(&t, NULL, 1, CAP_XFER_COPY, CAP_ORIGIN_KERNEL, &extra),
	    CAP_E_FULL);
}

/* Freed slots are reused oldest first, so a slot's generations are spent
 * as slowly as possible. */
static void
test_fifo_reuse(void **state)
{
	struct cap_table t;
	capos_capid_t ids[4], x, y;
	uint32_t i;

	(void)state;
	init(&t, 4);
	for (i = 0; i < 4; i++)
		ids[i] = insert(&t, &objects[i]);
	assert_int_equal(cap_remove(&t, ids[3], NULL), CAP_OK);
	assert_int_equal(cap_remove(&t, ids[1], NULL), CAP_OK);
	x = insert(&t, &objects[10]);
	y = insert(&t, &objects[11]);
	assert_int_equal(capos_capid_slot(x), 3);
	assert_int_equal(capos_capid_slot(y), 1);
	assert_int_equal(capos_capid_gen(x), 2);
	assert_int_equal(capos_capid_gen(y), 2);
}

/* A slot whose generations run out is retired: the id it issued last can
 * never come back, and the slot is never handed out again. */
static void
test_generation_retirement(void **state)
{
	struct cap_table t;
	capos_capid_t id, first = 0, last = 0, other;
	const struct cap_slot *s;
	uint32_t gen;

	(void)state;
	init(&t, 2);
	other = insert(&t, &objects[1]); /* slot 0, stays live */
	for (gen = CAPOS_CAPID_GEN_MIN; gen <= CAPOS_CAPID_GEN_MAX; gen++) {
		id = insert(&t, &objects[0]);
		/* Every issue is a new generation of slot 1. */
		if (capos_capid_slot(id) != 1 || capos_capid_gen(id) != gen)
			fail_msg("issue %u: got slot %u gen %u", gen,
			         capos_capid_slot(id), capos_capid_gen(id));
		if (gen == CAPOS_CAPID_GEN_MIN)
			first = id;
		last = id;
		assert_int_equal(cap_remove(&t, id, NULL), CAP_OK);
	}
	assert_int_equal(capos_capid_gen(last), CAPOS_CAPID_GEN_MAX);
	assert_int_equal(storage[1].state, CAP_SLOT_RETIRED);
	assert_int_equal(cap_free_count(&t), 0);
	assert_int_equal(cap_count(&t), 1);
	assert_int_equal(
	    cap_insert(&t, NULL, 1, CAP_XFER_COPY, CAP_ORIGIN_KERNEL, &id),
	    CAP_E_FULL);
	assert_int_equal(cap_lookup(&t, first, &s), CAP_E_FREE);
	assert_int_equal(cap_lookup(&t, last, &s), CAP_E_FREE);
	assert_int_equal(cap_remove(&t, last, NULL), CAP_E_FREE);
	/* The neighbour is untouched and its slot still cycles. */
	assert_int_equal(cap_lookup(&t, other, &s), CAP_OK);
	assert_int_equal(cap_remove(&t, other, NULL), CAP_OK);
	id = insert(&t, &objects[2]);
	assert_int_equal(capos_capid_slot(id), 0);
	assert_int_equal(capos_capid_gen(id), 2);
}

/*
 * A new table does not read its storage: slots never handed out are
 * free whatever the storage holds (here, what looks like a live cap of
 * every id), come out in index order at the first generation, and
 * before any freed slot.
 */
static void
test_fresh_slots_ignore_storage(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	capos_capid_t a, b, c, id;
	uint32_t cur = 0, i;

	(void)state;
	for (i = 0; i < 4; i++)
		storage[i] = (struct cap_slot){
		    .object = &objects[3],
		    .generation = CAPOS_CAPID_GEN_MIN,
		    .state = CAP_SLOT_LIVE,
		    .xfer_mode = CAP_XFER_COPY,
		};
	init(&t, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    cap_lookup(&t, capos_capid_make(i, CAPOS_CAPID_GEN_MIN),
		               &s),
		    CAP_E_FREE);
	assert_int_equal(cap_next(&t, &cur, &id, &s), CAP_E_RANGE);
	assert_int_equal(cap_count(&t), 0);
	assert_int_equal(cap_free_count(&t), 4);
	a = insert(&t, &objects[0]);
	b = insert(&t, &objects[1]);
	assert_int_equal(a, capos_capid_make(0, CAPOS_CAPID_GEN_MIN));
	assert_int_equal(b, capos_capid_make(1, CAPOS_CAPID_GEN_MIN));
	assert_int_equal(cap_lookup(&t, a, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[0]);
	/* Slot 0 freed: slots 2 and 3, never used, come first. */
	assert_int_equal(cap_remove(&t, a, NULL), CAP_OK);
	c = insert(&t, &objects[2]);
	assert_int_equal(c, capos_capid_make(2, CAPOS_CAPID_GEN_MIN));
	id = insert(&t, &objects[2]);
	assert_int_equal(id, capos_capid_make(3, CAPOS_CAPID_GEN_MIN));
	id = insert(&t, &objects[2]);
	assert_int_equal(id, capos_capid_make(0, CAPOS_CAPID_GEN_MIN + 1));
	cur = 0;
	for (i = 0; cap_next(&t, &cur, &id, &s) == CAP_OK; i++)
		;
	assert_int_equal(i, 4);
}

/* Retirement through the move path too: commit frees like remove. */
static void
test_retirement_by_commit(void **state)
{
	struct cap_table t;
	capos_capid_t id;

	(void)state;
	init(&t, 1);
	/* Handed out once, so its storage is the table's: then the cycling
	 * is skipped. */
	id = insert(&t, &objects[0]);
	assert_int_equal(cap_remove(&t, id, NULL), CAP_OK);
	storage[0].generation = CAPOS_CAPID_GEN_MAX;
	id = insert(&t, &objects[0]);
	assert_int_equal(capos_capid_gen(id), CAPOS_CAPID_GEN_MAX);
	assert_int_equal(cap_reserve(&t, id, NULL), CAP_OK);
	assert_int_equal(cap_commit(&t, id, NULL), CAP_OK);
	assert_int_equal(storage[0].state, CAP_SLOT_RETIRED);
	assert_int_equal(
	    cap_insert(&t, NULL, 1, CAP_XFER_COPY, CAP_ORIGIN_KERNEL, &id),
	    CAP_E_FULL);
}

static void
test_move_commit(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	struct cap_slot old;
	capos_capid_t a;

	(void)state;
	init(&t, 4);
	assert_int_equal(cap_insert(&t, &objects[0], IFACE_TIMER, CAP_XFER_MOVE,
	                            CAP_ORIGIN_IPC_TRANSFER, &a),
	                 CAP_OK);
	assert_int_equal(cap_reserve(&t, a, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[0]);
	assert_int_equal(s->state, CAP_SLOT_RESERVED);
	/* In flight: unusable, unreleasable, not reservable twice, but
	 * still counted (it is not gone yet). */
	assert_int_equal(cap_lookup(&t, a, &s), CAP_E_RESERVED);
	assert_int_equal(cap_remove(&t, a, NULL), CAP_E_RESERVED);
	assert_int_equal(cap_reserve(&t, a, &s), CAP_E_RESERVED);
	assert_int_equal(cap_count(&t), 1);
	assert_int_equal(cap_free_count(&t), 3);

	assert_int_equal(cap_commit(&t, a, &old), CAP_OK);
	assert_ptr_equal(old.object, &objects[0]);
	assert_int_equal(old.interface_id, IFACE_TIMER);
	assert_int_equal(cap_count(&t), 0);
	assert_int_equal(cap_lookup(&t, a, &s), CAP_E_FREE);
	/* A replayed commit or rollback finds nothing to act on. */
	assert_int_equal(cap_commit(&t, a, NULL), CAP_E_FREE);
	assert_int_equal(cap_rollback(&t, a), CAP_E_FREE);
}

static void
test_move_rollback(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	capos_capid_t a;

	(void)state;
	init(&t, 4);
	a = insert(&t, &objects[3]);
	assert_int_equal(cap_reserve(&t, a, &s), CAP_OK);
	assert_int_equal(cap_rollback(&t, a), CAP_OK);
	/* Back exactly as it was, under the same id. */
	assert_int_equal(cap_lookup(&t, a, &s), CAP_OK);
	assert_ptr_equal(s->object, &objects[3]);
	assert_int_equal(s->interface_id, IFACE_CONSOLE);
	assert_int_equal(s->xfer_mode, CAP_XFER_COPY);
	assert_int_equal(s->origin, CAP_ORIGIN_KERNEL);
	assert_int_equal(cap_count(&t), 1);
	/* Commit and rollback need a reservation. */
	assert_int_equal(cap_commit(&t, a, NULL), CAP_E_NOT_RESERVED);
	assert_int_equal(cap_rollback(&t, a), CAP_E_NOT_RESERVED);
	assert_int_equal(cap_lookup(&t, a, &s), CAP_OK);
}

static void
test_move_non_transferable(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	capos_capid_t a;

	(void)state;
	init(&t, 4);
	assert_int_equal(cap_insert(&t, &objects[0], IFACE_TIMER,
	                            CAP_XFER_NON_TRANSFERABLE,
	                            CAP_ORIGIN_RESULT_CAP, &a),
	                 CAP_OK);
	assert_int_equal(cap_reserve(&t, a, &s), CAP_E_NOT_TRANSFERABLE);
	assert_int_equal(cap_lookup(&t, a, &s), CAP_OK);
	assert_int_equal(s->state, CAP_SLOT_LIVE);
}

static void
test_iterate(void **state)
{
	struct cap_table t;
	const struct cap_slot *s;
	capos_capid_t ids[6], id;
	uint32_t cur = 0, i, seen = 0;

	(void)state;
	init(&t, 8);
	for (i = 0; i < 6; i++)
		ids[i] = insert(&t, &objects[i]);
	assert_int_equal(cap_remove(&t, ids[1], NULL), CAP_OK);
	assert_int_equal(cap_remove(&t, ids[4], NULL), CAP_OK);
	assert_int_equal(cap_reserve(&t, ids[2], NULL), CAP_OK);

	/* Expect ids 0, 2 (reserved), 3, 5 in slot order. */
	static const uint32_t want[] = {0, 2, 3, 5};
	while (cap_next(&t, &cur, &id, &s) == CAP_OK) {
		assert_true(seen < ARRAY_SIZE(want));
		assert_int_equal(id, ids[want[seen]]);
		assert_ptr_equal(s->object, &objects[want[seen]]);
		seen++;
	}
	assert_int_equal(seen, ARRAY_SIZE(want));
	assert_int_equal(seen, cap_count(&t));
	assert_int_equal(cap_next(&t, &cur, &id, &s), CAP_E_RANGE);
}

static void
test_strerror_distinct(void **state)
{
	int a, b;

	(void)state;
	for (a = CAP_OK; a >= CAP_E_NOT_TRANSFERABLE; a--) {
		assert_string_not_equal(cap_strerror(a), "CAP_E_UNKNOWN");
		for (b = a - 1; b >= CAP_E_NOT_TRANSFERABLE; b--)
			assert_string_not_equal(cap_strerror(a),
			                        cap_strerror(b));
	}
	assert_string_equal(cap_strerror(CAP_E_NOT_TRANSFERABLE - 1),
	                    "CAP_E_UNKNOWN");
}

/*
 * Random inserts, removes, reserves, commits and rollbacks against a model
 * that only remembers which ids are live, reserved or dead.  Every id ever
 * issued is checked after every step: a dead id must never resolve again.
 */
#define MODEL_SLOTS 16
#define MODEL_STEPS 50000
#define MODEL_IDS   512

enum { M_LIVE, M_RESERVED, M_DEAD };

static void
test_model(void **state)
{
	static capos_capid_t ids[MODEL_IDS];
	static uint8_t st[MODEL_IDS];
	static void *obj[MODEL_IDS];
	struct cap_table t;
	const struct cap_slot *s;
	uint64_t rng = 0x2545f4914f6cdd1dull;
	uint32_t nids = 0, step, i, live;

	(void)state;
	init(&t, MODEL_SLOTS);
	for (step = 0; step < MODEL_STEPS; step++) {
		uint32_t op, k;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		op = (uint32_t)(rng % 5);
		k = nids ? (uint32_t)((rng >> 8) % nids) : 0;

		if (op == 0 || nids == 0) {
			capos_capid_t id;
			int r =
			    cap_insert(&t, &objects[step % 64], 7,
			               CAP_XFER_MOVE, CAP_ORIGIN_KERNEL, &id);

			live = 0;
			for (i = 0; i < nids; i++)
				live += st[i] != M_DEAD;
			if (live == MODEL_SLOTS) {
				assert_int_equal(r, CAP_E_FULL);
				continue;
			}
			assert_int_equal(r, CAP_OK);
			/* Forget the dead when the log is full; the check
			 * below still covers every id it holds. */
			if (nids == MODEL_IDS) {
				uint32_t j = 0;

				for (i = 0; i < nids; i++)
					if (st[i] != M_DEAD) {
						ids[j] = ids[i];
						st[j] = st[i];
						obj[j] = obj[i];
						j++;
					}
				nids = j;
			}
			ids[nids] = id;
			st[nids] = M_LIVE;
			obj[nids] = &objects[step % 64];
			nids++;
		} else if (op == 1) {
			int want = st[k] == M_LIVE       ? CAP_OK
			           : st[k] == M_RESERVED ? CAP_E_RESERVED
			                                 : -100;
			int r = cap_remove(&t, ids[k], NULL);

			if (want == -100)
				assert_true(r == CAP_E_FREE ||
				            r == CAP_E_STALE);
			else
				assert_int_equal(r, want);
			if (r == CAP_OK)
				st[k] = M_DEAD;
		} else if (op == 2) {
			int r = cap_reserve(&t, ids[k], NULL);

			assert_int_equal(r == CAP_OK, st[k] == M_LIVE);
			if (r == CAP_OK)
				st[k] = M_RESERVED;
		} else if (op == 3) {
			int r = cap_commit(&t, ids[k], NULL);

			assert_int_equal(r == CAP_OK, st[k] == M_RESERVED);
			if (r == CAP_OK)
				st[k] = M_DEAD;
		} else {
			int r = cap_rollback(&t, ids[k]);

			assert_int_equal(r == CAP_OK, st[k] == M_RESERVED);
			if (r == CAP_OK)
				st[k] = M_LIVE;
		}

		live = 0;
		for (i = 0; i < nids; i++) {
			int r = cap_lookup(&t, ids[i], &s);

			if (st[i] == M_LIVE) {
				assert_int_equal(r, CAP_OK);
				assert_ptr_equal(s->object, obj[i]);
				live++;
			} else if (st[i] == M_RESERVED) {
				assert_int_equal(r, CAP_E_RESERVED);
				live++;
			} else {
				assert_true(r == CAP_E_FREE ||
				            r == CAP_E_STALE);
			}
		}
		assert_int_equal(cap_count(&t), live);
		assert_int_equal(cap_free_count(&t), MODEL_SLOTS - live);
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_capid_encoding),
	    cmocka_unit_test(test_init_bounds),
	    cmocka_unit_test(test_insert_lookup),
	    cmocka_unit_test(test_insert_bad_arguments),
	    cmocka_unit_test(test_forged_and_out_of_range),
	    cmocka_unit_test(test_remove_then_stale),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_fifo_reuse),
	    cmocka_unit_test(test_generation_retirement),
	    cmocka_unit_test(test_fresh_slots_ignore_storage),
	    cmocka_unit_test(test_retirement_by_commit),
	    cmocka_unit_test(test_move_commit),
	    cmocka_unit_test(test_move_rollback),
	    cmocka_unit_test(test_move_non_transferable),
	    cmocka_unit_test(test_iterate),
	    cmocka_unit_test(test_strerror_distinct),
	    cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests_name("captable", tests, NULL, NULL);
}
