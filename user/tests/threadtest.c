/*
 * threadtest: threads of one process (boot suite case user-threads,
 * run=threadtest).  The main thread uses libcapos; the threads it spawns
 * drive their own ring pages by hand (ring_raw.h), with the addresses
 * the thread entry ABI gives them.
 *
 * - four threads each make pings and a sleep through their own ring and
 *   see only their own completions; each enters with its ring slot, arg,
 *   stack and TLS pointer as the ABI says, and join returns the value
 *   each passed to ThreadControl.exit;
 * - setFsBase moves the calling thread's FS base;
 * - bad addresses are invalidArgument, before any thread exists;
 * - spawn+join cycles past the thread limit: ending returns the thread
 *   and its ring slot;
 * - a released handle detaches its thread, which runs on to its end;
 * - a ThreadHandle cannot be sent anywhere (BAD_XFER);
 * - FP/SIMD state is per thread: threads start with the default control
 *   words, and four threads spinning with registers of their own loaded
 *   are preempted in favour of each other and get every register back;
 * - last, a storm of threads blocked in cap_enter and Timer.sleep stops
 *   at the limit with QUOTA, and the process's exit ends them all (the
 *   supervisor's ledger checks then find everything back).
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"
#include "fp_regs.h"
#include "ring_raw.h"

#define NWORKERS      4
#define NPINGS        12
#define BATCH         4
#define STACK_WORDS   512
#define MS            1000000ull
#define CYCLES        300 /* more than any process's thread limit */
#define STORM_MAX     512
#define FP_CHUNKS     3 /* register sets per thread, each held across a switch */
#define FP_SPIN_MAX   200000000ull /* turns before a spinner gives up */
#define FP_SPIN_SLICE 1000000ull   /* turns between looks at fp_spinners */

/* What a worker was given and what it saw; the main thread reads it
 * after join. */
struct worker {
	uint64_t tag;
	capos_capid_t null, timer, control;
	/* Framed params, built by the main thread. */
	uint8_t sleep_params[64] __attribute__((aligned(8)));
	uint32_t sleep_len;
	uint8_t exit_params[64] __attribute__((aligned(8)));
	uint32_t exit_len;
	uint8_t fs_params[64] __attribute__((aligned(8)));
	uint32_t fs_len;
	/* Seen at entry and after. */
	uint64_t ring, slot, fs_word, fs_word_after;
	uint32_t own, foreign, failed, slept;
	volatile uint32_t done; /* counted before exit */
	/* FP/SIMD: the control words at entry, the register sets that
	 * were held across a switch, the first difference found. */
	uint16_t fcw0;
	uint32_t mxcsr0, fp_held, fp_alone;
	char fp_why[48];
	struct fp_regs fp_want, fp_got;
	/* TLS: a TCB whose first word points at itself, and a second one
	 * for setFsBase. */
	uint64_t tcb[2], tcb2[2];
	uint64_t stack[STACK_WORDS] __attribute__((aligned(16)));
};

static struct worker workers[NWORKERS + 2];
static struct capos_call c, scratch;
static capos_capid_t spawner, control, null, timer;
static volatile uint32_t detached_done;
static volatile uint32_t fp_last_runner;
/* Spinners not yet done: one left alone has no other to wait for (with
 * several CPUs the others may all have finished while it still holds). */
static volatile uint32_t fp_spinners;
static bool avx;

/* --- the threads' side: raw ring use ------------------------------------ */

void thread_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
    __attribute__((used, noreturn));
void storm_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
    __attribute__((used, noreturn));
void fp_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
    __attribute__((used, noreturn));
THREAD_RAW_ENTRY(thread_entry, thread_main);
THREAD_RAW_ENTRY(storm_entry, storm_main);
THREAD_RAW_ENTRY(fp_entry, fp_main);

static void
check_cqe(struct worker *w, struct capos_cqe cqe)
{
	if ((cqe.user_data >> 32) != w->tag)
		w->foreign++;
	else if (cqe.result < 0)
		w->failed++;
	else
		w->own++;
}

