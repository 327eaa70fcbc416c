/*
 * ringbench: the capOS side of `make bench`.  Measures, in TSC ticks (guest
 * instructions under icount; see bench/bench.h):
 *
 *   nop_single     one NOP SQE per cap_enter(1), CQE reaped
 *   nop_batch16    sixteen NOPs per cap_enter(16), per NOP
 *   enter_empty    cap_enter(0, 0) on an empty ring
 *   null_call      CALL Null.ping, one per cap_enter(1): the round trip
 *                  through the ring to a kernel object and back
 *   null_ping_rt   the same through libcapos (capos_null_ping: tags,
 *                  stash, release flushing), to show the runtime's share
 *   ipc_rtt0       endpoint IPC round trip to the ipc_echo server
 *                  (Echo.echo with empty data): client CALL, server RECV,
 *                  server RETURN, client completion, both on one CPU
 *   ipc_rtt64      the same with 64 bytes of data
 *   ipc_xfer       Echo.bounce: one capability moved to the server and
 *                  moved back, in one round trip
 *   spawn_wait     ProcessSpawner.spawn of the minimal `nop` program,
 *                  ProcessHandle.wait for its exit, release of the handle
 *   boot_reset_to_user  TSC at this program's first instruction: reset
 *                  (firmware, GRUB, kernel) up to the first user program
 *
 * ringbench runs as init of bench/capos/bench.capnp, so it holds the
 * spawner.  The IPC server is ringbench itself, spawned with an endpoint
 * named "svc": a raw RECV/RETURN loop that answers each call with its own
 * params (Echo.echo's params and results have the same layout) and moves
 * any cap it receives straight back, so the round trip measures the
 * system, as a pipe ping-pong does on Linux.
 *
 * The ring benches write SQEs and read CQEs with plain stores, as
 * ringtest's full-CQ test does, so they time the kernel path and not the
 * runtime's bookkeeping.  They start with an empty ring (printf waits for
 * its own completions) and leave it empty, so the runtime's view of the
 * indices stays right.
 */
#include "capos.h"

#include "capos.capnp.client.h"

#include "../bench.h"

/* Iterations per timed run; each run is well under one 10 ms timer tick
 * of guest time at the expected costs, so few runs see an interrupt. */
#define ITERS	    2000
#define BATCH	    16

uint64_t bench_entry_tsc;

/*
 * The ELF entry point (the link gives -e bench_entry): reads the TSC
 * before anything else runs, then goes on to the runtime's _start with the
 * entry registers intact (RDI ring, RSI pid, RDX CapSet; R8 is 0 at entry
 * and free).
 */
__asm__(".text\n"
	".global bench_entry\n"
	"bench_entry:\n"
	"	movq %rdx, %r8\n"
	"	lfence\n"
	"	rdtsc\n"
	"	movl %eax, bench_entry_tsc(%rip)\n"
	"	movl %edx, bench_entry_tsc+4(%rip)\n"
	"	movq %r8, %rdx\n"
	"	xorl %r8d, %r8d\n"
	"	jmp _start\n");

static struct capos_ring_page *ring;
static capos_capid_t null_cap;
static struct capos_sqe nop_sqe = {.opcode = CAPOS_OP_NOP, .user_data = 1};
static struct capos_sqe call_sqe = {.opcode = CAPOS_OP_CALL,
				    .method = capos_Null_METHOD_ping,
				    .user_data = 2};

static inline void
sq_push(const struct capos_sqe *sqe)
{
	uint32_t tail = ring->hdr.sq_tail;

	ring->sq[tail % CAPOS_RING_SQ_ENTRIES] = *sqe;
	__atomic_store_n(&ring->hdr.sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Reaps n CQEs; returns how many are missing or failed. */
static inline unsigned long
cq_reap(uint32_t n)
{
	uint32_t head = ring->hdr.cq_head;
	uint32_t tail = __atomic_load_n(&ring->hdr.cq_tail, __ATOMIC_ACQUIRE);
	unsigned long bad = 0;
	uint32_t i;

	if (tail - head < n)
		return n;
	for (i = 0; i < n; i++)
		bad += ring->cq[(head + i) % CAPOS_RING_CQ_ENTRIES].result != 0;
	__atomic_store_n(&ring->hdr.cq_head, head + n, __ATOMIC_RELEASE);
	return bad;
}

/* Takes the next CQE (the caller waited for it); result 12345 if none. */
static inline struct capos_cqe
cq_pop(void)
{
	uint32_t head = ring->hdr.cq_head;
	uint32_t tail = __atomic_load_n(&ring->hdr.cq_tail, __ATOMIC_ACQUIRE);
	struct capos_cqe c = {.result = 12345};

	if (tail != head) {
		c = ring->cq[head % CAPOS_RING_CQ_ENTRIES];
		__atomic_store_n(&ring->hdr.cq_head, head + 1,
				 __ATOMIC_RELEASE);
	}
	return c;
}

static unsigned long
nop_single(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		sq_push(&nop_sqe);
		if (capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) < 1)
			bad++;
		bad += cq_reap(1);
	}
	return bad;
}

