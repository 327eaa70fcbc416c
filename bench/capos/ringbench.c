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
 *   ipc_rtt0       endpoint IPC round trip to the raw server below
 *                  (Echo.echo with empty data): client CALL, server RECV,
 *                  server RETURN, client completion, both on one CPU
 *   ipc_rtt64      the same with 64 bytes of data
 *   ipc_rtt0_rt, ipc_rtt64_rt  the same calls to a server written with
 *                  libcapos (capos_recv, capos_return_recv)
 *   park_rtt       PARK/UNPARK ping-pong with a second thread of this
 *                  process: each side stores the turn, UNPARKs the other
 *                  and PARKs until the turn comes back, in one cap_enter
 *                  (Linux: the futex ping-pong between two processes)
 *   ipc_xfer       Echo.bounce: one capability moved to the server and
 *                  moved back, in one round trip
 *   spawn_wait     ProcessSpawner.spawn of the minimal `nop` program,
 *                  ProcessHandle.wait for its exit, release of the handle
 *   thread_create_join  ThreadSpawner.spawn of a thread that at once
 *                  calls ThreadControl.exit with a value, ThreadHandle.join
 *                  (the value checked), release of the handle
 *   switch_avx_clean, switch_avx_live  the park_rtt ping-pong with a
 *                  partner thread, each side holding YMM0-15 across every
 *                  switch and checking them after it; clean zeroes the
 *                  upper halves (VZEROUPPER) before it switches, live
 *                  keeps them holding values (capOS only: the cost of
 *                  FP/SIMD state on a switch)
 *   vm_page        VirtualMemory reserve of one page, commit, one word
 *                  written (and read back), unmap
 *   vm_1m          the same with 256 pages (1 MiB), one word a page
 *   shm_1m         1 MiB handed to another process through a shared
 *                  MemoryObject: a fresh number written into every page,
 *                  an endpoint CALL, the peer checks every page, RETURN
 *   boot_reset_to_user  TSC at this program's first instruction: reset
 *                  (firmware, GRUB, kernel) up to the first user program
 *
 * ringbench runs as init of bench/capos/bench.capnp, so it holds the
 * spawner.  The IPC server is ringbench itself, spawned with an endpoint
 * named "svc": a raw RECV/RETURN loop that answers each call with its own
 * params (Echo.echo's params and results have the same layout) and moves
 * any cap it receives straight back, so the round trip measures the
 * system, as a pipe ping-pong does on Linux.  A second copy, spawned with
 * an endpoint named "svc_rt", serves the same way through libcapos.  A
 * third, with an endpoint "shm" and a MemoryObject "mo", is shm_1m's
 * peer.
 *
 * Every operation checks its result (bench_check in bench/bench.h): the
 * completion is there, is the one asked for, has the expected result, the
 * echo equals what was sent (each 64-byte call carries its iteration
 * number), the spawned process exited with 0.  A failed check makes the
 * row a BENCH_ERROR instead of a number, and ringbench exits with 1.
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
#define ITERS 2000
#define BATCH 16

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
enum {
	USER_DATA_NOP = 1,
	USER_DATA_CALL,
	USER_DATA_ECHO,
	USER_DATA_BOUNCE,
	USER_DATA_RECV = 10,
	USER_DATA_RETURN,
};

static struct capos_sqe nop_sqe = {.opcode = CAPOS_OP_NOP,
                                   .user_data = USER_DATA_NOP};
static struct capos_sqe call_sqe = {.opcode = CAPOS_OP_CALL,
                                    .method = capos_Null_METHOD_ping,
                                    .interface_id = capos_Null_TYPE_ID,
                                    .user_data = USER_DATA_CALL};

static inline void
sq_push(const struct capos_sqe *sqe)
{
	uint32_t tail = ring->hdr.sq_tail;

	ring->sq[tail % CAPOS_RING_SQ_ENTRIES] = *sqe;
	__atomic_store_n(&ring->hdr.sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/*
 * Reaps n CQEs of SQEs tagged user_data that should all succeed with
 * result 0; returns how many are missing, failed or not ours.
 */
static inline unsigned long
cq_reap(uint32_t n, uint64_t user_data)
{
	uint32_t head = ring->hdr.cq_head;
	uint32_t tail = __atomic_load_n(&ring->hdr.cq_tail, __ATOMIC_ACQUIRE);
	unsigned long bad = 0;
	uint32_t i, have = tail - head;

	if (have > n)
		have = n;
	bad += bench_check(have == n, "completion missing") * (n - have);
	for (i = 0; i < have; i++) {
		const struct capos_cqe *c =
		    &ring->cq[(head + i) % CAPOS_RING_CQ_ENTRIES];

		bad += bench_check(c->user_data == user_data,
		                   "completion of another request");
		bad += bench_check(c->result == 0, "result code not 0");
	}
	__atomic_store_n(&ring->hdr.cq_head, head + have, __ATOMIC_RELEASE);
	return bad;
}

/* Takes the next CQE into *c (the caller waited for it); false if none. */
static inline bool
cq_pop(struct capos_cqe *c)
{
	uint32_t head = ring->hdr.cq_head;
	uint32_t tail = __atomic_load_n(&ring->hdr.cq_tail, __ATOMIC_ACQUIRE);

	if (tail == head)
		return false;
	*c = ring->cq[head % CAPOS_RING_CQ_ENTRIES];
	__atomic_store_n(&ring->hdr.cq_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

static unsigned long
nop_single(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		sq_push(&nop_sqe);
		bad += bench_check(
		    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) >= 1,
		    "cap_enter returned fewer than 1 completion");
		bad += cq_reap(1, USER_DATA_NOP);
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
		bad += bench_check(
		    capos_sys_cap_enter(BATCH, CAPOS_TIMEOUT_INFINITE) >= BATCH,
		    "cap_enter returned fewer than 16 completions");
		bad += cq_reap(BATCH, USER_DATA_NOP);
	}
	return bad;
}

static unsigned long
enter_empty(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += bench_check(capos_sys_cap_enter(0, 0) == 0,
		                   "cap_enter(0, 0) did not return 0");
	return bad;
}

static unsigned long
null_call(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		sq_push(&call_sqe);
		bad += bench_check(
		    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) >= 1,
		    "cap_enter returned fewer than 1 completion");
		bad += cq_reap(1, USER_DATA_CALL);
	}
	return bad;
}

/* --- IPC and spawn ------------------------------------------------------ */

static capos_capid_t spawner;
static capos_capid_t raw_client, raw_handle, rt_client, rt_handle;
static struct capos_call spawn_call;

/*
 * Echo.echo params with 0 and 64 bytes of data, framed; echo_stamp is the
 * offset of the data's last 8 bytes (0: no data), which each call
 * overwrites with its iteration number so that a stale answer cannot pass
 * the check.
 */
static uint8_t echo_params[2][128] __attribute__((aligned(8)));
static uint32_t echo_params_len[2], echo_stamp[2];
static uint8_t bounce_params[64] __attribute__((aligned(8)));
static uint32_t bounce_params_len;
static uint8_t ipc_result[256] __attribute__((aligned(8)));

/* Spawns binary, with one Echo endpoint of that name when endpoint is not
 * NULL, and returns the handle and the client facet. */
static int
spawn(const char *binary, const char *endpoint, capos_capid_t *handle,
      capos_capid_t *client)
{
	capos_ProcessSpawner_spawn_Params_builder p =
	    capos_ProcessSpawner_spawn_begin(&spawn_call);
	int err;

	capos_ProcessSpawner_spawn_Params_set_name(p, binary, strlen(binary));
	capos_ProcessSpawner_spawn_Params_set_binary(p, binary, strlen(binary));
	if (endpoint) {
		struct capnp_list_builder el =
		    capos_ProcessSpawner_spawn_Params_init_endpoints(p, 1);
		capos_EndpointSpec_builder es =
		    capos_EndpointSpec_build_at(el, 0);

		capos_EndpointSpec_set_name(es, endpoint, strlen(endpoint));
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
	if (endpoint)
		*client = capos_call_result_cap(&spawn_call, 1, NULL);
	return 0;
}

/* Frames Echo.echo params with len bytes into echo_params[which], and the
 * Echo.bounce params. */
static void
prepare_echo(int which, uint32_t len)
{
	uint8_t data[64];
	struct capos_msgbuf mb;
	struct capnp_msg m;
	struct capnp_data d;
	uint32_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xa5 ^ i);
	capos_msg_begin(&mb);
	capos_Echo_echo_Params_set_data(
	    capos_Echo_echo_Params_build_root(&mb.b), data, len);
	capos_msg_end(&mb);
	memcpy(echo_params[which], mb.framed, mb.framed_len);
	echo_params_len[which] = mb.framed_len;
	echo_stamp[which] = 0;
	if (len >= 8 && capos_msg_read(&m, echo_params[which],
	                               echo_params_len[which]) == 0) {
		d = capos_Echo_echo_Params_get_data(
		    capos_Echo_echo_Params_read_root(&m));
		if (d.ptr && d.len == len)
			echo_stamp[which] =
			    (uint32_t)((const uint8_t *)d.ptr + len - 8 -
			               echo_params[which]);
	}
	capos_msg_begin(&mb);
	capnp_slot_set_cap(
	    capnp_bfield(capos_Echo_bounce_Params_build_root(&mb.b).s, 0), 0);
	capos_msg_end(&mb);
	memcpy(bounce_params, mb.framed, mb.framed_len);
	bounce_params_len = mb.framed_len;
}

/* The answer equals the params: same length, same words (both buffers
 * are 8-byte aligned and a framed message is whole words). */
static inline bool
echoed(const uint8_t *params, uint32_t len)
{
	const uint64_t *a = (const uint64_t *)(const void *)params;
	const uint64_t *b = (const uint64_t *)(const void *)ipc_result;
	uint32_t i;

	for (i = 0; i < len / 8; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* One Echo.echo round trip after another to client; which: 0 or 64 bytes. */
static unsigned long
ipc_round_trips(unsigned long iters, capos_capid_t client, int which)
{
	uint8_t *params = echo_params[which];
	uint32_t len = echo_params_len[which], stamp = echo_stamp[which];
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = client,
	    .method = capos_Echo_METHOD_echo,
	    .interface_id = capos_Echo_TYPE_ID,
	    .user_data = USER_DATA_ECHO,
	    .params_addr = (uint64_t)(uintptr_t)params,
	    .params_len = len,
	    .result_addr = (uint64_t)(uintptr_t)ipc_result,
	    .result_len = sizeof(ipc_result),
	};
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		struct capos_cqe c;

		if (stamp)
			*(uint64_t *)(void *)(params + stamp) = i;
		sq_push(&sqe);
		bad += bench_check(
		    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) >= 1,
		    "cap_enter returned fewer than 1 completion");
		if (bench_check(cq_pop(&c), "completion missing")) {
			bad++;
			continue;
		}
		bad +=
		    bench_check(c.user_data == USER_DATA_ECHO,
		                "completion of another request") ||
		    bench_check(c.result == (int32_t)len,
		                "result length is not the params length") ||
		    bench_check(echoed(params, len), "echoed payload differs");
	}
	return bad;
}