static uint64_t
read_fs0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static void __attribute__((noreturn))
raw_exit(struct capos_ring_page *ring, struct worker *w)
{
	w->done = 1;
	raw_call(ring, w->control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_exit, w->tag << 32, w->exit_params,
	         w->exit_len);
	capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
	/* Never here: the thread is gone.  A hang fails the run. */
	for (;;)
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
}

void
thread_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
{
	uint32_t i, j;

	w->ring = (uint64_t)(uintptr_t)ring;
	w->slot = slot;
	w->fs_word = read_fs0();
	for (i = 0; i < NPINGS; i += BATCH) {
		for (j = 0; j < BATCH; j++)
			raw_call(ring, w->null, capos_Null_TYPE_ID,
			         capos_Null_METHOD_ping, w->tag << 32 | (i + j),
			         NULL, 0);
		for (j = 0; j < BATCH; j++)
			check_cqe(w, raw_reap(ring));
	}
	raw_call(ring, w->timer, capos_Timer_TYPE_ID, capos_Timer_METHOD_sleep,
	         w->tag << 32 | 99, w->sleep_params, w->sleep_len);
	{
		struct capos_cqe cqe = raw_reap(ring);

		check_cqe(w, cqe);
		w->slept = (cqe.user_data & 0xffffffffu) == 99;
	}
	raw_call(ring, w->control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_setFsBase, w->tag << 32 | 100,
	         w->fs_params, w->fs_len);
	check_cqe(w, raw_reap(ring));
	w->fs_word_after = read_fs0();
	__atomic_sub_fetch(&fp_spinners, 1, __ATOMIC_RELEASE);
	raw_exit(ring, w);
}

/* Reads the control words first, then holds FP_CHUNKS register sets of
 * its own, each until another spinner has run in between. */
void
fp_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
{
	uint32_t k;

	(void)slot;
	__asm__ volatile("stmxcsr %0\n\tfnstcw %1"
	                 : "=m"(w->mxcsr0), "=m"(w->fcw0));
	for (k = 0; k < FP_CHUNKS; k++) {
		uint64_t turns = 0;
		uint32_t seen = 0;

		fp_fill(&w->fp_want, w->tag << 32 ^ k, (unsigned)(w->tag + k),
		        avx);
		/* In slices, so a spinner left alone stops waiting; the
		 * registers checked are those of the last slice. */
		do {
			seen = spin_holding(&w->fp_want, &w->fp_got, avx,
			                    &fp_last_runner, (uint32_t)w->tag,
			                    1, FP_SPIN_SLICE);
			turns += FP_SPIN_SLICE;
		} while (!seen && turns < FP_SPIN_MAX &&
		         __atomic_load_n(&fp_spinners, __ATOMIC_ACQUIRE) > 1);
		if (seen)
			w->fp_held++;
		else if (__atomic_load_n(&fp_spinners, __ATOMIC_ACQUIRE) <= 1)
			w->fp_alone++;
		if (!w->fp_why[0] && fp_differs(&w->fp_want, &w->fp_got,
		                                w->fp_why, sizeof(w->fp_why)))
			break;
	}
	raw_exit(ring, w);
}

/* A storm thread waits in the kernel until its process ends: half of
 * them in cap_enter with nothing to wait for, half in a long sleep. */
void
storm_main(struct capos_ring_page *ring, struct worker *w, uint64_t slot)
{
	if (slot % 2)
		raw_call(ring, w->timer, capos_Timer_TYPE_ID,
		         capos_Timer_METHOD_sleep, 1, w->sleep_params,
		         w->sleep_len);
	for (;;)
		capos_sys_cap_enter(2, CAPOS_TIMEOUT_INFINITE);
}

/* --- the main thread ----------------------------------------------------- */

static uint32_t
frame(struct capos_call *b, uint8_t *out, size_t cap)
{
	size_t len = 0;

	if (capnp_frame_write(&b->params, out, cap, &len))
		return 0;
	return (uint32_t)len;
}

