/*
 * The in-guest ring suite: every opcode, bad cap ids, bad buffers, a
 * corrupted ring header, reserved and unknown opcodes, a full completion
 * queue, timeouts and sleeps.  Each check prints "KTEST ok NAME" or
 * "KTEST not ok NAME: why"; the exit code is the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"

#define MS 1000000ull

static capos_capid_t console, timer, null;

static uint64_t
now(void)
{
	uint64_t ns = 0;

	capos_timer_now(timer, &ns);
	return ns;
}

static void
test_nop(void)
{
	struct capos_sqe sqe = {.opcode = CAPOS_OP_NOP, .user_data = 0};
	struct capos_cqe cqe;
	struct capos_ring_page *r = capos_ring();
	uint64_t tags[16];
	int i, seen = 0;
	int64_t n;

	sqe.user_data = 0xfeedf00d;
	capos_submit(&sqe);
	ktest_check(capos_wait(0xfeedf00d, 100 * MS, &cqe) == 0 &&
	                cqe.result == 0 && cqe.user_data == 0xfeedf00d,
	            "nop.single", "result %d", cqe.result);

	/* Sixteen in one submission: one cap_enter completes them all. */
	for (i = 0; i < 16; i++) {
		sqe.user_data = tags[i] = capos_next_tag();
		capos_submit(&sqe);
	}
	n = capos_sys_cap_enter(16, 100 * MS);
	ktest_check(n == 16, "nop.batch_of_16", "cap_enter returned %ld",
	            (long)n);
	for (i = 0; i < 16; i++)
		if (capos_wait(tags[i], 0, &cqe) == 0 && cqe.result == 0)
			seen++;
	ktest_check(seen == 16, "nop.batch_each_completed", "%d of 16", seen);
	ktest_check(r->hdr.sq_head == r->hdr.sq_tail, "nop.sq_drained",
	            "head %u tail %u", r->hdr.sq_head, r->hdr.sq_tail);
}

/* A call through libcapos with params[0, len) and its answer in
 * res[0, res_cap); its result code. */
static int
call(capos_capid_t cap, uint64_t iface, uint16_t method, const void *params,
     uint32_t len, void *res, uint32_t res_cap)
{
	struct capos_call_desc d = {
	    .cap = cap,
	    .method = method,
	    .interface_id = iface,
	    .params = params,
	    .params_len = len,
	    .result = res,
	    .result_cap = res_cap,
	};
	struct capos_reply r;

	return capos_call(&d, &r);
}