static unsigned long
ipc_rtt0(unsigned long iters)
{
	return ipc_round_trips(iters, raw_client, 0);
}

static unsigned long
ipc_rtt64(unsigned long iters)
{
	return ipc_round_trips(iters, raw_client, 1);
}

static unsigned long
ipc_rtt0_rt(unsigned long iters)
{
	return ipc_round_trips(iters, rt_client, 0);
}

static unsigned long
ipc_rtt64_rt(unsigned long iters)
{
	return ipc_round_trips(iters, rt_client, 1);
}

/* The null cap goes to the server and comes back under a new id. */
static unsigned long
ipc_xfer(unsigned long iters)
{
	static struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = raw_client,
	    .method = capos_Echo_METHOD_bounce,
	    .interface_id = capos_Echo_TYPE_ID,
	    .user_data = USER_DATA_BOUNCE,
	    .params_addr = (uint64_t)(uintptr_t)bounce_params,
	    .params_len = bounce_params_len,
	    .result_addr = (uint64_t)(uintptr_t)ipc_result,
	    .result_len = sizeof(ipc_result),
	    .xfer_addr = (uint64_t)(uintptr_t)&x,
	    .xfer_count = 1,
	};
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		const struct capos_cap_record *rec;
		struct capos_cqe c;

		x.cap = null_cap;
		sq_push(&sqe);
		bad += bench_check(
		    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) >= 1,
		    "cap_enter returned fewer than 1 completion");
		if (bench_check(cq_pop(&c), "completion missing") ||
		    bench_check(c.user_data == USER_DATA_BOUNCE,
		                "completion of another request") ||
		    bench_check(c.result == (int32_t)bounce_params_len,
		                "result length is not the params length") ||
		    bench_check(c.aux0 == 1, "not one result cap") ||
		    bench_check(capos_cap_records(
		                    ipc_result, sizeof(ipc_result),
		                    (uint32_t)c.result, c.aux0, &rec) == 0,
		                "result cap record outside the buffer")) {
			/* Without the cap back there is nothing to send. */
			return bad + 1;
		}
		null_cap = rec->cap;
	}
	return bad;
}