static void
prepare(struct worker *w, uint64_t tag, uint64_t sleep_ns)
{
	capos_Timer_sleep_Params_builder sp;
	capos_ThreadControl_exit_Params_builder ep;
	capos_ThreadControl_setFsBase_Params_builder fp;

	memset(w, 0, sizeof(*w));
	w->tag = tag;
	w->null = null;
	w->timer = timer;
	w->control = control;
	w->tcb[0] = (uint64_t)(uintptr_t)w->tcb;
	w->tcb2[0] = (uint64_t)(uintptr_t)w->tcb2;
	sp = capos_Timer_sleep_begin(&scratch);
	capos_Timer_sleep_Params_set_ns(sp, sleep_ns);
	w->sleep_len =
	    frame(&scratch, w->sleep_params, sizeof(w->sleep_params));
	ep = capos_ThreadControl_exit_begin(&scratch);
	capos_ThreadControl_exit_Params_set_value(ep, 1000 + tag);
	w->exit_len = frame(&scratch, w->exit_params, sizeof(w->exit_params));
	fp = capos_ThreadControl_setFsBase_begin(&scratch);
	capos_ThreadControl_setFsBase_Params_set_base(
	    fp, (uint64_t)(uintptr_t)w->tcb2);
	w->fs_len = frame(&scratch, w->fs_params, sizeof(w->fs_params));
}

static int
spawn_worker(struct worker *w, void (*entry)(void), capos_capid_t *handle)
{
	return capos_thread_spawn(spawner, (uint64_t)(uintptr_t)entry,
	                          (uint64_t)(uintptr_t)w,
	                          (uint64_t)(uintptr_t)(w->stack + STACK_WORDS),
	                          (uint64_t)(uintptr_t)w->tcb, handle);
}

static void
test_workers(void)
{
	capos_capid_t h[NWORKERS];
	uint64_t v;
	uint32_t i, k, spawned = 0, joined = 0, own = 0, foreign = 0,
	               failed = 0, slept = 0, abi = 0, tls = 0, distinct = 1;
	int err;

	for (i = 0; i < NWORKERS; i++) {
		prepare(&workers[i], i + 1, 2 * MS);
		err = spawn_worker(&workers[i], thread_entry, &h[i]);
		if (err == 0)
			spawned++;
		else
			printf("spawn %u: %s\n", i, capos_strerror(err));
	}
	ktest_check(spawned == NWORKERS, "spawn.four", "%u of %u spawned",
	            spawned, NWORKERS);
	for (i = 0; i < NWORKERS; i++) {
		struct worker *w = &workers[i];

		if (!h[i])
			continue;
		err = capos_thread_handle_join(h[i], &v);
		if (err == 0 && v == 1000 + w->tag)
			joined++;
		else
			printf("join %u: %s, value %lu\n", i,
			       capos_strerror(err), (unsigned long)v);
		own += w->own;
		foreign += w->foreign;
		failed += w->failed;
		slept += w->slept;
		abi += w->slot != 0 && w->slot < CAPOS_USER_RING_SLOTS &&
		       w->ring == CAPOS_USER_RING_SLOT_ADDR(w->slot);
		tls += w->fs_word == (uint64_t)(uintptr_t)w->tcb &&
		       w->fs_word_after == (uint64_t)(uintptr_t)w->tcb2;
		for (k = 0; k < i; k++)
			if (workers[k].slot == w->slot)
				distinct = 0;
		capos_release_sync(h[i]);
	}
	ktest_check(joined == NWORKERS, "join.exit_values",
	            "%u of %u joined with their exit value", joined, NWORKERS);
	ktest_check(own == NWORKERS * (NPINGS + 2) && foreign == 0 &&
	                failed == 0,
	            "ring.own_completions_only",
	            "%u own, %u foreign, %u failed", own, foreign, failed);
	ktest_check(slept == NWORKERS, "ring.sleep_completes", "%u slept",
	            slept);
	ktest_check(abi == NWORKERS && distinct, "entry.ring_slot",
	            "%u threads found their ring at their slot, distinct %u",
	            abi, distinct);
	ktest_check(tls == NWORKERS, "entry.tls_and_set_fs_base",
	            "%u threads saw their FS base, then the one they set", tls);
}

