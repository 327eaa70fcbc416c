/*
 * soak: runs as init (tests/boot/manifests/soak.capnp) and repeats what
 * could leak: spawn storms past the limits, spawn+exit cycles and IPC
 * round trips.  The kernel's test supervisor prints every ledger before
 * init starts and after everything has exited, and fails the run unless
 * they are equal.  soak_long.c is the same program with `make soak`'s
 * counts; this one is the short version `make test` runs.  KTEST lines;
 * exits with the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "capnp/frame.h"

#ifndef SOAK_SPAWNS
#define SOAK_SPAWNS 200
#endif
#ifndef SOAK_CALLS
#define SOAK_CALLS 20000
#endif
#define SOAK_STORMS 3
#define STORM_MAX   200 /* more than the cap table can hold */

static capos_capid_t spawner, console;

/* Spawns one mute server (it holds its endpoint and never serves). */
static int
spawn_mute(const struct capos_spawn_limits *lim, capos_capid_t *handle,
           capos_capid_t *client)
{
	struct capos_spawn_grant g = {"console", console};
	struct capos_spawn_endpoint ep = {"mute", capos_Echo_TYPE_ID};

	return capos_spawn(spawner, "storm", "ipc_echo", &g, 1, &ep, 1, lim,
	                   handle, client);
}

/*
 * Spawns until the kernel refuses (table, frames or the budget's share),
 * then kills and collects them all.  Returns how many started, or -1 when
 * a refusal was not a clean, typed one.
 */
static int
storm(const struct capos_spawn_limits *lim)
{
	static capos_capid_t handles[STORM_MAX], clients[STORM_MAX];
	int n, i, r = 0;
	int32_t code;

	for (n = 0; n < STORM_MAX; n++) {
		r = spawn_mute(lim, &handles[n], &clients[n]);
		if (r)
			break;
	}
	for (i = 0; i < n; i++) {
		capos_handle_kill(handles[i]);
		capos_handle_wait(handles[i], &code);
		capos_release_sync(handles[i]);
		capos_release_sync(clients[i]);
	}
	if (r != CAPOS_E_QUOTA &&
	    !(r == CAPOS_E_APP_EXCEPTION &&
	      capos_last_exception()->type == capos_ExceptionType_overloaded))
		return -1;
	return n;
}

static void
test_storms(void)
{
	struct capos_spawn_limits small = {.frames = 64, .cap_slots = 4};
	int round, n, first_small = -1, first_dflt = -1;
	bool same = true, typed = true;

	for (round = 0; round < SOAK_STORMS; round++) {
		n = storm(&small);
		typed &= n > 0;
		if (first_small < 0)
			first_small = n;
		same &= n == first_small;
		n = storm(NULL);
		typed &= n > 0;
		if (first_dflt < 0)
			first_dflt = n;
		same &= n == first_dflt;
	}
	ktest_check(typed, "storm.refusals_typed",
	            "a spawn past the limits failed without QUOTA/overloaded");
	ktest_check(same, "storm.rounds_alike",
	            "rounds started different numbers (%d, %d first)",
	            first_small, first_dflt);
	printf("soak: %d storms; %d small and %d default children each\n",
	       SOAK_STORMS, first_small, first_dflt);
}

static void
test_spawns(void)
{
	int i, bad = 0;

	for (i = 0; i < SOAK_SPAWNS; i++) {
		capos_capid_t h;
		int32_t code = -1;

		if (capos_spawn(spawner, "cycle", "nop", NULL, 0, NULL, 0, NULL,
		                &h, NULL) ||
		    capos_handle_wait(h, &code) || code != 0 ||
		    capos_release_sync(h))
			bad++;
	}
	ktest_check(bad == 0, "spawn_exit_cycles", "%d of %d failed", bad,
	            SOAK_SPAWNS);
}

static void
test_calls(void)
{
	struct capos_spawn_grant g = {"console", console};
	struct capos_spawn_endpoint ep = {"svc", capos_Echo_TYPE_ID};
	uint8_t res[64] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capos_reply rep;
	capos_capid_t h, client;
	int32_t code;
	long i, bad = 0;

	if (capos_spawn(spawner, "echo", "ipc_echo", &g, 1, &ep, 1, NULL, &h,
	                &client)) {
		ktest_check(false, "ipc_round_trips", "spawn failed");
		return;
	}
	/* An empty echo: the smallest round trip through a real server. */
	d = (struct capos_call_desc){
	    .cap = client,
	    .method = capos_Echo_METHOD_echo,
	    .interface_id = capos_Echo_TYPE_ID,
	    .result = res,
	    .result_cap = sizeof(res),
	};
	for (i = 0; i < SOAK_CALLS; i++)
		if (capos_call(&d, &rep))
			bad++;
	ktest_check(bad == 0, "ipc_round_trips", "%ld of %d failed", bad,
	            SOAK_CALLS);
	capos_handle_kill(h);
	capos_handle_wait(h, &code);
	capos_release_sync(h);
	capos_release_sync(client);
}

/*
 * The heaviest batch a ring takes in one cap_enter: sixteen Console
 * writes of the maximum size.  The kernel times its stretches with
 * interrupts off (docs/abi.md); make soak checks the longest.
 */
static void
test_full_batch(void)
{
	static uint8_t arena[8192] __attribute__((aligned(8)));
	static uint8_t framed[8192] __attribute__((aligned(8)));
	static char text[4096];
	struct capnp_builder b;
	uint64_t tags[CAPOS_RING_SQ_ENTRIES];
	size_t len = 0;
	int i, ok = 0;

	for (i = 0; i < (int)sizeof(text); i++)
		text[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
	capnp_builder_init(&b, arena, sizeof(arena), 0);
	capos_Console_write_Params_set_data(
	    capos_Console_write_Params_build_root(&b), text, sizeof(text));
	if (capnp_builder_error(&b) ||
	    capnp_frame_write(&b, framed, sizeof(framed), &len)) {
		ktest_check(false, "full_batch", "params do not build");
		return;
	}
	for (i = 0; i < (int)CAPOS_RING_SQ_ENTRIES; i++) {
		struct capos_sqe sqe = {
		    .opcode = CAPOS_OP_CALL,
		    .cap = console,
		    .method = capos_Console_METHOD_write,
		    .interface_id = capos_Console_TYPE_ID,
		    .params_addr = (uint64_t)(uintptr_t)framed,
		    .params_len = (uint32_t)len,
		    .user_data = tags[i] = capos_next_tag(),
		};

		capos_submit(&sqe);
	}
	for (i = 0; i < (int)CAPOS_RING_SQ_ENTRIES; i++) {
		struct capos_cqe cqe;

		ok += capos_wait(tags[i], CAPOS_TIMEOUT_INFINITE, &cqe) == 0 &&
		      cqe.result == 0;
	}
	ktest_check(ok == (int)CAPOS_RING_SQ_ENTRIES,
	            "full_batch_of_max_writes", "%d of %d", ok,
	            CAPOS_RING_SQ_ENTRIES);
}

int
main(void)
{
	ktest_prefix("soak.");
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console))
		return 99;
	test_storms();
	test_full_batch();
	test_spawns();
	test_calls();
	printf("soak: %d spawn+exit cycles, %d IPC round trips\n", SOAK_SPAWNS,
	       SOAK_CALLS);
	return ktest_failures();
}