static unsigned long
spawn_wait(unsigned long iters)
{
	static struct capos_call wait_call;
	uint32_t failed_before = capos_release_failures();
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		capos_capid_t h, unused;

		if (bench_check(spawn("nop", NULL, &h, &unused) == 0,
		                "ProcessSpawner.spawn failed")) {
			bad++;
			continue;
		}
		capos_ProcessHandle_wait_begin(&wait_call);
		if (bench_check(capos_ProcessHandle_wait_send(&wait_call, h) ==
		                    0,
		                "ProcessHandle.wait failed"))
			bad++;
		else
			bad += bench_check(
			    capos_ProcessHandle_wait_Results_get_exitCode(
			        capos_ProcessHandle_wait_results(&wait_call)) ==
			        0,
			    "nop's exit code is not 0");
		/* Queued: it rides with the next spawn's CALL, as a
		 * program's dropped handle does. */
		capos_release(h);
	}
	bad += bench_check(capos_flush() == 0 &&
	                       capos_release_failures() == failed_before,
	                   "releasing a handle failed");
	return bad;
}

static unsigned long
null_ping_rt(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += bench_check(capos_null_ping(null_cap) == 0,
		                   "capos_null_ping failed");
	return bad;
}

/*
 * The raw server: one cap_enter per call, submitting the RETURN of the
 * call just received together with the RECV for the next one, and waiting
 * in it for both completions, so that the kernel switches from the server
 * straight to the caller and back: a round trip is two system calls (the
 * client's and the server's) and two switches.  It answers
 * with the params (Echo.echo's params and results have the same layout)
 * and moves any cap it receives straight back.  It exits (the client's
 * call then fails) on any error.
 */
static void __attribute__((noreturn)) serve_raw(capos_capid_t owner)
{
	static uint8_t msg[1024] __attribute__((aligned(8)));
	const struct capos_recv_header *h = (const void *)msg;
	struct capos_sqe recv = {
	    .opcode = CAPOS_OP_RECV,
	    .cap = owner,
	    .user_data = USER_DATA_RECV,
	    .result_addr = (uint64_t)(uintptr_t)msg,
	    .result_len = sizeof(msg),
	};
	struct capos_sqe ret = {.opcode = CAPOS_OP_RETURN,
	                        .cap = owner,
	                        .user_data = USER_DATA_RETURN};
	struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};
	uint32_t want = 1; /* CQEs the next cap_enter waits for */

	sq_push(&recv);
	for (;;) {
		struct capos_cqe c;
		bool called = false;

		capos_sys_cap_enter(want, CAPOS_TIMEOUT_INFINITE);
		while (want--) {
			if (!cq_pop(&c))
				capos_exit(2);
			if (c.result < 0)
				capos_exit(3);
			called |= c.user_data == USER_DATA_RECV;
		}
		if (!called)
			capos_exit(4);
		ret.call_id = h->call_id;
		ret.params_addr = (uint64_t)(uintptr_t)(h + 1);
		ret.params_len = h->params_len;
		ret.xfer_addr = 0;
		ret.xfer_count = 0;
		if (h->ncaps) {
			x.cap =
			    ((const struct capos_cap_record *)(msg +
			                                       h->caps_offset))
			        ->cap;
			ret.xfer_addr = (uint64_t)(uintptr_t)&x;
			ret.xfer_count = 1;
		}
		/* The answer and the wait for the next call, in one
		 * cap_enter: it returns with both CQEs. */
		sq_push(&ret);
		sq_push(&recv);
		want = 2;
	}
}