static void
test_calls(void)
{
	uint8_t res[256] __attribute__((aligned(8)));
	uint64_t t1, t2;
	int r;

	ktest_check(
	    capos_console_write_line(console, "ring test: console works") == 0,
	    "call.console_write_line", "failed");
	ktest_check(capos_null_ping(null) == 0, "call.null", "failed");
	/* An empty answer needs no result buffer. */
	ktest_check_code(call(null, capos_Null_TYPE_ID, capos_Null_METHOD_ping,
	                      NULL, 0, NULL, 0),
	                 0, "call.no_result_buffer");
	ktest_check(capos_timer_now(timer, &t1) == 0 &&
	                capos_timer_now(timer, &t2) == 0 && t2 >= t1 && t1 > 0,
	            "call.timer_now_monotonic", "%lu then %lu",
	            (unsigned long)t1, (unsigned long)t2);

	r = call(null, capos_Null_TYPE_ID, 77, NULL, 0, res, sizeof(res));
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_unimplemented,
	            "call.unknown_method_unimplemented", "result %d type %d", r,
	            capos_last_exception()->type);
	r = call(console, capos_Console_TYPE_ID, 99, NULL, 0, res, sizeof(res));
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                strcmp(capos_last_exception()->message,
	                       "Console has no such method") == 0,
	            "call.exception_message", "result %d message '%s'", r,
	            capos_last_exception()->message);
	/* An exception that does not fit says how much room it needs. */
	r = call(console, capos_Console_TYPE_ID, 99, NULL, 0, res, 8);
	ktest_check(r == CAPOS_E_TRUNCATED, "call.exception_truncated",
	            "result %d", r);
	/* Garbage params are refused by the object, not the kernel. */
	memset(res, 0xee, 64);
	r = call(console, capos_Console_TYPE_ID, capos_Console_METHOD_writeLine,
	         res, 64, res, sizeof(res));
	ktest_check(r == CAPOS_E_APP_EXCEPTION &&
	                capos_last_exception()->type ==
	                    capos_ExceptionType_invalidArgument,
	            "call.garbage_params_invalid_argument", "result %d", r);
	/* An answer that does not fit the buffer offered, or an exception
	 * that does not decode, is refused as malformed. */
	{
		struct capos_call_desc d = {.result = res, .result_cap = 64};
		const struct capos_cqe lies[] = {
		    {.result = 65},
		    {.result = 56, .aux0 = 1},
		    {.result = 0, .aux0 = 1ull << 32},
		    {.result = CAPOS_E_APP_EXCEPTION, .aux0 = 65},
		    {.result = CAPOS_E_APP_EXCEPTION, .aux0 = 16},
		};
		struct capos_reply rep;
		uint32_t i, refused = 0;
		bool fits;

		memset(res, 0xee, 64);
		for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++)
			refused += capos_call_complete(&d, &lies[i], &rep) ==
			           CAPOS_E_BAD_FIELD;
		fits = capos_call_complete(
		           &d, &(struct capos_cqe){.result = 40, .aux0 = 1},
		           &rep) == 0 &&
		       rep.len == 40 && rep.ncaps == 1 &&
		       (const void *)rep.caps == (const void *)(res + 40);
		ktest_check(refused == i && fits, "call.answer_held_to_buffer",
		            "%u of %u refused, fitting one %s", refused, i,
		            fits ? "read" : "refused");
	}
	/* A result that does not fit is truncated, with the size needed. */
	{
		struct capos_cqe cqe = ktest_roundtrip(
		    (struct capos_sqe){.opcode = CAPOS_OP_CALL,
		                       .cap = timer,
		                       .method = capos_Timer_METHOD_now,
		                       .interface_id = capos_Timer_TYPE_ID,
		                       .result_addr = (uint64_t)(uintptr_t)res,
		                       .result_len = 4});

		ktest_check(cqe.result == CAPOS_E_TRUNCATED && cqe.aux0 > 4,
		            "call.result_truncated", "result %d need %lu",
		            cqe.result, (unsigned long)cqe.aux0);
	}
}

static void
test_cap_ids(void)
{
	struct capos_sqe call = {.opcode = CAPOS_OP_CALL,
	                         .method = capos_Null_METHOD_ping};
	capos_capid_t stale =
	    capos_capid_make(capos_capid_slot(null), capos_capid_gen(null) + 1);

	call.cap = stale;
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP,
	            "cap.stale_generation", "accepted");
	call.cap = capos_capid_make(capos_capid_slot(null), 0);
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP,
	            "cap.forged_generation_0", "accepted");
	call.cap = capos_capid_make(4000, 1);
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP,
	            "cap.slot_out_of_range", "accepted");
	call.cap = capos_capid_make(200, 1);
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP, "cap.empty_slot",
	            "accepted");
	call.cap = 0;
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP, "cap.zero",
	            "accepted");
}

static void
test_release(void)
{
	struct capos_sqe call = {.opcode = CAPOS_OP_CALL,
	                         .method = capos_Null_METHOD_ping};
	capos_capid_t saved = null;

	ktest_check(capos_release_sync(null) == 0, "release.ok", "failed");
	call.cap = saved;
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_CAP,
	            "release.cap_gone", "released cap still answers");
	ktest_check(capos_release_sync(saved) == CAPOS_E_BAD_CAP,
	            "release.twice_refused", "second release accepted");
	/* A queued release goes out with the next submission. */
	capos_release(timer);
	ktest_check(capos_null_ping(saved) == CAPOS_E_BAD_CAP &&
	                capos_timer_now(timer, &(uint64_t){0}) ==
	                    CAPOS_E_BAD_CAP,
	            "release.queued_flushed", "timer still usable");
}