static void
test_fp(void)
{
	capos_capid_t h[NWORKERS];
	uint32_t i, joined = 0, defaults = 0, held = 0, alone = 0, bad = 0;
	uint64_t v;

	fp_spinners = NWORKERS;
	for (i = 0; i < NWORKERS; i++) {
		prepare(&workers[i], 10 + i, MS);
		if (spawn_worker(&workers[i], fp_entry, &h[i]))
			h[i] = 0;
	}
	for (i = 0; i < NWORKERS; i++) {
		struct worker *w = &workers[i];

		if (!h[i] || capos_thread_handle_join(h[i], &v) ||
		    v != 1000 + w->tag)
			continue;
		joined++;
		capos_release_sync(h[i]);
		defaults += w->fcw0 == 0x037f && w->mxcsr0 == 0x1f80;
		held += w->fp_held;
		alone += w->fp_alone;
		if (w->fp_why[0]) {
			bad++;
			printf("threadtest: thread %u: %s\n", i, w->fp_why);
		}
	}
	ktest_check(joined == NWORKERS, "fp.threads_joined", "%u of %u", joined,
	            NWORKERS);
	ktest_check(defaults == NWORKERS, "fp.thread_starts_with_defaults",
	            "%u of %u threads began with FCW 0x37f and MXCSR 0x1f80",
	            defaults, NWORKERS);
	/* Each set is held until another spinner has run; only the last
	 * spinner, the others done (on several CPUs they may finish first),
	 * has none to wait for, and at most for its own sets. */
	ktest_check(held + alone == NWORKERS * FP_CHUNKS &&
	                alone <= FP_CHUNKS && held >= NWORKERS,
	            "fp.held_across_switches",
	            "%u of %u register sets were held while another thread "
	            "ran, %u by the last spinner alone",
	            held, NWORKERS * FP_CHUNKS, alone);
	ktest_check(bad == 0, "fp.registers_kept_per_thread",
	            "%u threads found a register changed", bad);
}

static void
test_bad_args(void)
{
	struct worker *w = &workers[NWORKERS];
	uint64_t entry = (uint64_t)(uintptr_t)thread_entry;
	uint64_t top = (uint64_t)(uintptr_t)(w->stack + STACK_WORDS);
	capos_capid_t h;

	prepare(w, 50, 0);
	ktest_check_exception(capos_thread_spawn(spawner, 0, 0, top, 0, &h),
	                      capos_ExceptionType_invalidArgument,
	                      "spawn.entry_null");
	ktest_check_exception(
	    capos_thread_spawn(spawner, CAPOS_KERNEL_BASE, 0, top, 0, &h),
	    capos_ExceptionType_invalidArgument, "spawn.entry_kernel");
	ktest_check_exception(
	    capos_thread_spawn(spawner, entry, 0, CAPOS_KERNEL_IMAGE_BASE, 0,
	                       &h),
	    capos_ExceptionType_invalidArgument, "spawn.stack_kernel");
	ktest_check_exception(
	    capos_thread_spawn(spawner, entry, 0, top - 8, 0, &h),
	    capos_ExceptionType_invalidArgument, "spawn.stack_misaligned");
	ktest_check_exception(
	    capos_thread_spawn(spawner, entry, 0, top, UINT64_MAX, &h),
	    capos_ExceptionType_invalidArgument, "spawn.tls_kernel");
}

/* Each thread ends before the next starts: its slot and its place in
 * the limit come back, so more threads than the limit run in turn. */
static void
test_cycles(void)
{
	struct worker *w = &workers[NWORKERS];
	capos_capid_t h;
	uint64_t v;
	uint32_t i, ok = 0;
	int err = 0;

	for (i = 0; i < CYCLES; i++) {
		prepare(w, 200 + i, 0);
		err = spawn_worker(w, thread_entry, &h);
		if (err)
			break;
		err = capos_thread_handle_join(h, &v);
		capos_release_sync(h);
		if (err || v != 1000 + 200 + i || w->slot != 1)
			break;
		ok++;
	}
	ktest_check(ok == CYCLES, "cycles.past_limit",
	            "%u of %u spawn+join cycles (%s)", ok, CYCLES,
	            capos_strerror(err));
}