/*
 * The same server written with libcapos: capos_recv waits for the first
 * call, then capos_return_recv answers each call with its params and
 * waits for the next in the same cap_enter, as the raw server does.  The
 * difference to the raw server is the runtime's cost.
 */
static void __attribute__((noreturn)) serve_rt(capos_capid_t owner)
{
	static uint8_t msg[1024] __attribute__((aligned(8)));
	struct capos_recv_header *h;
	int returned;

	if (capos_recv(owner, msg, sizeof(msg), &h) < 0)
		capos_exit(2);
	for (;;) {
		struct capos_xfer x = {.mode = CAPOS_XFER_MOVE};
		struct capos_answer a = {
		    .call_id = h->call_id,
		    .result = capos_recv_params(h),
		    .len = h->params_len,
		};

		if (h->ncaps) {
			x.cap = capos_recv_caps(h)[0].cap;
			a.xfer = &x;
			a.nxfer = 1;
		}
		if (capos_return_recv(owner, &a, &returned, msg, sizeof(msg),
		                      &h) < 0 ||
		    returned)
			capos_exit(3);
	}
}

/* --- park_rtt: PARK/UNPARK ping-pong between two threads ---------------- */

/*
 * The word is 1 while it is the partner's turn, 0 while it is the main
 * thread's.  Each side, in one cap_enter, hands the turn over (store,
 * UNPARK) and parks until the turn comes back (PARK while the word holds
 * what it just stored), as the Linux futex ping-pong does with FUTEX_WAKE
 * and FUTEX_WAIT.
 */
static uint32_t pp_word __attribute__((aligned(64)));
static capos_capid_t park_cap;
static uint64_t pp_stack[512] __attribute__((aligned(16)));
static uint64_t pp_tcb[2];

enum { USER_DATA_UNPARK = 20, USER_DATA_PARK };

static inline void
pp_push(struct capos_ring_page *r, const struct capos_sqe *sqe)
{
	uint32_t tail = r->hdr.sq_tail;

	r->sq[tail % CAPOS_RING_SQ_ENTRIES] = *sqe;
	__atomic_store_n(&r->hdr.sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Reaps the UNPARK and PARK CQEs of one turn; counts what went wrong. */
static inline unsigned long
pp_reap(struct capos_ring_page *r)
{
	uint32_t head = r->hdr.cq_head, i;
	unsigned long bad = 0;

	bad += bench_check(
	    __atomic_load_n(&r->hdr.cq_tail, __ATOMIC_ACQUIRE) - head >= 2,
	    "park turn: completions missing");
	for (i = 0; i < 2; i++) {
		const struct capos_cqe *c =
		    &r->cq[(head + i) % CAPOS_RING_CQ_ENTRIES];

		if (c->user_data == USER_DATA_UNPARK)
			bad += bench_check(c->result == 0 || c->result == 1,
			                   "UNPARK failed");
		else
			bad += bench_check(
			    c->user_data == USER_DATA_PARK &&
			        (c->result == CAPOS_PARK_WOKEN ||
			         c->result == CAPOS_PARK_VALUE_CHANGED),
			    "PARK failed");
	}
	__atomic_store_n(&r->hdr.cq_head, head + 2, __ATOMIC_RELEASE);
	return bad;
}

/* Stores given in *word, which hands the turn to the other side, and
 * queues the UNPARK that wakes it and the PARK that waits until it has
 * stored the other value; the caller's cap_enter sends both. */
static inline void
pp_queue_turn(struct capos_ring_page *r, uint32_t *word, uint32_t given)
{
	struct capos_sqe wake = {.opcode = CAPOS_OP_UNPARK,
	                         .cap = park_cap,
	                         .user_data = USER_DATA_UNPARK,
	                         .word_addr = (uint64_t)(uintptr_t)word,
	                         .unpark_count = 1};
	struct capos_sqe wait = {.opcode = CAPOS_OP_PARK,
	                         .cap = park_cap,
	                         .user_data = USER_DATA_PARK,
	                         .word_addr = (uint64_t)(uintptr_t)word,
	                         .park_value = given,
	                         .timeout_ns = CAPOS_PARK_NO_TIMEOUT};

	__atomic_store_n(word, given, __ATOMIC_RELEASE);
	pp_push(r, &wake);
	pp_push(r, &wait);
}

/* One turn: hands it over and parks until it comes back. */
static inline unsigned long
pp_turn(struct capos_ring_page *r, uint32_t given)
{
	unsigned long bad = 0;

	pp_queue_turn(r, &pp_word, given);
	capos_sys_cap_enter(2, CAPOS_TIMEOUT_INFINITE);
	bad += pp_reap(r);
	/* Only the other side unparks, and only after handing the turn
	 * back: woken or VALUE_CHANGED, the turn is ours. */
	bad += bench_check(__atomic_load_n(&pp_word, __ATOMIC_ACQUIRE) != given,
	                   "park turn: woken before the turn came back");
	return bad;
}

void pp_partner_main(struct capos_ring_page *r) __attribute__((used, noreturn));
__asm__(".text\n.globl pp_partner_entry\npp_partner_entry:\n"
        "\txor %ebp, %ebp\n\tcall pp_partner_main\n\tud2\n");
void pp_partner_entry(void);

/* A partner's start: parked on word until the main thread hands it the
 * first turn (stores a value other than 0). */
static void
partner_first_turn(struct capos_ring_page *r, uint32_t *word)
{
	struct capos_sqe wait = {.opcode = CAPOS_OP_PARK,
	                         .cap = park_cap,
	                         .user_data = USER_DATA_PARK,
	                         .word_addr = (uint64_t)(uintptr_t)word,
	                         .park_value = 0,
	                         .timeout_ns = CAPOS_PARK_NO_TIMEOUT};

	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 0) {
		uint32_t head = r->hdr.cq_head;

		pp_push(r, &wait);
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
		__atomic_store_n(&r->hdr.cq_head, head + 1, __ATOMIC_RELEASE);
	}
}

/* The partner: waits for its first turn, then answers every turn until
 * the process ends (it stays parked then, and the exit ends it). */
void
pp_partner_main(struct capos_ring_page *r)
{
	partner_first_turn(r, &pp_word);
	for (;;)
		pp_turn(r, 0);
}

static int
pp_start(void)
{
	static struct capos_call sc;
	capos_ThreadSpawner_spawn_Params_builder p;
	capos_capid_t threads;
	int err;

	err =
	    capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID, &threads);
	if (!err)
		err = capos_capset_find("park", capos_ParkSpace_TYPE_ID,
		                        &park_cap);
	if (err)
		return err;
	pp_tcb[0] = (uint64_t)(uintptr_t)pp_tcb;
	p = capos_ThreadSpawner_spawn_begin(&sc);
	capos_ThreadSpawner_spawn_Params_set_entry(
	    p, (uint64_t)(uintptr_t)pp_partner_entry);
	capos_ThreadSpawner_spawn_Params_set_stackTop(
	    p, (uint64_t)(uintptr_t)(pp_stack + 512));
	capos_ThreadSpawner_spawn_Params_set_tlsBase(
	    p, (uint64_t)(uintptr_t)pp_tcb);
	/* The handle is kept: the partner runs until the process ends. */
	return capos_ThreadSpawner_spawn_send(&sc, threads);
}