static void
test_buffers(void)
{
	static const char rodata[64] = "read-only";
	uint8_t buf[64];
	struct capos_sqe call = {.opcode = CAPOS_OP_CALL,
	                         .cap = 0,
	                         .method = capos_Console_METHOD_write};
	struct {
		const char *name;
		uint64_t addr;
		uint32_t len;
		int32_t want;
	} params[] = {
	    {"params_null", 0, 16, CAPOS_E_BAD_BUFFER},
	    {"params_kernel_address", 0xffff800000001000ull, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"params_kernel_image", 0xffffffff80100000ull, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"params_unmapped", 0x0000000500000000ull, 16, CAPOS_E_BAD_BUFFER},
	    {"params_below_user", 0x1000, 16, CAPOS_E_BAD_BUFFER},
	    {"params_wrapping", 0xfffffffffffff000ull, 0x2000,
	     CAPOS_E_BAD_BUFFER},
	    {"params_past_user_end", 0x00007ffffffff000ull - 8, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"params_too_long", (uint64_t)(uintptr_t)buf, CAPOS_PARAMS_MAX + 1,
	     CAPOS_E_TOO_LONG},
	    {"params_address_without_length", (uint64_t)(uintptr_t)buf, 0,
	     CAPOS_E_BAD_BUFFER},
	};
	unsigned i;

	call.cap = console;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		char name[64];
		int32_t r;

		call.params_addr = params[i].addr;
		call.params_len = params[i].len;
		r = ktest_result_of(call);
		fmt_snprintf(name, sizeof(name), "buffer.%s", params[i].name);
		ktest_check(r == params[i].want, name, "result %d, wanted %d",
		            r, params[i].want);
	}
	call.params_addr = 0;
	call.params_len = 0;
	call.cap = timer;
	call.method = capos_Timer_METHOD_now;
	call.interface_id = capos_Timer_TYPE_ID;
	call.result_addr = (uint64_t)(uintptr_t)rodata;
	call.result_len = sizeof(rodata);
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_BUFFER,
	            "buffer.result_read_only",
	            "kernel wrote into read-only memory");
	call.result_addr = CAPOS_USER_CAPSET_ADDR;
	call.result_len = 64;
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_BUFFER,
	            "buffer.result_capset_page",
	            "kernel wrote into the CapSet");
	call.result_addr = 0xffff800000100000ull;
	ktest_check(ktest_result_of(call) == CAPOS_E_BAD_BUFFER,
	            "buffer.result_kernel_address", "accepted");
	call.result_addr = (uint64_t)(uintptr_t)buf;
	call.result_len = CAPOS_RESULT_MAX + 1;
	ktest_check(ktest_result_of(call) == CAPOS_E_TOO_LONG,
	            "buffer.result_too_long", "accepted");
	ktest_check(strcmp(rodata, "read-only") == 0, "buffer.rodata_intact",
	            "read-only data changed");
}

static void
test_opcodes(void)
{
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = 0}) ==
	                CAPOS_E_BAD_OPCODE,
	            "opcode.zero", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = 200}) ==
	                CAPOS_E_BAD_OPCODE,
	            "opcode.unknown", "accepted");
	/* PARK and UNPARK are served: with every field zero they name no
	 * cap. */
	ktest_check(ktest_result_of((struct capos_sqe){
	                .opcode = CAPOS_OP_PARK}) == CAPOS_E_BAD_CAP,
	            "opcode.park_zeroed", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){
	                .opcode = CAPOS_OP_UNPARK}) == CAPOS_E_BAD_CAP,
	            "opcode.unpark_zeroed", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_NOP,
	                                               .flags = 0x80}) ==
	                CAPOS_E_BAD_FLAGS,
	            "opcode.unknown_flag", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_NOP,
	                                               .reserved = 1}) ==
	                CAPOS_E_BAD_FIELD,
	            "opcode.reserved_field", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                               .cap = console}) ==
	                CAPOS_E_NOT_SUPPORTED,
	            "opcode.recv_on_kernel_object", "accepted");
	ktest_check(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = console, .call_id = 1}) ==
	        CAPOS_E_NOT_SUPPORTED,
	    "opcode.return_on_kernel_object", "accepted");
	ktest_check(ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                               .cap = 0x7777}) ==
	                CAPOS_E_BAD_CAP,
	            "opcode.recv_bad_cap", "accepted");
}