static unsigned long
nop_batch16(unsigned long iters)
{
	unsigned long i, bad = 0;
	int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < BATCH; j++)
			sq_push(&nop_sqe);
		if (capos_sys_cap_enter(BATCH, CAPOS_TIMEOUT_INFINITE) < BATCH)
			bad++;
		bad += cq_reap(BATCH);
	}
	return bad;
}

static unsigned long
enter_empty(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		if (capos_sys_cap_enter(0, 0) != 0)
			bad++;
	return bad;
}

static unsigned long
null_call(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		sq_push(&call_sqe);
		if (capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) < 1)
			bad++;
		bad += cq_reap(1);
	}
	return bad;
}

/* --- IPC and spawn ------------------------------------------------------ */

static capos_capid_t spawner, echo_client, echo_handle;
static struct capos_call spawn_call;
static uint8_t echo_params[2][128] __attribute__((aligned(8)));
static uint32_t echo_params_len[2];
static uint8_t bounce_params[64] __attribute__((aligned(8)));
static uint32_t bounce_params_len;
static uint8_t ipc_result[256] __attribute__((aligned(8)));

/* Spawns binary with one Echo endpoint "svc" (when serve) and returns the
 * handle and the client facet. */
static int
spawn(const char *binary, bool serve, capos_capid_t *handle,
      capos_capid_t *client)
{
	capos_ProcessSpawner_spawn_Params_builder p =
		capos_ProcessSpawner_spawn_begin(&spawn_call);
	int err;

	capos_ProcessSpawner_spawn_Params_set_name(p, binary, strlen(binary));
	capos_ProcessSpawner_spawn_Params_set_binary(p, binary,
						     strlen(binary));
	if (serve) {
		struct capnp_list_builder el =
			capos_ProcessSpawner_spawn_Params_init_endpoints(p, 1);
		capos_EndpointSpec_builder es = capos_EndpointSpec_build_at(el, 0);

		capos_EndpointSpec_set_name(es, "svc", 3);
		capos_EndpointSpec_set_interfaceId(es, capos_Echo_TYPE_ID);
	}
	err = capos_ProcessSpawner_spawn_send(&spawn_call, spawner);
	if (err)
		return err;
	*handle = capos_call_result_cap(
		&spawn_call,
		capos_ProcessSpawner_spawn_Results_get_handle(
			capos_ProcessSpawner_spawn_results(&spawn_call)),
		NULL);
	if (serve)
		*client = capos_call_result_cap(&spawn_call, 1, NULL);
	return 0;
}

/* Frames Echo.echo params with len bytes into echo_params[which]. */
static void
prepare_echo(int which, uint32_t len)
{
	static const uint8_t data[64];
	struct capos_msgbuf mb;

	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
		capos_Echo_echo_Params_build_root(&mb.b), data, len);
	capos_msg_end(&mb);
	memcpy(echo_params[which], mb.framed, mb.framed_len);
	echo_params_len[which] = mb.framed_len;
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
		capnp_bfield(capos_Echo_bounce_Params_build_root(&mb.b).s, 0),
		0);
	capos_msg_end(&mb);
	memcpy(bounce_params, mb.framed, mb.framed_len);
	bounce_params_len = mb.framed_len;
}

static unsigned long
ipc_round_trips(unsigned long iters, int which)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_CALL,
		.cap = echo_client,
		.method = capos_Echo_METHOD_echo,
		.user_data = 3,
		.params_addr = (uint64_t)(uintptr_t)echo_params[which],
		.params_len = echo_params_len[which],
		.result_addr = (uint64_t)(uintptr_t)ipc_result,
		.result_len = sizeof(ipc_result),
	};
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		sq_push(&sqe);
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
		bad += cq_pop().result < 0;
	}
	return bad;
}

static unsigned long
ipc_rtt0(unsigned long iters)
{
	return ipc_round_trips(iters, 0);
}

static unsigned long
ipc_rtt64(unsigned long iters)
{
	return ipc_round_trips(iters, 1);
}

/* The null cap goes to the server and comes back under a new id. */
static unsigned long
ipc_xfer(unsigned long iters)
{
	static struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_CALL,
		.cap = echo_client,
		.method = capos_Echo_METHOD_bounce,
		.user_data = 4,
		.params_addr = (uint64_t)(uintptr_t)bounce_params,
		.params_len = bounce_params_len,
		.result_addr = (uint64_t)(uintptr_t)ipc_result,
		.result_len = sizeof(ipc_result),
		.xfer_addr = (uint64_t)(uintptr_t)&x,
		.xfer_count = 1,
	};
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		struct capos_cqe c;

		x.cap = null_cap;
		sq_push(&sqe);
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
		c = cq_pop();
		if (c.result < 0 || c.aux0 != 1) {
			bad++;
			continue;
		}
		null_cap = ((const struct capos_cap_record *)(ipc_result +
							      ((c.result + 7) &
							       ~7)))
				   ->cap;
	}
	return bad;
}