static unsigned long
park_rtt(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += pp_turn(ring, 1);
	return bad;
}

/* --- thread_create_join: start a thread and join it ------------------------ */

/*
 * Each iteration starts a thread with libcapos (its stack and TLS block
 * from the heap, the kernel's ThreadSpawner.spawn) that returns the value
 * it was started with; the join (ThreadHandle.join, then the block freed
 * and the handle released) must answer with that value.  Linux:
 * pthread_create of a function that returns its argument, pthread_join.
 */
#define TCJ_ITERS 100

static capos_capid_t threads_cap;
/* The next thread's value: never the same twice, so a join that answered
 * for an earlier thread would not pass. */
static uintptr_t tcj_next_value = 0x7e57000000000000ull;

static void *
tcj_return_arg(void *arg)
{
	return arg;
}

static unsigned long
thread_create_join(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		uintptr_t want = tcj_next_value++;
		struct capos_thread *t;
		void *got = NULL;

		if (bench_check(capos_thread_create(&t, tcj_return_arg,
		                                    (void *)want, NULL) == 0,
		                "capos_thread_create failed")) {
			bad++;
			continue;
		}
		bad += bench_check(capos_thread_join(t, &got) == 0,
		                   "capos_thread_join failed") ||
		       bench_check((uintptr_t)got == want,
		                   "join's value is not the thread's");
	}
	return bad;
}

/* --- switch_avx_clean, switch_avx_live: FP/SIMD state across a switch --- */

/*
 * The PARK/UNPARK ping-pong of park_rtt, between the main thread and a
 * second partner (on a word of their own), where each side loads all 16
 * YMM registers (both halves) before its cap_enter and stores them after
 * it, so every switch saves and restores them.  The two rows run the same
 * instructions but one: switch_avx_clean executes VZEROUPPER after the
 * load, which puts the AVX component (the upper halves) in its initial
 * state, the state an XSAVEOPT may skip; switch_avx_live keeps the upper
 * halves holding values.  After each switch each side checks its
 * registers: clean, the lower halves as loaded and the upper ones zero;
 * live, all 32 bytes of each as loaded.  Each side loads its own
 * values, so the other's leaking in would fail the check.
 */
struct vregs {
	uint64_t q[16][4]; /* YMM0-15, lowest quadword first */
} __attribute__((aligned(32)));

struct sw_side {
	struct vregs in, want_clean, out;
};

static struct sw_side sw_side[2]; /* 0: main thread, 1: partner */
static uint32_t sw_word __attribute__((aligned(64)));
static volatile uint32_t sw_clean; /* the row running: 1 clean, 0 live */
static volatile uint32_t sw_partner_bad;
static uint64_t sw_stack[512] __attribute__((aligned(16)));
static uint64_t sw_tcb[2];

#define YMM_ALL                                                                \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",        \
	    "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",       \
	    "xmm15"

/* cap_enter(2, infinite) with YMM0-15 loaded from *in (and their upper
 * halves zeroed when clean); *out gets them as the thread found them
 * after the system call. */