/* A released handle detaches its thread: it runs on to its end. */
static void
test_detach(void)
{
	struct worker *w = &workers[NWORKERS + 1];
	capos_capid_t h;
	uint32_t i;
	int err;

	prepare(w, 77, 20 * MS);
	err = spawn_worker(w, thread_entry, &h);
	ktest_check_code(err, 0, "detach.spawn");
	if (err)
		return;
	ktest_check_code(capos_release_sync(h), 0, "detach.release");
	/* The thread sleeps 20 ms: wait for it, within a generous bound. */
	for (i = 0; i < 2000 && !w->done; i++)
		capos_timer_sleep(timer, MS);
	ktest_check(w->done && w->own == NPINGS + 2 && w->foreign == 0,
	            "detach.runs_on", "done %u, %u own, %u foreign", w->done,
	            w->own, w->foreign);
}

static void
test_not_transferable(void)
{
	struct worker *w = &workers[NWORKERS];
	capos_capid_t h;
	uint64_t v;
	int err;

	prepare(w, 88, 0);
	err = spawn_worker(w, thread_entry, &h);
	ktest_check_code(err, 0, "xfer.spawn");
	if (err)
		return;
	capos_Null_ping_begin(&c);
	capos_call_add_cap(&c, h, CAPOS_XFER_COPY);
	ktest_check_code(capos_Null_ping_send(&c, null), CAPOS_E_BAD_XFER,
	                 "xfer.handle_copy_refused");
	capos_Null_ping_begin(&c);
	capos_call_add_cap(&c, h, CAPOS_XFER_MOVE);
	ktest_check_code(capos_Null_ping_send(&c, null), CAPOS_E_BAD_XFER,
	                 "xfer.handle_move_refused");
	capos_Null_ping_begin(&c);
	capos_call_add_cap(&c, control, CAPOS_XFER_COPY);
	ktest_check_code(capos_Null_ping_send(&c, null), CAPOS_E_BAD_XFER,
	                 "xfer.control_refused");
	/* The handle is still ours. */
	err = capos_thread_handle_join(h, &v);
	ktest_check(err == 0 && v == 1088, "xfer.handle_kept", "join %s, %lu",
	            capos_strerror(err), (unsigned long)v);
	capos_release_sync(h);
}

static struct worker storm_shared;
static uint64_t storm_stacks[STORM_MAX][64] __attribute__((aligned(16)));

static void
test_storm(void)
{
	capos_capid_t h;
	uint32_t n = 0;
	int err = 0;

	prepare(&storm_shared, 300, 3600000 * MS);
	while (n < STORM_MAX) {
		err = capos_thread_spawn(
		    spawner, (uint64_t)(uintptr_t)storm_entry,
		    (uint64_t)(uintptr_t)&storm_shared,
		    (uint64_t)(uintptr_t)(storm_stacks[n] + 64), 0, &h);
		if (err)
			break;
		capos_release(h); /* detached: they end with the process */
		n++;
	}
	ktest_check(err == CAPOS_E_QUOTA && n > NWORKERS && n < STORM_MAX,
	            "storm.stops_at_quota", "%u threads, then %s", n,
	            capos_strerror(err));
	printf("threadtest: storm of %u threads, then %s\n", n,
	       capos_strerror(err));
}

int
main(void)
{
	ktest_prefix("threads.");
	if (capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("thread", capos_ThreadControl_TYPE_ID,
	                      &control) ||
	    capos_Null_find("null", &null) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		ktest_check(false, "caps", "a cap is missing");
		return ktest_failures();
	}
	avx = fp_cpu_has_avx();
	test_workers();
	test_fp();
	test_bad_args();
	test_cycles();
	test_detach();
	test_not_transferable();
	test_storm();
	printf("threadtest: %d failures\n", ktest_failures());
	/* The storm threads are still blocked: exit ends them all. */
	return ktest_failures();
}