/* Printing uses the ring, so each damaged index is repaired before the
 * check that reports on it. */
static void
test_corrupt_header(void)
{
	struct capos_ring_header *h = &capos_ring()->hdr;
	uint32_t tail = h->sq_tail, head = h->cq_head, status;
	int64_t r, r2;

	h->sq_tail = h->sq_head + 100;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	h->sq_tail = tail;
	r2 = capos_sys_cap_enter(0, 0);
	ktest_check(r == CAPOS_E_RING_CORRUPT &&
	                (status & CAPOS_RING_STATUS_SQ_CORRUPT),
	            "corrupt.sq_tail_detected", "cap_enter %ld status %#x",
	            (long)r, status);
	ktest_check(r2 == 0, "corrupt.sq_repaired", "cap_enter %ld", (long)r2);

	/* A cap_enter that would wait reports the corruption instead. */
	tail = h->sq_tail;
	h->sq_tail = h->sq_head + 100;
	r = capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
	h->sq_tail = tail;
	r2 = capos_sys_cap_enter(0, 0);
	ktest_check(r == CAPOS_E_RING_CORRUPT && r2 == 0,
	            "corrupt.waiting_enter_reports", "cap_enter %ld, then %ld",
	            (long)r, (long)r2);

	h->cq_head = h->cq_tail + 5;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	h->cq_head = head;
	ktest_check(r == CAPOS_E_RING_CORRUPT &&
	                (status & CAPOS_RING_STATUS_CQ_CORRUPT),
	            "corrupt.cq_head_detected", "cap_enter %ld status %#x",
	            (long)r, status);
	ktest_check(capos_null_ping(null) == 0 && h->status == 0,
	            "corrupt.cq_repaired", "ring unusable after repair");
	/* The kernel's own indices are not taken back from the page. */
	h->sq_head = 3;
	r = capos_null_ping(null);
	ktest_check(r == 0, "corrupt.kernel_index_ignored",
	            "a scribbled sq_head broke the ring (%ld)", (long)r);
}

/* 48 NOPs against a 32-entry CQ nobody reads: the kernel stops taking
 * SQEs while the CQ is full, so no completion is lost. */
static void
test_cq_full(void)
{
	struct capos_ring_page *r = capos_ring();
	uint64_t first = capos_next_tag();
	uint32_t i, seen = 0, ready, left;
	int64_t n;

	for (i = 0; i < 48; i++) {
		struct capos_sqe sqe = {.opcode = CAPOS_OP_NOP,
		                        .user_data = first + 1000 + i};

		if (i == 16 || i == 32)
			capos_sys_cap_enter(0, 0);
		/* Raw stores: the client would drain the CQ on its own. */
		if (r->hdr.sq_tail -
		        __atomic_load_n(&r->hdr.sq_head, __ATOMIC_ACQUIRE) ==
		    CAPOS_RING_SQ_ENTRIES)
			break;
		r->sq[r->hdr.sq_tail % CAPOS_RING_SQ_ENTRIES] = sqe;
		__atomic_store_n(&r->hdr.sq_tail, r->hdr.sq_tail + 1,
		                 __ATOMIC_RELEASE);
	}
	n = capos_sys_cap_enter(0, 0);
	/* Read everything before printing: printing uses the ring. */
	ready = r->hdr.cq_tail - r->hdr.cq_head;
	left = r->hdr.sq_tail - r->hdr.sq_head;
	ktest_check(i == 48 && n == 32 && ready == 32,
	            "cqfull.kernel_stops_at_32",
	            "submitted %u, cap_enter %ld, ready %u", i, (long)n, ready);
	ktest_check(left == 16, "cqfull.sq_kept_pending", "%u SQEs left", left);
	ktest_check(r->hdr.cq_overflow == 0, "cqfull.nothing_dropped",
	            "overflow %u", r->hdr.cq_overflow);
	for (i = 0; i < 48; i++) {
		struct capos_cqe cqe;

		if (capos_wait(first + 1000 + i, 100 * MS, &cqe) == 0)
			seen++;
	}
	ktest_check(seen == 48, "cqfull.all_completed_after_drain", "%u of 48",
	            seen);
}