static inline void
sw_enter(const struct vregs *in, struct vregs *out, uint32_t clean)
{
	uint64_t rax = CAPOS_SYS_CAP_ENTER;

	__asm__ volatile(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	                 "vmovdqu 32*\\r(%[in]), %%ymm\\r\n\t"
	                 ".endr\n\t"
	                 "testl %[clean], %[clean]\n\t"
	                 "jz 1f\n\t"
	                 "vzeroupper\n"
	                 "1:\n\t"
	                 "syscall\n\t"
	                 ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	                 "vmovdqu %%ymm\\r, 32*\\r(%[out])\n\t"
	                 ".endr"
	                 : "+a"(rax)
	                 : [in] "r"(in), [out] "r"(out), [clean] "r"(clean),
	                   "D"((uint64_t)2), "S"(CAPOS_TIMEOUT_INFINITE)
	                 : "rcx", "r11", "memory", "cc", YMM_ALL);
}

static inline bool
vregs_equal(const struct vregs *a, const struct vregs *b)
{
	uint32_t r, k;

	for (r = 0; r < 16; r++)
		for (k = 0; k < 4; k++)
			if (a->q[r][k] != b->q[r][k])
				return false;
	return true;
}

/* One turn of the ping-pong (pp_turn's) holding the vector registers. */
static inline unsigned long
sw_turn(struct capos_ring_page *r, uint32_t given, struct sw_side *s,
        uint32_t clean)
{
	unsigned long bad = 0;

	pp_queue_turn(r, &sw_word, given);
	sw_enter(&s->in, &s->out, clean);
	bad += pp_reap(r);
	bad += bench_check(__atomic_load_n(&sw_word, __ATOMIC_ACQUIRE) != given,
	                   "switch turn: woken before the turn came back");
	bad +=
	    bench_check(vregs_equal(&s->out, clean ? &s->want_clean : &s->in),
	                "vector registers changed across the switch");
	return bad;
}

void sw_partner_main(struct capos_ring_page *r) __attribute__((used, noreturn));
__asm__(".text\n.globl sw_partner_entry\nsw_partner_entry:\n"
        "\txor %ebp, %ebp\n\tcall sw_partner_main\n\tud2\n");
void sw_partner_entry(void);

/* The partner: waits for its first turn, then answers every turn with the
 * main thread's current row until the process ends. */
void
sw_partner_main(struct capos_ring_page *r)
{
	partner_first_turn(r, &sw_word);
	for (;;)
		if (sw_turn(r, 0, &sw_side[1], sw_clean))
			sw_partner_bad++;
}

/* AVX usable: the CPU has it and the kernel enabled its state (XCR0). */
static bool
avx_usable(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if ((c & (3u << 27)) != (3u << 27)) /* OSXSAVE and AVX */
		return false;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 6) == 6; /* SSE and AVX state */
}

/* Fills both sides' values and starts the partner; 0, or an error. */
static int
sw_start(void)
{
	capos_capid_t h;
	uint32_t s, r, k;

	for (s = 0; s < 2; s++)
		for (r = 0; r < 16; r++)
			for (k = 0; k < 4; k++) {
				uint64_t v = (uint64_t)(s + 1) << 56 |
				             (uint64_t)(r + 1) << 8 | (k + 1);

				sw_side[s].in.q[r][k] = v;
				sw_side[s].want_clean.q[r][k] = k < 2 ? v : 0;
			}
	sw_tcb[0] = (uint64_t)(uintptr_t)sw_tcb;
	/* The handle is kept: the partner runs until the process ends. */
	return capos_thread_spawn(threads_cap,
	                          (uint64_t)(uintptr_t)sw_partner_entry, 0,
	                          (uint64_t)(uintptr_t)(sw_stack + 512),
	                          (uint64_t)(uintptr_t)sw_tcb, &h);
}

static unsigned long
sw_rounds(unsigned long iters, uint32_t clean)
{
	unsigned long i, bad = 0;

	sw_clean = clean;
	for (i = 0; i < iters; i++) {
		bad += sw_turn(ring, 1, &sw_side[0], clean);
		bad += bench_check(sw_partner_bad == 0,
		                   "the partner's vector registers changed "
		                   "across the switch");
	}
	return bad;
}

static unsigned long
switch_avx_clean(unsigned long iters)
{
	return sw_rounds(iters, 1);
}

static unsigned long
switch_avx_live(unsigned long iters)
{
	return sw_rounds(iters, 0);
}

/* --- memory: vm_page, vm_1m, shm_1m ------------------------------------- */

/*
 * vm_page and vm_1m: VirtualMemory.reserve of 1 or 256 pages where the
 * kernel finds room, commit, the first word of each page written and
 * read back (bench_touch_pages), unmap; the libcapos thin clients, as a
 * program uses them.  Linux: mmap of anonymous memory, the same touches
 * (each faults its page in), munmap.
 */
#define MIB_PAGES 256
#define MIB_ITERS 50

static capos_capid_t vm_cap, frames_cap;

static unsigned long
vm_rounds(unsigned long iters, uint64_t pages)
{
	static uint64_t stamp;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		uint64_t a = 0;

		if (bench_check(capos_vm_reserve(vm_cap, pages, 0, &a) == 0 &&
		                    a != 0,
		                "VirtualMemory.reserve failed") ||
		    bench_check(capos_vm_commit(vm_cap, a, pages) == 0,
		                "VirtualMemory.commit failed")) {
			bad++;
			continue;
		}
		bad += bench_touch_pages((volatile uint64_t *)(uintptr_t)a,
		                         pages, stamp += pages);
		bad += bench_check(capos_vm_unmap(vm_cap, a, pages) == 0,
		                   "VirtualMemory.unmap failed");
	}
	return bad;
}

