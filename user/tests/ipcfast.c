/*
 * ipcfast: the kernel's IPC fast path (kernel/ipc/fastpath.c), run as init
 * of tests/boot/manifests/ipcfast.capnp.  Spawns ipc_echo serving raw on
 * an endpoint named "fast" (each RETURN submitted with the next RECV, so
 * a RECV waits whenever we call) and checks that every call gets the
 * right answer, on the fast path and off it for each reason the fast
 * path has to leave a call to the general one: plain round trips (also
 * with buffers across a page boundary), a transfer descriptor, params
 * over IPC_FAST_PARAMS_MAX, a call while the server is not waiting, a bad
 * result buffer and bad params, an answer too big for the caller's result
 * buffer, buffer translations it kept made stale by a mapping change on
 * either side; and that a call the fast path delivered still completes
 * once when its caller gives up or its server exits.  Which path each
 * call took is the kernel's to count: the boot suite (tests/boot/run.sh,
 * case ipcfast) checks the counters it prints at the end of this boot,
 * where these are the only calls made on an endpoint.  Prints KTEST lines; exits with the
 * number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "test.capnp.h"

#define MS 1000000ull
/* Over the kernel's IPC_FAST_PARAMS_MAX (256). */
#define BIG 1024u
/* Mapped nowhere: in the ring area, past our ring (hostile_abi uses the
 * same address). */
#define UNMAPPED (CAPOS_USER_RING_ADDR + 0x10000)

static capos_capid_t spawner, console, client, handle;

/* Two pairs of pages, so a buffer can straddle the boundary between
 * them. */
static uint8_t pages[2][2][4096] __attribute__((aligned(4096)));
static uint8_t params[BIG] __attribute__((aligned(8)));
static uint8_t result[BIG] __attribute__((aligned(8)));

static void
fill(uint8_t *p, uint32_t len, unsigned seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

/* Submits a CALL of params [p, p + len) answered into [r, r + rlen). */
static uint64_t
submit(uint64_t p, uint32_t len, uint64_t r, uint32_t rlen,
       const struct capos_xfer *x, uint32_t nx)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = client,
	    .method = capos_Echo_METHOD_echo,
	    .interface_id = capos_Echo_TYPE_ID,
	    .user_data = capos_next_tag(),
	    .params_addr = p,
	    .params_len = len,
	    .result_addr = r,
	    .result_len = rlen,
	    .xfer_addr = nx ? (uint64_t)(uintptr_t)x : 0,
	    .xfer_count = nx,
	};

	return capos_submit(&sqe) ? 0 : sqe.user_data;
}

static int32_t
finish(uint64_t tag)
{
	struct capos_cqe c;

	if (!tag || capos_wait(tag, 2000 * MS, &c))
		return 12345;
	return c.result;
}

/* One echo of len bytes from p into r: the result is len and r holds
 * what p held. */
static bool
echo_ok(uint8_t *p, uint32_t len, uint8_t *r, const struct capos_xfer *x,
        uint32_t nx, int32_t *res)
{
	memset(r, 0xee, len);
	*res = finish(submit((uint64_t)(uintptr_t)p, len,
	                     (uint64_t)(uintptr_t)r, len, x, nx));
	return *res == (int32_t)len && memcmp(p, r, len) == 0;
}

static void
test_plain(void)
{
	bool ok = true;
	int32_t r = 0;
	unsigned i;

	/* The first call may come before the server's first RECV. */
	fill(params, 64, 0);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r), "warm_up",
	            "result %d", r);
	for (i = 1; i <= 8 && ok; i++) {
		fill(params, 64, i);
		ok = echo_ok(params, 64, result, NULL, 0, &r);
	}
	ktest_check(ok, "plain.round_trips", "call %u: result %d", i - 1, r);
	fill(params, 8, 9);
	ktest_check(echo_ok(params, 8, result, NULL, 0, &r), "plain.8_bytes",
	            "result %d", r);
	/* Params and result each across the boundary between two pages. */
	fill(&pages[0][0][4096 - 20], 64, 10);
	ktest_check(echo_ok(&pages[0][0][4096 - 20], 64,
	                    &pages[1][0][4096 - 44], NULL, 0, &r),
	            "plain.across_pages", "result %d", r);
}