static void
test_timeouts(void)
{
	struct capos_cqe cqe;
	uint64_t t0, t1, sleep_tag;
	struct capos_msgbuf mb;
	int64_t n;

	t0 = now();
	n = capos_sys_cap_enter(1, 0);
	ktest_check(n == 0, "timeout.zero_returns_at_once", "cap_enter %ld",
	            (long)n);
	t0 = now();
	n = capos_sys_cap_enter(1, 5 * MS);
	t1 = now();
	ktest_check(n == 0 && t1 - t0 >= 5 * MS && t1 - t0 < 500 * MS,
	            "timeout.5ms_waits", "cap_enter %ld after %lu ns", (long)n,
	            (unsigned long)(t1 - t0));
	ktest_check(capos_sys_cap_enter(33, 0) == CAPOS_E_BAD_ARG,
	            "timeout.min_complete_too_big", "accepted");

	t0 = now();
	ktest_check(
	    capos_timer_sleep(timer, 10 * MS) == 0 && now() - t0 >= 10 * MS,
	    "sleep.10ms", "woke after %lu ns", (unsigned long)(now() - t0));

	/* A sleep submitted first completes after a NOP submitted later. */
	capos_msg_begin(&mb);
	capos_Timer_sleep_Params_set_ns(
	    capos_Timer_sleep_Params_build_root(&mb.b), 20 * MS);
	capos_msg_end(&mb);
	sleep_tag = capos_next_tag();
	capos_submit(&(struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                                 .cap = timer,
	                                 .method = capos_Timer_METHOD_sleep,
	                                 .interface_id = capos_Timer_TYPE_ID,
	                                 .user_data = sleep_tag,
	                                 .params_addr = (uintptr_t)mb.framed,
	                                 .params_len = mb.framed_len});
	cqe = ktest_roundtrip((struct capos_sqe){.opcode = CAPOS_OP_NOP});
	ktest_check(cqe.result == 0 &&
	                capos_wait(sleep_tag, 0, &cqe) == CAPOS_E_TIMED_OUT,
	            "sleep.out_of_order_nop_first", "sleep finished first");
	ktest_check(capos_wait(sleep_tag, 1000 * MS, &cqe) == 0 &&
	                cqe.result == 0,
	            "sleep.completes_later", "result %d", cqe.result);
}

static void
test_syscalls(void)
{
	int64_t r;

	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "a"(99ull)
	                 : "rcx", "r11", "memory");
	ktest_check(r == CAPOS_E_NOSYS, "syscall.unknown_number",
	            "returned %ld", (long)r);
	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "a"(0ull)
	                 : "rcx", "r11", "memory");
	ktest_check(r == CAPOS_E_NOSYS, "syscall.zero", "returned %ld",
	            (long)r);
}

/* Another program spins forever; this one must still get the CPU. */
static void
test_no_starvation(void)
{
	uint64_t t0 = now();
	volatile uint64_t spin;
	int i;

	for (i = 0; i < 5; i++)
		capos_timer_sleep(timer, 2 * MS);
	for (spin = 0; spin < 2000000; spin++)
		;
	ktest_check(now() - t0 < 2000 * MS, "sched.not_starved",
	            "10 ms of sleeps took %lu ns", (unsigned long)(now() - t0));
}

int
main(void)
{
	ktest_prefix("ring.");
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null)) {
		printf("KTEST not ok ring.capset: a kernel cap is missing\n");
		return 1;
	}
	ktest_check(capos_capset_find("console", capos_Timer_TYPE_ID,
	                              &console) == CAPOS_E_NOT_SUPPORTED,
	            "capset.interface_checked", "wrong interface accepted");
	ktest_check(capos_capset_find("nothing", capos_Timer_TYPE_ID,
	                              &console) == CAPOS_E_BAD_CAP,
	            "capset.missing_name", "found something");
	capos_capset_find("console", capos_Console_TYPE_ID, &console);

	test_nop();
	test_calls();
	test_cap_ids();
	test_buffers();
	test_opcodes();
	test_corrupt_header();
	test_cq_full();
	test_timeouts();
	test_syscalls();
	test_no_starvation();
	test_release(); /* last: it gives up the caps */
	printf("ring test: %d failures\n", ktest_failures());
	return ktest_failures();
}