static unsigned long
vm_page(unsigned long iters)
{
	return vm_rounds(iters, 1);
}

static unsigned long
vm_1m(unsigned long iters)
{
	return vm_rounds(iters, MIB_PAGES);
}

/*
 * shm_1m: 1 MiB handed from this process to another.  A MemoryObject of
 * 256 pages is mapped read-write here and read-only in a peer (a copy of
 * this program, granted the object and VirtualMemory at spawn, with an
 * endpoint "shm").  Per operation this side writes a fresh sequence
 * number into the first word of every page and CALLs the peer
 * (Echo.echo, no data); the peer, counting the calls, checks that all
 * 256 words carry the number and RETURNs the params, or exits when a
 * word is wrong (the call then fails).  Linux: the same over a memfd mapped in both processes
 * (memfd_1m), and the whole 1 MiB written into a pipe and read out of it
 * (pipe_1m).
 */
static capos_capid_t shm_client;
static volatile uint64_t *shm_buf;

/* The peer: maps the object read-only, then serves as serve_raw does;
 * it exits on any error. */
static void __attribute__((noreturn)) serve_shm(capos_capid_t owner)
{
	static uint8_t msg[256] __attribute__((aligned(8)));
	const struct capos_recv_header *h = (const void *)msg;
	struct capos_sqe recv = {
	    .opcode = CAPOS_OP_RECV,
	    .cap = owner,
	    .user_data = USER_DATA_RECV,
	    .result_addr = (uint64_t)(uintptr_t)msg,
	    .result_len = sizeof(msg),
	};
	struct capos_sqe ret = {.opcode = CAPOS_OP_RETURN,
	                        .cap = owner,
	                        .user_data = USER_DATA_RETURN};
	capos_capid_t vm, obj;
	const volatile uint64_t *p;
	uint64_t a = 0, seq = 0;

	if (capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm) ||
	    capos_capset_find("mo", capos_MemoryObject_TYPE_ID, &obj) ||
	    capos_vm_map(vm, obj, 0, CAPOS_PROT_READ, &a))
		capos_exit(4);
	p = (const volatile uint64_t *)(uintptr_t)a;
	sq_push(&recv);
	for (;;) {
		struct capos_cqe c;

		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
		if (!cq_pop(&c))
			capos_exit(2);
		if (c.result < 0)
			capos_exit(3);
		if (c.user_data == USER_DATA_RETURN)
			continue;
		if (!bench_pages_carry(p, MIB_PAGES, ++seq))
			capos_exit(5);
		ret.call_id = h->call_id;
		ret.params_addr = (uint64_t)(uintptr_t)(h + 1);
		ret.params_len = h->params_len;
		sq_push(&ret);
		sq_push(&recv);
	}
}

/* The object, mapped here, and the peer with its endpoint; 0 or an
 * error. */
static int
shm_start(void)
{
	struct capos_spawn_limits lim = {.frames = 256};
	struct capos_spawn_endpoint ep = {"shm", capos_Echo_TYPE_ID};
	capos_capid_t obj, handle;
	uint64_t a = 0;
	int err;

	err = capos_frames_allocate(frames_cap, MIB_PAGES, &obj);
	if (!err)
		err = capos_vm_map(vm_cap, obj, 0, CAPOS_PROT_READ_WRITE, &a);
	if (!err) {
		struct capos_spawn_grant g[] = {{"vm", vm_cap}, {"mo", obj}};

		/* The handle is kept: the peer serves until the end. */
		err = capos_spawn(spawner, "shm_peer", "ringbench", g, 2, &ep,
		                  1, &lim, &handle, &shm_client);
	}
	shm_buf = (volatile uint64_t *)(uintptr_t)a;
	prepare_echo(0, 0);
	return err;
}

static unsigned long
shm_1m(unsigned long iters)
{
	static uint64_t seq;
	uint32_t len = echo_params_len[0];
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = shm_client,
	    .method = capos_Echo_METHOD_echo,
	    .interface_id = capos_Echo_TYPE_ID,
	    .user_data = USER_DATA_ECHO,
	    .params_addr = (uint64_t)(uintptr_t)echo_params[0],
	    .params_len = len,
	    .result_addr = (uint64_t)(uintptr_t)ipc_result,
	    .result_len = sizeof(ipc_result),
	};
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		struct capos_cqe c;

		bench_stamp_pages(shm_buf, MIB_PAGES, ++seq);
		sq_push(&sqe);
		bad += bench_check(
		    capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE) >= 1,
		    "cap_enter returned fewer than 1 completion");
		if (bench_check(cq_pop(&c), "completion missing")) {
			bad++;
			continue;
		}
		bad += bench_check(c.user_data == USER_DATA_ECHO,
		                   "completion of another request") ||
		       bench_check(c.result == (int32_t)len,
		                   "the call failed (the peer ends when a "
		                   "page lacks this round's number)");
	}
	return bad;
}

/* The memory rows; 0, or 1 when one failed. */
static int
memory_rows(void)
{
	int err, failed = 0;

	err = capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm_cap);
	if (!err)
		err = capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
		                        &frames_cap);
	if (err) {
		printf("BENCH_ERROR vm_page: %s\n"
		       "BENCH_ERROR vm_1m: %s\n"
		       "BENCH_ERROR shm_1m: %s\n",
		       capos_strerror(err), capos_strerror(err),
		       capos_strerror(err));
		return 1;
	}
	failed |= bench_run("vm_page", vm_page, ITERS / 2, 1);
	failed |= bench_run("vm_1m", vm_1m, MIB_ITERS, 1);
	err = spawner ? shm_start() : CAPOS_E_BAD_CAP;
	if (err) {
		printf("BENCH_ERROR shm_1m: %s\n", capos_strerror(err));
		return 1;
	}
	failed |= bench_run("shm_1m", shm_1m, MIB_ITERS, 1);
	return failed;
}