static void
test_fallbacks(void)
{
	struct capos_xfer x = {.cap = console, .mode = CAPOS_XFER_COPY};
	uint64_t t1, t2;
	int32_t r = 0, r2;

	fill(params, 64, 20);
	ktest_check(echo_ok(params, 64, result, &x, 1, &r), "general.transfer",
	            "result %d", r);
	ktest_check(
	    capos_console_write_line(console, "ipcfast: console kept") == 0,
	    "general.transfer_copy_kept", "console write failed");
	fill(params, BIG, 21);
	ktest_check(echo_ok(params, BIG, result, NULL, 0, &r),
	            "general.params_too_big", "result %d", r);

	/* Two calls in one pass: the first takes the waiting RECV, the
	 * second finds none and waits in the queue. */
	fill(params, 64, 22);
	fill(params + 512, 64, 23);
	memset(result, 0xee, sizeof(result));
	t1 = submit((uint64_t)(uintptr_t)params, 64,
	            (uint64_t)(uintptr_t)result, 64, NULL, 0);
	t2 = submit((uint64_t)(uintptr_t)(params + 512), 64,
	            (uint64_t)(uintptr_t)(result + 512), 64, NULL, 0);
	r = finish(t1);
	r2 = finish(t2);
	ktest_check(r == 64 && r2 == 64 && memcmp(params, result, 64) == 0 &&
	                memcmp(params + 512, result + 512, 64) == 0,
	            "general.server_not_waiting", "results %d %d", r, r2);

	/* Refused before delivery, by the general path's checks. */
	r = finish(
	    submit((uint64_t)(uintptr_t)params, 64, UNMAPPED, 64, NULL, 0));
	ktest_check_code(r, CAPOS_E_BAD_BUFFER, "general.bad_result_buffer");
	r = finish(
	    submit(UNMAPPED, 64, (uint64_t)(uintptr_t)result, 64, NULL, 0));
	ktest_check_code(r, CAPOS_E_BAD_BUFFER, "general.bad_params");
	/* The answer does not fit the caller's result buffer: the RETURN
	 * leaves it to the general path, which answers TRUNCATED with the
	 * size needed, and the buffer past what it holds is untouched. */
	{
		struct capos_cqe c = {0};
		uint64_t tag;

		fill(params, 64, 25);
		memset(result, 0xee, 64);
		tag = submit((uint64_t)(uintptr_t)params, 64,
		             (uint64_t)(uintptr_t)result, 16, NULL, 0);
		if (!tag || capos_wait(tag, 2000 * MS, &c))
			c.result = 12345;
		ktest_check(c.result == CAPOS_E_TRUNCATED && c.aux0 == 64 &&
		                result[16] == 0xee,
		            "general.result_buffer_too_small",
		            "result %d, needed %lu", c.result,
		            (unsigned long)c.aux0);
	}
	/* The server's RECV still waits: the next call is answered. */
	fill(params, 64, 24);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "plain.after_bad_buffers", "result %d", r);
}

/* A call of IpcEcho's with no params, answered into result. */
static uint64_t
submit_ipc_echo(uint16_t method)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = client,
	    .method = method,
	    .interface_id = test_IpcEcho_TYPE_ID,
	    .user_data = capos_next_tag(),
	    .result_addr = (uint64_t)(uintptr_t)result,
	    .result_len = 64,
	};

	return capos_submit(&sqe) ? 0 : sqe.user_data;
}

/* Demand-zero pages of ours, each mapped by its first touch. */
static volatile uint8_t fresh[2][4096] __attribute__((aligned(4096)));