static unsigned long
spawn_wait(unsigned long iters)
{
	static struct capos_call wait_call;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		capos_capid_t h, unused;

		if (spawn("nop", false, &h, &unused)) {
			bad++;
			continue;
		}
		capos_ProcessHandle_wait_begin(&wait_call);
		bad += capos_ProcessHandle_wait_send(&wait_call, h) != 0;
		bad += capos_release_sync(h) != 0;
	}
	return bad;
}

static unsigned long
null_ping_rt(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += capos_null_ping(null_cap) != 0;
	return bad;
}

/*
 * The server side: one cap_enter per call, submitting the RETURN of the
 * call just received together with the RECV for the next one.
 */
static void __attribute__((noreturn))
serve_raw(capos_capid_t owner)
{
	static uint8_t msg[1024] __attribute__((aligned(8)));
	const struct capos_recv_header *h = (const void *)msg;
	struct capos_sqe recv = {
		.opcode = CAPOS_OP_RECV,
		.cap = owner,
		.user_data = 10,
		.result_addr = (uint64_t)(uintptr_t)msg,
		.result_len = sizeof(msg),
	};
	struct capos_sqe ret = {.opcode = CAPOS_OP_RETURN, .cap = owner,
				.user_data = 11};
	struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};

	sq_push(&recv);
	for (;;) {
		struct capos_cqe c;

		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
		c = cq_pop();
		if (c.user_data == 11)
			continue; /* a RETURN's completion */
		if (c.result < 0)
			capos_exit(2);
		ret.call_id = h->call_id;
		ret.params_addr = (uint64_t)(uintptr_t)(h + 1);
		ret.params_len = h->params_len;
		ret.xfer_addr = 0;
		ret.xfer_count = 0;
		if (h->ncaps) {
			x.cap = ((const struct capos_cap_record *)(msg +
								   h->caps_offset))
					->cap;
			ret.xfer_addr = (uint64_t)(uintptr_t)&x;
			ret.xfer_count = 1;
		}
		sq_push(&ret);
		sq_push(&recv);
	}
}

int
main(void)
{
	uint64_t boot = bench_entry_tsc;
	capos_capid_t svc;
	capos_capid_t timer;
	uint64_t ns0 = 0, ns1 = 0, t0, t1;
	int err, failed = 0;

	ring = capos_ring();
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &svc) == 0)
		serve_raw(svc);
	err = capos_capset_find("null", capos_Null_TYPE_ID, &null_cap);
	if (!err)
		err = capos_capset_find("timer", capos_Timer_TYPE_ID, &timer);
	if (err) {
		printf("BENCH_ERROR setup %s\n", capos_strerror(err));
		return 1;
	}
	call_sqe.cap = null_cap;
	printf("BENCH_INFO capos ringbench, %d runs of %d iterations\n",
	       BENCH_RUNS, ITERS);
	capos_timer_now(timer, &ns0);
	t0 = bench_tsc();

	failed |= bench_run("nop_single", nop_single, ITERS, 1);
	failed |= bench_run("nop_batch16", nop_batch16, ITERS / 4, BATCH);
	failed |= bench_run("enter_empty", enter_empty, ITERS, 1);
	failed |= bench_run("null_call", null_call, ITERS, 1);
	failed |= bench_run("null_ping_rt", null_ping_rt, ITERS, 1);
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
			      &spawner) == 0 &&
	    spawn("ringbench", true, &echo_handle, &echo_client) == 0) {
		prepare_echo(0, 0);
		prepare_echo(1, 64);
		failed |= bench_run("ipc_rtt0", ipc_rtt0, ITERS / 2, 1);
		failed |= bench_run("ipc_rtt64", ipc_rtt64, ITERS / 2, 1);
		failed |= bench_run("ipc_xfer", ipc_xfer, ITERS / 2, 1);
		failed |= bench_run("spawn_wait", spawn_wait, 20, 1);
	} else {
		printf("BENCH_ERROR ipc: no spawner or the server did not "
		       "start\n");
		failed = 1;
	}
	printf("BENCH boot_reset_to_user %lu %lu %lu ticks\n",
	       (unsigned long)boot, (unsigned long)boot, (unsigned long)boot);

	t1 = bench_tsc();
	capos_timer_now(timer, &ns1);
	printf("BENCH_CLOCK %lu %lu\n", (unsigned long)(t1 - t0),
	       (unsigned long)(ns1 - ns0));
	printf("BENCH_DONE\n");
	return failed ? 1 : 0;
}