/*
 * The C library rows: libcbench (bench/libc) prints its own BENCH lines
 * on the Console; its exit code says whether a row failed.  It gets what
 * musl's printf, malloc and clocks use.
 */
static int
libc_rows(capos_capid_t timer)
{
	capos_capid_t console, handle;
	int32_t code = -1;
	int err;

	err = capos_capset_find("console", capos_Console_TYPE_ID, &console);
	if (!err) {
		struct capos_spawn_grant g[] = {
		    {"console", console}, {"vm", vm_cap}, {"timer", timer}};

		err = capos_spawn(spawner, "libcbench", "libcbench", g, 3, NULL,
		                  0, NULL, &handle, NULL);
	}
	if (!err) {
		err = capos_handle_wait(handle, &code);
		capos_release(handle);
	}
	if (err || code != 0) {
		printf("BENCH_ERROR libc: libcbench did not run to its end "
		       "(%s, exit code %d)\n",
		       err ? capos_strerror(err) : "ran", code);
		return 1;
	}
	return 0;
}

int
main(void)
{
	uint64_t boot = bench_entry_tsc;
	capos_capid_t svc;
	capos_capid_t timer;
	uint64_t ns0 = 0, ns1 = 0, t0, t1;
	int err, pp_err, failed = 0;

	ring = capos_ring();
	if (capos_capset_find("svc", capos_Endpoint_TYPE_ID, &svc) == 0)
		serve_raw(svc);
	if (capos_capset_find("svc_rt", capos_Endpoint_TYPE_ID, &svc) == 0)
		serve_rt(svc);
	if (capos_capset_find("shm", capos_Endpoint_TYPE_ID, &svc) == 0)
		serve_shm(svc);
	err = capos_capset_find("null", capos_Null_TYPE_ID, &null_cap);
	if (!err)
		err = capos_capset_find("timer", capos_Timer_TYPE_ID, &timer);
	if (err) {
		printf("BENCH_ERROR setup: %s\n", capos_strerror(err));
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
	err = pp_err = pp_start();
	if (err == 0) {
		failed |= bench_run("park_rtt", park_rtt, ITERS / 2, 1);
	} else {
		printf("BENCH_ERROR park_rtt: %s\n", capos_strerror(err));
		failed = 1;
	}
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) == 0 &&
	    spawn("ringbench", "svc", &raw_handle, &raw_client) == 0 &&
	    spawn("ringbench", "svc_rt", &rt_handle, &rt_client) == 0) {
		prepare_echo(0, 0);
		prepare_echo(1, 64);
		failed |= bench_run("ipc_rtt0", ipc_rtt0, ITERS / 2, 1);
		failed |= bench_run("ipc_rtt64", ipc_rtt64, ITERS / 2, 1);
		failed |= bench_run("ipc_rtt0_rt", ipc_rtt0_rt, ITERS / 2, 1);
		failed |= bench_run("ipc_rtt64_rt", ipc_rtt64_rt, ITERS / 2, 1);
		failed |= bench_run("ipc_xfer", ipc_xfer, ITERS / 2, 1);
		failed |= bench_run("spawn_wait", spawn_wait, 20, 1);
	} else {
		printf("BENCH_ERROR ipc: no spawner or a server did not "
		       "start\n");
		failed = 1;
	}
	/* The thread rows last: they change the kernel heap's layout the
	 * rows above were measured with. */
	err = capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                        &threads_cap);
	if (err == 0) {
		failed |= bench_run("thread_create_join", thread_create_join,
		                    TCJ_ITERS, 1);
	} else {
		printf("BENCH_ERROR thread_create_join: %s\n",
		       capos_strerror(err));
		failed = 1;
	}
	if (!avx_usable()) {
		printf("BENCH_ERROR switch_avx_clean: AVX is not usable "
		       "(CPUID, XCR0)\n"
		       "BENCH_ERROR switch_avx_live: AVX is not usable (CPUID, "
		       "XCR0)\n");
		failed = 1;
	} else if ((err = pp_err ? pp_err : sw_start()) != 0) {
		printf("BENCH_ERROR switch_avx_clean: %s\n"
		       "BENCH_ERROR switch_avx_live: %s\n",
		       capos_strerror(err), capos_strerror(err));
		failed = 1;
	} else {
		failed |= bench_run("switch_avx_clean", switch_avx_clean,
		                    ITERS / 2, 1);
		failed |=
		    bench_run("switch_avx_live", switch_avx_live, ITERS / 2, 1);
	}
	/* The memory rows last: they grow the process's own page tables
	 * and region list, which the rows above never had. */
	failed |= memory_rows();
	failed |= libc_rows(timer);
	printf("BENCH boot_reset_to_user %lu %lu %lu ticks\n",
	       (unsigned long)boot, (unsigned long)boot, (unsigned long)boot);

	t1 = bench_tsc();
	capos_timer_now(timer, &ns1);
	printf("BENCH_CLOCK %lu %lu\n", (unsigned long)(t1 - t0),
	       (unsigned long)(ns1 - ns0));
	printf("BENCH_DONE\n");
	return failed ? 1 : 0;
}
