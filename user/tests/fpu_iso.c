/*
 * fpu_iso: FP/SIMD state stays with its thread across context switches
 * (boot case fpu, manifest tests/boot/manifests/fpu_iso.capnp).
 *
 * Runs as init and spawns a second copy of itself, which serves an
 * endpoint named "svc".  Then ROUND_TRIPS calls go from one to the other.
 * Around each cap_enter that waits (the other process runs meanwhile, so
 * every one crosses at least two context switches), one asm block loads
 * every register with values of its own process and iteration: the eight
 * x87 registers, the control word, MXCSR (a rounding mode per process),
 * XMM0-15 and, with AVX, the upper halves of YMM0-15; then it stores them
 * all back, and a register that came back different fails the check,
 * named.  The server reports its own check when told to finish and exits
 * with its failures.
 *
 * Last, init fills every register once more and, with that state live,
 * spawns fpu_start, which checks that a new process starts with the
 * default state, not the state of the process that was running before.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "fmt/fmt.h"
#include "fp_regs.h"

#define ROUND_TRIPS   2000
#define METHOD_ROUND  0
#define METHOD_FINISH 1

static bool avx;
static struct fp_regs want, got;

/* Values of this process and iteration. */
static void
fill(struct fp_regs *r, uint64_t iter)
{
	fp_fill(r, capos_pid() << 32 ^ iter, (unsigned)(capos_pid() + iter),
	        avx);
}

static int
serve(capos_capid_t owner)
{
	static uint8_t msg[256] __attribute__((aligned(8)));
	const struct capos_recv_header *h = (const void *)msg;
	char why[64] = "";
	uint64_t iter, bad_at = 0;
	bool bad = false;

	for (iter = 1;; iter++) {
		struct capos_sqe recv = {
		    .opcode = CAPOS_OP_RECV,
		    .cap = owner,
		    .user_data = capos_next_tag(),
		    .result_addr = (uint64_t)(uintptr_t)msg,
		    .result_len = sizeof(msg),
		};
		struct capos_cqe c;

		fill(&want, iter);
		if (capos_submit(&recv))
			return 100;
		enter_holding(&want, &got, avx);
		if (!bad && fp_differs(&want, &got, why, sizeof(why))) {
			bad = true;
			bad_at = iter;
		}
		if (capos_wait(recv.user_data, CAPOS_TIMEOUT_INFINITE, &c) ||
		    c.result < 0)
			return 101;
		if (h->method == METHOD_FINISH)
			break;
		if (capos_return(owner, h->call_id, NULL, 0, NULL, 0))
			return 102;
	}
	ktest_check(!bad, "server.registers_kept", "after wait %lu: %s",
	            (unsigned long)bad_at, why);
	capos_return(owner, h->call_id, NULL, 0, NULL, 0);
	return ktest_failures();
}

static int
call(capos_capid_t svc, uint16_t method, bool holding, uint64_t iter, char *why,
     size_t size)
{
	static uint8_t result[64] __attribute__((aligned(8)));
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = svc,
	    .method = method,
	    .interface_id = capos_Endpoint_TYPE_ID,
	    .user_data = capos_next_tag(),
	    .result_addr = (uint64_t)(uintptr_t)result,
	    .result_len = sizeof(result),
	};
	struct capos_cqe c;
	int err = capos_submit(&sqe);

	if (err)
		return err;
	if (holding) {
		fill(&want, iter);
		enter_holding(&want, &got, avx);
		if (fp_differs(&want, &got, why, size))
			return 1;
	}
	err = capos_wait(sqe.user_data, CAPOS_TIMEOUT_INFINITE, &c);
	return err ? err : c.result < 0 ? c.result : 0;
}

static void
round_trips(capos_capid_t svc)
{
	char why[64] = "";
	uint64_t iter;
	int err = 0;

	for (iter = 1; iter <= ROUND_TRIPS && !err; iter++)
		err = call(svc, METHOD_ROUND, true, iter, why, sizeof(why));
	ktest_check(err == 0, "client.registers_kept", "round trip %lu: %s",
	            (unsigned long)(iter - 1),
	            err > 0 ? why : capos_strerror(err));
	err = call(svc, METHOD_FINISH, false, 0, NULL, 0);
	ktest_check(err == 0, "server.finished", "%s", capos_strerror(err));
}

static int
wait_exit(capos_capid_t handle)
{
	int32_t code = -1;
	int err = capos_handle_wait(handle, &code);

	capos_release_sync(handle);
	return err ? err : code;
}

int
main(void)
{
	struct capos_spawn_endpoint ep = {"svc", capos_Endpoint_TYPE_ID};
	struct capos_spawn_grant g;
	capos_capid_t owner, spawner, console, handle, svc;
	int err;

	avx = fp_cpu_has_avx();
	ktest_prefix("fpu.");
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &owner) == 0)
		return serve(owner);
	if (capos_ProcessSpawner_find("spawner", &spawner) ||
	    capos_Console_find("console", &console)) {
		printf("KTEST not ok fpu.capset: init caps missing\n");
		return 1;
	}
	printf("fpu: %d round trips, AVX %s\n", ROUND_TRIPS,
	       avx ? "on" : "off");
	g = (struct capos_spawn_grant){"console", console};
	err = capos_spawn(spawner, "fpu_server", "fpu_iso", &g, 1, &ep, 1, NULL,
	                  &handle, &svc);
	ktest_check(err == 0, "spawn.server", "%s", capos_strerror(err));
	if (err)
		return ktest_failures();
	round_trips(svc);
	ktest_check_code(wait_exit(handle), 0, "server.exit_0");
	capos_release_sync(svc);

	/* A new process does not start with the state of the one before. */
	fill(&want, ROUND_TRIPS + 1);
	leave_loaded(&want, avx);
	err = capos_spawn(spawner, "fpu_start", "fpu_start", &g, 1, NULL, 0,
	                  NULL, &handle, NULL);
	ktest_check(err == 0, "spawn.fpu_start", "%s", capos_strerror(err));
	if (!err)
		ktest_check_code(wait_exit(handle), 0, "fpu_start.exit_0");
	printf("fpu test: %d failures\n", ktest_failures());
	return ktest_failures();
}
