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
 *   boot_reset_to_user  TSC at this program's first instruction: reset
 *                  (firmware, GRUB, kernel) up to the first user program
 *
 * The ring benches write SQEs and read CQEs with plain stores, as
 * ringtest's full-CQ test does, so they time the kernel path and not the
 * runtime's bookkeeping.  They start with an empty ring (printf waits for
 * its own completions) and leave it empty, so the runtime's view of the
 * indices stays right.
 */
#include "capos.h"

#include "capos.capnp.h"

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

static unsigned long
null_ping_rt(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += capos_null_ping(null_cap) != 0;
	return bad;
}

int
main(void)
{
	uint64_t boot = bench_entry_tsc;
	capos_capid_t timer;
	uint64_t ns0 = 0, ns1 = 0, t0, t1;
	int err, failed = 0;

	ring = capos_ring();
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
	printf("BENCH boot_reset_to_user %lu %lu %lu ticks\n",
	       (unsigned long)boot, (unsigned long)boot, (unsigned long)boot);

	t1 = bench_tsc();
	capos_timer_now(timer, &ns1);
	printf("BENCH_CLOCK %lu %lu\n", (unsigned long)(t1 - t0),
	       (unsigned long)(ns1 - ns0));
	printf("BENCH_DONE\n");
	return failed ? 1 : 0;
}