/*
 * The fast path keeps the translations of the buffers it used (the
 * server's RECV buffer, our params and result buffers, the server's
 * answer) and uses them again while neither address space changed a
 * mapping: after a change on either side each is looked up again
 * (counted as stale) and every call still gets its answer.
 */
static void
test_stale(void)
{
	int32_t r = 0;

	fill(params, 64, 40);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r), "stale.kept",
	            "result %d", r);
	fill(params, 64, 41);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "stale.kept_used_again", "result %d", r);
	fresh[0][0] = 1; /* our mapping changes */
	fill(params, 64, 42);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "stale.caller_mapping_changed", "result %d", r);
	/* The server maps a page before it answers: its RECV buffer's
	 * translation is stale for the next call. */
	r = finish(submit_ipc_echo(test_IpcEcho_METHOD_touch));
	ktest_check(r == 0, "stale.server_maps_a_page", "result %d", r);
	fill(params, 64, 43);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "stale.server_mapping_changed", "result %d", r);
	/* And both sides at once. */
	fresh[1][0] = 1;
	r = finish(submit_ipc_echo(test_IpcEcho_METHOD_touch));
	fill(params, 64, 44);
	ktest_check(r == 0 && echo_ok(params, 64, result, NULL, 0, &r),
	            "stale.both_mappings_changed", "result %d", r);
}

/*
 * Calls the fast path delivered, ended without an answer: the caller
 * releases the facet it called through (CANCELLED), and the server exits
 * (DISCONNECTED).  Each still completes exactly once (the supervisor's
 * every_sqe_completed).  Uses up the server.
 */
static void
test_delivered_calls_end(void)
{
	static const struct capos_spawn_endpoint ep = {"fast",
	                                               capos_Echo_TYPE_ID};
	uint64_t tag;
	int32_t r = 0;
	int err;

	fill(params, 64, 30);
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "end.server_waits", "result %d", r);
	tag = submit_ipc_echo(test_IpcEcho_METHOD_hang);
	/* Sent with the hang in one pass: answered while the hang is held. */
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "end.next_call_answered_while_one_held", "result %d", r);
	ktest_check(capos_release_sync(client) == 0, "end.facet_released",
	            "release failed");
	ktest_check_code(finish(tag), CAPOS_E_CANCELLED,
	                 "end.caller_gave_up_cancelled");
	capos_handle_kill(handle);
	capos_release_sync(handle);

	err = capos_spawn(spawner, "fast_echo2", "ipc_echo", NULL, 0, &ep, 1,
	                  NULL, &handle, &client);
	ktest_check(err == 0, "end.second_server", "error %d", err);
	if (err)
		return;
	ktest_check(echo_ok(params, 64, result, NULL, 0, &r),
	            "end.second_server_waits", "result %d", r);
	ktest_check_code(finish(submit_ipc_echo(test_IpcEcho_METHOD_exit)),
	                 CAPOS_E_DISCONNECTED,
	                 "end.server_exited_disconnected");
	ktest_check_code(
	    finish(submit((uint64_t)(uintptr_t)params, 64,
	                  (uint64_t)(uintptr_t)result, 64, NULL, 0)),
	    CAPOS_E_DISCONNECTED, "end.later_call_disconnected");
}

int
main(void)
{
	static const struct capos_spawn_endpoint ep = {"fast",
	                                               capos_Echo_TYPE_ID};
	int err;

	ktest_prefix("ipcfast.");
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console)) {
		printf("KTEST not ok ipcfast.capset: init caps missing\n");
		return 1;
	}
	err = capos_spawn(spawner, "fast_echo", "ipc_echo", NULL, 0, &ep, 1,
	                  NULL, &handle, &client);
	ktest_check(err == 0, "spawn.raw_server", "error %d", err);
	if (err)
		return ktest_failures();
	test_plain();
	test_fallbacks();
	test_stale();
	test_delivered_calls_end();
	capos_handle_kill(handle);
	printf("ipcfast test: %d failures\n", ktest_failures());
	return ktest_failures();
}
