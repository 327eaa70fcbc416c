/*
 * hostile_abi: the kernel/user ABI attacked field by field (docs/abi.md).
 *
 *   - the two syscalls: unknown numbers, cap_enter's arguments and
 *     timeouts, registers preserved;
 *   - the ring header: indices out of range in both directions, kernel
 *     words and the set-up line overwritten, recovery after repair;
 *   - every SQE field for every opcode: unknown and reserved opcodes,
 *     flag bits, unused and reserved fields, the validation order;
 *   - user buffers for params, results and transfer descriptors;
 *   - cap ids for every opcode that takes one, and transfer descriptors
 *     against kernel objects.
 *
 * Every case asserts the exact code it must get.  Checks print KTEST
 * lines; the exit code is the number of failures.  Run with
 * `test=user run=hostile_abi`.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"

#define MS 1000000ull

static capos_capid_t console, timer, null;
static struct capos_ring_page *R;

/* A buffer of exactly CAPOS_RESULT_MAX bytes, and one past a page end. */
static uint8_t big[CAPOS_RESULT_MAX] __attribute__((aligned(4096)));
static const char rodata[64] = "read-only";

/* --- helpers ------------------------------------------------------------ */

/* A check name built with printf formatting (ktest_check prints it at
 * once, so a static buffer will do). */
static const char *N(const char *fmtname, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
N(const char *fmtname, ...)
{
	static char name[96];
	va_list ap;

	va_start(ap, fmtname);
	fmt_vsnprintf(name, sizeof(name), fmtname, ap);
	va_end(ap);
	return name;
}

/* An answer buffer for calls whose params come from big. */
static uint8_t answer[256] __attribute__((aligned(8)));

/* Submits sqe with `answer` as its result buffer; returns its CQE. */
static struct capos_cqe
result_of_into(struct capos_sqe sqe)
{
	sqe.result_addr = (uintptr_t)answer;
	sqe.result_len = sizeof(answer);
	return ktest_roundtrip(sqe);
}

/* The call was taken and answered with an invalidArgument exception. */
static void
check_invalid(struct capos_cqe cqe, const char *name)
{
	struct capos_exception e;

	ktest_check(cqe.result == CAPOS_E_APP_EXCEPTION &&
	                capos_exception_decode(answer, cqe.aux0, &e) == 0 &&
	                e.type == capos_ExceptionType_invalidArgument,
	            name, "result %d (%s)", cqe.result,
	            capos_strerror(cqe.result));
}

/* Raw ring access, behind the runtime's back.  The runtime's CQ is empty
 * whenever a check has just been printed, and every raw CQE is taken
 * back before the next print. */
static void
raw_push(struct capos_sqe sqe)
{
	struct capos_ring_header *h = &R->hdr;

	R->sq[h->sq_tail % CAPOS_RING_SQ_ENTRIES] = sqe;
	__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
}

static bool
raw_pop(struct capos_cqe *cqe)
{
	struct capos_ring_header *h = &R->hdr;
	uint32_t tail = __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE);

	if (h->cq_head == tail)
		return false;
	*cqe = R->cq[h->cq_head % CAPOS_RING_CQ_ENTRIES];
	__atomic_store_n(&h->cq_head, h->cq_head + 1, __ATOMIC_RELEASE);
	return true;
}

/* Takes every raw CQE; returns how many there were. */
static uint32_t
raw_drain(void)
{
	struct capos_cqe cqe;
	uint32_t n = 0;

	while (raw_pop(&cqe))
		n++;
	return n;
}

static int64_t
sys2(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t r;

	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "a"(nr), "D"(a0), "S"(a1)
	                 : "rcx", "r11", "memory");
	return r;
}

static const struct capos_sqe nop_sqe = {.opcode = CAPOS_OP_NOP};

/* --- 1. syscalls ------------------------------------------------------- */

struct regs {
	uint64_t rax, rbx, rdx, rbp, rdi, rsi, r8, r9, r10, r12, r13, r14, r15;
};

/* regs_syscall(nr, out, a0, a1): loads a known value into every register
 * the ABI says is preserved, makes the syscall, and stores them all. */
void regs_syscall(uint64_t nr, struct regs *out, uint64_t a0, uint64_t a1);
__asm__(".text\n"
        ".globl regs_syscall\n"
        ".type regs_syscall, @function\n"
        "regs_syscall:\n"
        "	push %rbx\n	push %rbp\n	push %r12\n"
        "	push %r13\n	push %r14\n	push %r15\n"
        "	push %rsi\n"
        "	mov %rdi, %rax\n"
        "	mov %rdx, %rdi\n"
        "	mov %rcx, %rsi\n"
        "	movabs $0x1111111111111111, %rbx\n"
        "	movabs $0x2222222222222222, %rdx\n"
        "	movabs $0x3333333333333333, %rbp\n"
        "	movabs $0x4444444444444444, %r8\n"
        "	movabs $0x5555555555555555, %r9\n"
        "	movabs $0x6666666666666666, %r10\n"
        "	movabs $0x7777777777777777, %r12\n"
        "	movabs $0x8888888888888888, %r13\n"
        "	movabs $0x9999999999999999, %r14\n"
        "	movabs $0xaaaaaaaaaaaaaaaa, %r15\n"
        "	syscall\n"
        "	pop %r11\n"
        "	mov %rax, 0(%r11)\n	mov %rbx, 8(%r11)\n"
        "	mov %rdx, 16(%r11)\n	mov %rbp, 24(%r11)\n"
        "	mov %rdi, 32(%r11)\n	mov %rsi, 40(%r11)\n"
        "	mov %r8, 48(%r11)\n	mov %r9, 56(%r11)\n"
        "	mov %r10, 64(%r11)\n	mov %r12, 72(%r11)\n"
        "	mov %r13, 80(%r11)\n	mov %r14, 88(%r11)\n"
        "	mov %r15, 96(%r11)\n"
        "	pop %r15\n	pop %r14\n	pop %r13\n"
        "	pop %r12\n	pop %rbp\n	pop %rbx\n"
        "	ret\n"
        ".size regs_syscall, . - regs_syscall\n");

/* Which preserved register changed ("" when none). */
static const char *
regs_changed(const struct regs *r, uint64_t a0, uint64_t a1)
{
	if (r->rbx != 0x1111111111111111ull)
		return "rbx";
	if (r->rdx != 0x2222222222222222ull)
		return "rdx";
	if (r->rbp != 0x3333333333333333ull)
		return "rbp";
	if (r->r8 != 0x4444444444444444ull)
		return "r8";
	if (r->r9 != 0x5555555555555555ull)
		return "r9";
	if (r->r10 != 0x6666666666666666ull)
		return "r10";
	if (r->r12 != 0x7777777777777777ull)
		return "r12";
	if (r->r13 != 0x8888888888888888ull)
		return "r13";
	if (r->r14 != 0x9999999999999999ull)
		return "r14";
	if (r->r15 != 0xaaaaaaaaaaaaaaaaull)
		return "r15";
	if (r->rdi != a0)
		return "rdi";
	if (r->rsi != a1)
		return "rsi";
	return "";
}

static void
test_syscalls(void)
{
	static const struct {
		const char *name;
		uint64_t nr;
	} unknown[] = {
	    {"nr_0", 0},
	    {"nr_3", 3},
	    {"nr_4", 4},
	    {"nr_255", 255},
	    {"nr_2pow31", 0x80000000ull},
	    {"nr_cap_enter_with_high_bits", 0x100000001ull},
	    {"nr_exit_with_high_bits", 0xffffffff00000002ull},
	    {"nr_huge", 0x7fffffffffffffffull},
	    {"nr_minus_1", (uint64_t)-1},
	    {"nr_int64_min", 0x8000000000000000ull},
	};
	const uint64_t a0 = 0x0123456789abcdefull, a1 = 0xfedcba9876543210ull;
	struct capos_cqe cqe;
	struct regs regs;
	uint32_t head, ctail, head2, ctail2, n;
	int64_t r;
	unsigned i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *bad;

		regs_syscall(unknown[i].nr, &regs, a0, a1);
		bad = regs_changed(&regs, a0, a1);
		ktest_check_code((int32_t)(int64_t)regs.rax, CAPOS_E_NOSYS,
		                 N("syscall.%s.nosys", unknown[i].name));
		ktest_check(
		    *bad == '\0',
		    N("syscall.%s.registers_preserved", unknown[i].name),
		    "%s changed", bad);
	}

	/* cap_enter(0, 0) keeps every register but RAX, RCX and R11. */
	regs_syscall(CAPOS_SYS_CAP_ENTER, &regs, 0, 0);
	ktest_check(regs.rax == 0 && *regs_changed(&regs, 0, 0) == '\0',
	            "syscall.cap_enter.registers_preserved",
	            "returned %ld, %s changed", (long)regs.rax,
	            regs_changed(&regs, 0, 0));
	/* A blocking cap_enter (min 1, 1 ms) too. */
	regs_syscall(CAPOS_SYS_CAP_ENTER, &regs, 1, MS);
	ktest_check(regs.rax == 0 && *regs_changed(&regs, 1, MS) == '\0',
	            "syscall.cap_enter_timed_out.registers_preserved",
	            "returned %ld, %s changed", (long)regs.rax,
	            regs_changed(&regs, 1, MS));

	/* An unknown syscall changes nothing: a queued NOP stays queued. */
	head = R->hdr.sq_head;
	ctail = R->hdr.cq_tail;
	raw_push(nop_sqe);
	r = sys2(3, 1, 0);
	head2 = R->hdr.sq_head;
	ctail2 = R->hdr.cq_tail;
	n = (uint32_t)capos_sys_cap_enter(1, 0);
	raw_drain();
	ktest_check(r == CAPOS_E_NOSYS && head2 == head && ctail2 == ctail,
	            "syscall.nosys.sq_not_taken",
	            "returned %ld, sq_head %u->%u, cq_tail %u->%u", (long)r,
	            head, head2, ctail, ctail2);
	ktest_check(n == 1, "syscall.nosys.nop_taken_by_next_cap_enter",
	            "cap_enter returned %u", n);

	/* cap_enter's min_complete above the CQ size. */
	{
		static const struct {
			const char *name;
			uint64_t min;
		} mins[] = {
		    {"min_33", 33},
		    {"min_64", 64},
		    {"min_2pow32_plus_1", 0x100000001ull},
		    {"min_huge", 0x7fffffffffffffffull},
		    {"min_minus_1", (uint64_t)-1},
		};

		for (i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
			head = R->hdr.sq_head;
			raw_push(nop_sqe);
			/* The raw syscall: the wrapper's min_complete is
			 * 32 bits, and RDI is 64. */
			r = sys2(CAPOS_SYS_CAP_ENTER, mins[i].min, 0);
			head2 = R->hdr.sq_head;
			n = (uint32_t)capos_sys_cap_enter(1, 0);
			raw_drain();
			ktest_check_code(
			    (int32_t)r, CAPOS_E_BAD_ARG,
			    N("cap_enter.%s.bad_arg", mins[i].name));
			ktest_check(
			    head2 == head && n == 1,
			    N("cap_enter.%s.nothing_taken", mins[i].name),
			    "sq_head %u->%u, then %u", head, head2, n);
		}
	}
	/* 32 is the largest min_complete: with a zero timeout it returns
	 * what is there. */
	r = capos_sys_cap_enter(32, 0);
	ktest_check_code((int32_t)r, 0, "cap_enter.min_32_timeout_0.returns_0");

	/* Timeouts with enough completions ready return at once. */
	{
		static const struct {
			const char *name;
			uint64_t ns;
		} tos[] = {
		    {"timeout_0", 0},
		    {"timeout_1ns", 1},
		    {"timeout_huge", 0x4000000000000000ull},
		    {"timeout_overflowing_deadline", 0xfffffffffffffffeull},
		    {"timeout_infinite", CAPOS_TIMEOUT_INFINITE},
		};

		for (i = 0; i < sizeof(tos) / sizeof(tos[0]); i++) {
			raw_push(nop_sqe);
			r = capos_sys_cap_enter(1, tos[i].ns);
			n = raw_pop(&cqe) ? 1 : 0;
			ktest_check(
			    r == 1 && n == 1 && cqe.result == 0,
			    N("cap_enter.%s.ready_returns_1", tos[i].name),
			    "returned %ld, popped %u", (long)r, n);
		}
	}
	/* min_complete 0 never blocks, even with no deadline. */
	r = capos_sys_cap_enter(0, CAPOS_TIMEOUT_INFINITE);
	ktest_check_code((int32_t)r, 0,
	                 "cap_enter.min_0_infinite.returns_at_once");
	/* Nothing ready and a 1 ns deadline: 0 after the timeout. */
	r = capos_sys_cap_enter(1, 1);
	ktest_check_code((int32_t)r, 0,
	                 "cap_enter.min_1_timeout_1ns.returns_0");
	/* Fewer than asked: the count, after the timeout. */
	raw_push(nop_sqe);
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(3, 2 * MS);
	n = raw_drain();
	ktest_check(r == 2 && n == 2, "cap_enter.min_3_with_2_ready.returns_2",
	            "returned %ld, popped %u", (long)r, n);
	/* 16 NOPs, min 16, infinite: all of them at once. */
	for (i = 0; i < 16; i++)
		raw_push(nop_sqe);
	r = capos_sys_cap_enter(16, CAPOS_TIMEOUT_INFINITE);
	n = raw_drain();
	ktest_check(r == 16 && n == 16, "cap_enter.min_16_infinite.returns_16",
	            "returned %ld, popped %u", (long)r, n);
}

/* --- 2. the ring header ------------------------------------------------- */

/* Sets sq_tail to sq_head + delta, enters, restores; checks the result
 * is RING_CORRUPT with the SQ bit, and that the repaired ring works. */
static void
sq_corrupt_case(const char *name, uint32_t delta)
{
	struct capos_ring_header *h = &R->hdr;
	uint32_t tail = h->sq_tail, status, status2;
	int64_t r, r2;

	h->sq_tail = h->sq_head + delta;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	h->sq_tail = tail;
	r2 = capos_sys_cap_enter(0, 0);
	status2 = h->status;
	ktest_check(r == CAPOS_E_RING_CORRUPT &&
	                status == CAPOS_RING_STATUS_SQ_CORRUPT,
	            N("ring.sq_tail_%s.ring_corrupt", name),
	            "cap_enter %ld status %#x", (long)r, status);
	ktest_check(r2 == 0 && status2 == 0,
	            N("ring.sq_tail_%s.repaired", name),
	            "cap_enter %ld status %#x", (long)r2, status2);
}

static void
cq_corrupt_case(const char *name, uint32_t delta_from_tail)
{
	struct capos_ring_header *h = &R->hdr;
	uint32_t head = h->cq_head, status, status2;
	int64_t r, r2;

	h->cq_head = h->cq_tail + delta_from_tail;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	h->cq_head = head;
	r2 = capos_sys_cap_enter(0, 0);
	status2 = h->status;
	ktest_check(r == CAPOS_E_RING_CORRUPT &&
	                status == CAPOS_RING_STATUS_CQ_CORRUPT,
	            N("ring.cq_head_%s.ring_corrupt", name),
	            "cap_enter %ld status %#x", (long)r, status);
	ktest_check(r2 == 0 && status2 == 0,
	            N("ring.cq_head_%s.repaired", name),
	            "cap_enter %ld status %#x", (long)r2, status2);
}

static void
test_ring_header(void)
{
	struct capos_ring_header *h = &R->hdr;
	struct capos_ring_header saved;
	struct capos_cqe cqe;
	uint32_t i, n, head, tail, status, ovf;
	int64_t r, r2;

	sq_corrupt_case("ahead_17", 17);
	sq_corrupt_case("ahead_1000", 1000);
	sq_corrupt_case("ahead_2pow31", 0x80000000u);
	sq_corrupt_case("behind_1", (uint32_t)-1);
	sq_corrupt_case("behind_16", (uint32_t)-16);
	cq_corrupt_case("ahead_1", 1);
	cq_corrupt_case("ahead_1000", 1000);
	cq_corrupt_case("behind_33", (uint32_t)-33);
	cq_corrupt_case("behind_2pow31", 0x80000000u);

	/* Both at once: both bits. */
	tail = h->sq_tail;
	head = h->cq_head;
	h->sq_tail = h->sq_head + 40;
	h->cq_head = h->cq_tail + 40;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	h->sq_tail = tail;
	h->cq_head = head;
	r2 = capos_sys_cap_enter(0, 0);
	ktest_check(r == CAPOS_E_RING_CORRUPT &&
	                status == (CAPOS_RING_STATUS_SQ_CORRUPT |
	                           CAPOS_RING_STATUS_CQ_CORRUPT) &&
	                r2 == 0,
	            "ring.sq_and_cq_corrupt.both_bits",
	            "cap_enter %ld status %#x, repaired %ld", (long)r, status,
	            (long)r2);

	/* Corrupt SQ: a valid NOP behind the damage is not taken. */
	raw_push(nop_sqe);
	tail = h->sq_tail;
	head = h->sq_head;
	h->sq_tail = h->sq_head + 99;
	r = capos_sys_cap_enter(1, 0);
	n = h->sq_head - head;
	h->sq_tail = tail;
	r2 = capos_sys_cap_enter(1, 0);
	i = raw_drain();
	ktest_check(r == CAPOS_E_RING_CORRUPT && n == 0 && r2 == 1 && i == 1,
	            "ring.sq_corrupt.no_sqe_taken",
	            "cap_enter %ld took %u, after repair %ld popped %u",
	            (long)r, n, (long)r2, i);

	/* Exactly 16 queued is in range: all 16 taken. */
	for (i = 0; i < 16; i++)
		raw_push(nop_sqe);
	r = capos_sys_cap_enter(16, 0);
	n = raw_drain();
	ktest_check(r == 16 && n == 16, "ring.sq_exactly_16.accepted",
	            "cap_enter %ld popped %u", (long)r, n);

	/* cq_head 32 behind the tail is a full CQ, not corruption: nothing
	 * more is taken until userspace reads. */
	head = h->cq_head;
	h->cq_head = h->cq_tail - 32;
	raw_push(nop_sqe);
	tail = h->sq_head;
	r = capos_sys_cap_enter(0, 0);
	status = h->status;
	n = h->sq_head - tail;
	h->cq_head = head;
	r2 = capos_sys_cap_enter(1, 0);
	i = raw_drain();
	ktest_check(r == 32 && status == 0 && n == 0,
	            "ring.cq_head_behind_32.full_not_corrupt",
	            "cap_enter %ld status %#x took %u", (long)r, status, n);
	ktest_check(r2 == 1 && i == 1, "ring.cq_head_behind_32.recovers",
	            "cap_enter %ld popped %u", (long)r2, i);

	/* The status word overwritten: rewritten, never believed. */
	h->status = 0xffffffffu;
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(1, 0);
	status = h->status;
	n = raw_drain();
	ktest_check(r == 1 && n == 1 && status == 0,
	            "ring.status_overwritten.rewritten",
	            "cap_enter %ld popped %u status %#x", (long)r, n, status);

	/* cq_overflow overwritten: never believed. */
	ovf = h->cq_overflow;
	h->cq_overflow = 0x12345678u;
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(1, 0);
	n = raw_drain();
	h->cq_overflow = ovf;
	ktest_check(r == 1 && n == 1, "ring.cq_overflow_overwritten.ignored",
	            "cap_enter %ld popped %u", (long)r, n);

	/* sq_head overwritten: the kernel keeps its own and republishes. */
	head = h->sq_head;
	h->sq_head = head + 7;
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(1, 0);
	n = raw_drain();
	ktest_check(r == 1 && n == 1 && h->sq_head == head + 1,
	            "ring.sq_head_overwritten.republished",
	            "cap_enter %ld popped %u sq_head %u (want %u)", (long)r, n,
	            h->sq_head, head + 1);

	/* cq_tail overwritten (a lie of 5 more): the kernel republishes its
	 * own, and the CQE is in the slot its own index names. */
	tail = h->cq_tail;
	h->cq_tail = tail + 5;
	raw_push(
	    (struct capos_sqe){.opcode = CAPOS_OP_NOP, .user_data = 0xc0ffee});
	r = capos_sys_cap_enter(1, 0);
	n = h->cq_tail;
	cqe = R->cq[tail % CAPOS_RING_CQ_ENTRIES];
	raw_drain();
	ktest_check(r == 1 && n == tail + 1 && cqe.user_data == 0xc0ffee,
	            "ring.cq_tail_overwritten.republished",
	            "cap_enter %ld cq_tail %u (want %u) user_data %#lx",
	            (long)r, n, tail + 1, (unsigned long)cqe.user_data);

	/* The set-up line overwritten: never read back, never rewritten. */
	saved = *h;
	h->magic = 0;
	h->abi_major = 0xffff;
	h->abi_minor = 0xffff;
	h->sq_entries = 1;
	h->cq_entries = 0;
	h->sqe_offset = 4000;
	h->cqe_offset = 0;
	memset((uint8_t *)h + 24, 0xa5, 40);
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(1, 0);
	n = raw_drain();
	status = h->magic == 0 && h->sq_entries == 1 && h->cq_entries == 0 &&
	         h->sqe_offset == 4000;
	memcpy(h, &saved, 64);
	ktest_check(r == 1 && n == 1, "ring.setup_line_overwritten.ring_works",
	            "cap_enter %ld popped %u", (long)r, n);
	ktest_check(status, "ring.setup_line_overwritten.not_rewritten",
	            "the kernel rewrote line 0");

	/* The reserved tail of the page overwritten: ignored. */
	memset((uint8_t *)R + 2304, 0x5a, 1792);
	raw_push(nop_sqe);
	r = capos_sys_cap_enter(1, 0);
	n = raw_drain();
	memset((uint8_t *)R + 2304, 0, 1792);
	ktest_check(r == 1 && n == 1, "ring.reserved_area_overwritten.ignored",
	            "cap_enter %ld popped %u", (long)r, n);

	/* An SQE rewritten after the kernel took it changes nothing. */
	raw_push((struct capos_sqe){.opcode = CAPOS_OP_NOP, .user_data = 77});
	r = capos_sys_cap_enter(1, 0);
	R->sq[(h->sq_head - 1) % CAPOS_RING_SQ_ENTRIES].opcode = 0;
	n = raw_pop(&cqe);
	ktest_check(r == 1 && n == 1 && cqe.result == 0 && cqe.user_data == 77,
	            "ring.sqe_rewritten_after_take.no_effect",
	            "cap_enter %ld result %d", (long)r, cqe.result);

	/* user_data is echoed bit for bit, every bit set. */
	raw_push(
	    (struct capos_sqe){.opcode = CAPOS_OP_NOP, .user_data = ~0ull});
	raw_push((struct capos_sqe){.opcode = 0, .user_data = ~0ull - 1});
	r = capos_sys_cap_enter(2, 0);
	i = raw_pop(&cqe) && cqe.user_data == ~0ull && cqe.result == 0 &&
	    cqe.flags == 0 && cqe.aux0 == 0 && cqe.aux1 == 0;
	n = raw_pop(&cqe) && cqe.user_data == ~0ull - 1 &&
	    cqe.result == CAPOS_E_BAD_OPCODE && cqe.flags == 0 &&
	    cqe.aux0 == 0 && cqe.aux1 == 0;
	ktest_check(r == 2 && i, "cqe.nop.user_data_echoed_zero_extras",
	            "cap_enter %ld", (long)r);
	ktest_check(n, "cqe.error.user_data_echoed_zero_extras", "wrong CQE");

	/* A Timer.sleep whose completion comes due while the CQ indices are
	 * corrupt is dropped and counted in cq_overflow (docs/abi.md 3.4).
	 * The sleep must come due after the corruption: on a busy host the
	 * guest can lose the race, so an attempt whose CQE arrived first is
	 * drained and tried again. */
	{
		struct capos_msgbuf mb;
		uint64_t spins;
		int attempt;
		bool raced = true;

		capos_msg_begin(&mb);
		capos_Timer_sleep_Params_set_ns(
		    capos_Timer_sleep_Params_build_root(&mb.b), 20 * MS);
		capos_msg_end(&mb);
		for (attempt = 0; attempt < 5 && raced; attempt++) {
			raw_push((struct capos_sqe){
			    .opcode = CAPOS_OP_CALL,
			    .cap = timer,
			    .method = capos_Timer_METHOD_sleep,
			    .interface_id = capos_Timer_TYPE_ID,
			    .user_data = 4242,
			    .params_addr = (uintptr_t)mb.framed,
			    .params_len = mb.framed_len});
			r = capos_sys_cap_enter(0, 0);
			ovf =
			    __atomic_load_n(&h->cq_overflow, __ATOMIC_ACQUIRE);
			head = h->cq_head;
			tail = h->cq_tail;
			h->cq_head = tail + 100;
			raced = __atomic_load_n(&h->cq_tail,
			                        __ATOMIC_ACQUIRE) != tail;
			for (spins = 0; !raced && spins < 4000000000ull;
			     spins++)
				if (__atomic_load_n(&h->cq_overflow,
				                    __ATOMIC_ACQUIRE) != ovf)
					break;
			n = __atomic_load_n(&h->cq_overflow, __ATOMIC_ACQUIRE);
			i = h->cq_tail;
			h->cq_head = head;
			r2 = capos_sys_cap_enter(raced ? 1 : 0, 30 * MS);
			status = raw_drain();
			h->cq_overflow = ovf;
		}
		r2 = capos_sys_cap_enter(1, 30 * MS);
		status = raw_drain();
		ktest_check(!raced && r == 0 && n == ovf + 1 && i == tail,
		            "ring.cq_corrupt.completion_dropped_and_counted",
		            "overflow %u -> %u, cq_tail %u -> %u", ovf, n, tail,
		            i);
		ktest_check(r2 == 0 && status == 0,
		            "ring.cq_corrupt.dropped_completion_never_posted",
		            "cap_enter %ld, %u CQEs", (long)r2, status);
	}
}

/* --- 3. every SQE field for every opcode -------------------------------- */

struct opdesc {
	const char *name;
	uint8_t opcode;
};

static const struct opdesc served[] = {
    {"call", CAPOS_OP_CALL},     {"recv", CAPOS_OP_RECV},
    {"return", CAPOS_OP_RETURN}, {"release", CAPOS_OP_RELEASE},
    {"nop", CAPOS_OP_NOP},       {"park", CAPOS_OP_PARK},
    {"unpark", CAPOS_OP_UNPARK},
};

enum {
	F_CAP,
	F_METHOD,
	F_PADDR,
	F_PLEN,
	F_RADDR,
	F_RLEN,
	F_CALLID,
	F_XADDR,
	F_XCOUNT,
	F_NFIELDS
};

static const char *const field_names[F_NFIELDS] = {
    "cap",        "method",  "params_addr", "params_len", "result_addr",
    "result_len", "call_id", "xfer_addr",   "xfer_count",
};

/* Whether opcode uses field (docs/abi.md 3.5). */
static bool
uses(uint8_t op, int f)
{
	switch (op) {
	case CAPOS_OP_CALL:
		return true; /* the call id word is CALL's interface id */
	case CAPOS_OP_RECV:
		return f == F_CAP || f == F_RADDR || f == F_RLEN;
	case CAPOS_OP_RETURN:
		return f == F_CAP || f == F_PADDR || f == F_PLEN ||
		       f == F_CALLID || f == F_XADDR || f == F_XCOUNT;
	case CAPOS_OP_RELEASE:
		return f == F_CAP;
	case CAPOS_OP_PARK: /* word, value, timeout in the same words */
		return f == F_CAP || f == F_PADDR || f == F_PLEN ||
		       f == F_CALLID;
	case CAPOS_OP_UNPARK: /* word, count */
		return f == F_CAP || f == F_PADDR || f == F_PLEN;
	default:
		return false;
	}
}

static void
set_field(struct capos_sqe *s, int f)
{
	switch (f) {
	case F_CAP:
		s->cap = console;
		break;
	case F_METHOD:
		s->method = 1;
		break;
	case F_PADDR:
		s->params_addr = (uintptr_t)big;
		break;
	case F_PLEN:
		s->params_len = 8;
		break;
	case F_RADDR:
		s->result_addr = (uintptr_t)big;
		break;
	case F_RLEN:
		s->result_len = 8;
		break;
	case F_CALLID:
		s->call_id = 1;
		break;
	case F_XADDR:
		s->xfer_addr = (uintptr_t)big;
		break;
	case F_XCOUNT:
		s->xfer_count = 1;
		break;
	}
}

static void
test_sqe_fields(void)
{
	static const uint8_t bad_ops[] = {0,   8,   9,   16,  64,
	                                  127, 128, 200, 254, 255};
	unsigned i, o, b;
	int f, wrong = -1;
	int32_t r;

	for (i = 0; i < sizeof(bad_ops); i++)
		ktest_check_code(
		    ktest_result_of((struct capos_sqe){.opcode = bad_ops[i]}),
		    CAPOS_E_BAD_OPCODE, N("opcode.%u.bad_opcode", bad_ops[i]));
	/* Every number from 8 to 255. */
	for (o = 8; o < 256; o++) {
		r = ktest_result_of((struct capos_sqe){.opcode = (uint8_t)o});
		if (r != CAPOS_E_BAD_OPCODE && wrong < 0)
			wrong = (int)o;
	}
	ktest_check(wrong < 0, "opcode.every_8_to_255.bad_opcode",
	            "opcode %d answered otherwise", wrong);
	/* The opcode is checked first: fields and flags do not matter. */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = 0, .flags = 0xff, .reserved = 1, .cap = 0}),
	    CAPOS_E_BAD_OPCODE, "opcode.0_with_bad_flags.bad_opcode");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = 99, .flags = 0x80, .method = 5}),
	                 CAPOS_E_BAD_OPCODE,
	                 "opcode.99_with_bad_flags_and_field.bad_opcode");
	/* PARK and UNPARK are served now: their checks run in the order
	 * of every opcode (flags, reserved, unused fields, then the cap). */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_PARK}),
	    CAPOS_E_BAD_CAP, "opcode.park.zeroed_bad_cap");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_UNPARK}),
	    CAPOS_E_BAD_CAP, "opcode.unpark.zeroed_bad_cap");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_PARK,
	                                       .flags = 0xfe,
	                                       .reserved = 7,
	                                       .cap = 0x1234}),
	    CAPOS_E_BAD_FLAGS,
	    "opcode.park_with_bad_flags_and_fields.bad_flags");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_UNPARK,
	                                       .flags = CAPOS_SQE_F_EXCEPTION,
	                                       .call_id = 5}),
	    CAPOS_E_BAD_FLAGS, "opcode.unpark_with_flag_and_call_id.bad_flags");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_UNPARK, .call_id = 5}),
	                 CAPOS_E_BAD_FIELD,
	                 "opcode.unpark_with_call_id.bad_field");

	/* Every unknown flag bit on every served opcode. */
	for (o = 0; o < sizeof(served) / sizeof(served[0]); o++)
		for (b = 1; b < 8; b++)
			ktest_check_code(
			    ktest_result_of((struct capos_sqe){
			        .opcode = served[o].opcode,
			        .flags = (uint8_t)(1u << b)}),
			    CAPOS_E_BAD_FLAGS,
			    N("flags.%s.bit_%u.bad_flags", served[o].name, b));
	/* EXCEPTION on the opcodes that do not take it. */
	for (o = 0; o < sizeof(served) / sizeof(served[0]); o++) {
		if (served[o].opcode == CAPOS_OP_RETURN)
			continue;
		ktest_check_code(
		    ktest_result_of(
		        (struct capos_sqe){.opcode = served[o].opcode,
		                           .flags = CAPOS_SQE_F_EXCEPTION}),
		    CAPOS_E_BAD_FLAGS,
		    N("flags.%s.exception.bad_flags", served[o].name));
	}
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .flags = CAPOS_SQE_F_EXCEPTION | 0x2,
	                     .cap = console,
	                     .call_id = 1}),
	                 CAPOS_E_BAD_FLAGS,
	                 "flags.return.exception_and_bit_1.bad_flags");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_NOP, .flags = 0xff}),
	                 CAPOS_E_BAD_FLAGS, "flags.nop.all_bits.bad_flags");
	/* Flags before fields. */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_NOP, .flags = 0x4, .reserved = 1, .cap = 9}),
	    CAPOS_E_BAD_FLAGS, "order.flags_before_fields.bad_flags");

	/* Every field an opcode does not use, and the reserved word. */
	for (o = 0; o < sizeof(served) / sizeof(served[0]); o++) {
		struct capos_sqe s = {.opcode = served[o].opcode};

		for (f = 0; f < F_NFIELDS; f++) {
			if (uses(served[o].opcode, f))
				continue;
			s = (struct capos_sqe){.opcode = served[o].opcode};
			set_field(&s, f);
			ktest_check_code(ktest_result_of(s), CAPOS_E_BAD_FIELD,
			                 N("field.%s.%s_nonzero.bad_field",
			                   served[o].name, field_names[f]));
		}
		s = (struct capos_sqe){.opcode = served[o].opcode,
		                       .reserved = 1};
		ktest_check_code(
		    ktest_result_of(s), CAPOS_E_BAD_FIELD,
		    N("field.%s.reserved_nonzero.bad_field", served[o].name));
		s.reserved = 0x80000000u;
		ktest_check_code(
		    ktest_result_of(s), CAPOS_E_BAD_FIELD,
		    N("field.%s.reserved_top_bit.bad_field", served[o].name));
	}
	/* Fields before the cap id. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV, .cap = 0, .call_id = 3}),
	                 CAPOS_E_BAD_FIELD,
	                 "order.fields_before_cap.bad_field");
	/* The cap id before buffers. */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                                       .cap = 0,
	                                       .params_addr = 0x1000,
	                                       .params_len = 8}),
	    CAPOS_E_BAD_CAP, "order.cap_before_buffers.bad_cap");
	/* Params before result. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = console,
	                     .params_addr = (uintptr_t)big,
	                     .params_len = CAPOS_PARAMS_MAX + 1,
	                     .result_addr = 0x1000,
	                     .result_len = 8}),
	                 CAPOS_E_TOO_LONG,
	                 "order.params_too_long_before_result.too_long");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = console,
	                     .params_addr = 0x1000,
	                     .params_len = 8,
	                     .result_addr = (uintptr_t)big,
	                     .result_len = CAPOS_RESULT_MAX + 1}),
	                 CAPOS_E_BAD_BUFFER,
	                 "order.params_bad_before_result_too_long.bad_buffer");
	/* Buffers before call_id. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = console,
	                     .params_addr = 0xffff800000000000ull,
	                     .params_len = 8,
	                     .call_id = 0}),
	                 CAPOS_E_BAD_BUFFER,
	                 "order.buffer_before_call_id.bad_buffer");
	/* call_id before the descriptor count. */
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .cap = console,
	                                       .call_id = 0,
	                                       .xfer_addr = (uintptr_t)big,
	                                       .xfer_count = 9}),
	    CAPOS_E_BAD_CALL_ID, "order.call_id_before_xfer.bad_call_id");

	/* RETURN with call id 0. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN, .cap = console}),
	                 CAPOS_E_BAD_CALL_ID, "return.call_id_0.bad_call_id");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RETURN,
	                                       .flags = CAPOS_SQE_F_EXCEPTION,
	                                       .cap = console}),
	    CAPOS_E_BAD_CALL_ID, "return.exception_call_id_0.bad_call_id");
	/* Too many transfer descriptors. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_CALL,
	                     .cap = null,
	                     .xfer_addr = (uintptr_t)big,
	                     .xfer_count = CAPOS_XFER_MAX + 1}),
	                 CAPOS_E_BAD_XFER, "xfer.call_count_9.bad_xfer");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                                       .cap = null,
	                                       .xfer_addr = (uintptr_t)big,
	                                       .xfer_count = 0xffffffffu}),
	    CAPOS_E_BAD_XFER, "xfer.call_count_max_u32.bad_xfer");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = console,
	                     .call_id = 1,
	                     .xfer_addr = (uintptr_t)big,
	                     .xfer_count = CAPOS_XFER_MAX + 1}),
	                 CAPOS_E_BAD_XFER, "xfer.return_count_9.bad_xfer");
}

/* --- 4. user buffers ----------------------------------------------------- */

struct bufcase {
	const char *name;
	uint64_t addr;
	uint32_t len;
	int32_t want;
};

#define STACK_GUARD (CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE - 4096)

static void
test_buffers(void)
{
	const struct bufcase params[] = {
	    {"null_with_length", 0, 16, CAPOS_E_BAD_BUFFER},
	    {"address_with_length_0", (uintptr_t)big, 0, CAPOS_E_BAD_BUFFER},
	    {"kernel_direct_map", 0xffff800000000000ull, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"kernel_image", 0xffffffff80000000ull, 16, CAPOS_E_BAD_BUFFER},
	    {"noncanonical_low", 0x0000800000000000ull, 16, CAPOS_E_BAD_BUFFER},
	    {"noncanonical_high", 0x8000000000000000ull, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"unmapped_heap_area", CAPOS_USER_HEAP_BASE, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"unmapped_ring_area", CAPOS_USER_RING_ADDR + 0x10000, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"wrapping_2pow64", 0xffffffffffffff00ull, 0x200,
	     CAPOS_E_BAD_BUFFER},
	    {"past_user_end", CAPOS_USER_END - 8, 16, CAPOS_E_BAD_BUFFER},
	    {"at_user_end", CAPOS_USER_END, 1, CAPOS_E_BAD_BUFFER},
	    {"last_canonical_page", 0x00007ffffffff000ull, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"null_guard", 0x1000, 16, CAPOS_E_BAD_BUFFER},
	    {"null_guard_into_image", CAPOS_USER_BASE - 8, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"stack_guard_page", STACK_GUARD, 16, CAPOS_E_BAD_BUFFER},
	    {"ring_page_then_unmapped", CAPOS_USER_RING_ADDR + 4096 - 8, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"capset_page_then_unmapped", CAPOS_USER_CAPSET_ADDR + 4096 - 8, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"stack_top_then_unmapped", CAPOS_USER_STACK_TOP - 8, 16,
	     CAPOS_E_BAD_BUFFER},
	    {"length_params_max_plus_1", (uintptr_t)big, CAPOS_PARAMS_MAX + 1,
	     CAPOS_E_TOO_LONG},
	    {"length_max_u32", (uintptr_t)big, 0xffffffffu, CAPOS_E_TOO_LONG},
	    {"too_long_and_null", 0, CAPOS_PARAMS_MAX + 1, CAPOS_E_TOO_LONG},
	};
	const struct bufcase results[] = {
	    {"null_with_length", 0, 16, CAPOS_E_BAD_BUFFER},
	    {"address_with_length_0", (uintptr_t)big, 0, CAPOS_E_BAD_BUFFER},
	    {"kernel_direct_map", 0xffff800000000000ull, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"kernel_image", 0xffffffff80000000ull, 64, CAPOS_E_BAD_BUFFER},
	    {"noncanonical_low", 0x0000800000000000ull, 64, CAPOS_E_BAD_BUFFER},
	    {"noncanonical_high", 0x8000000000000000ull, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"unmapped_heap_area", CAPOS_USER_HEAP_BASE, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"wrapping_2pow64", 0xffffffffffffffc0ull, 0x100,
	     CAPOS_E_BAD_BUFFER},
	    {"past_user_end", CAPOS_USER_END - 8, 64, CAPOS_E_BAD_BUFFER},
	    {"null_guard", 0x2000, 64, CAPOS_E_BAD_BUFFER},
	    {"stack_guard_page", STACK_GUARD, 64, CAPOS_E_BAD_BUFFER},
	    {"capset_page_read_only", CAPOS_USER_CAPSET_ADDR, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"rodata", (uintptr_t)rodata, sizeof(rodata), CAPOS_E_BAD_BUFFER},
	    {"text", (uintptr_t)&test_buffers, 64, CAPOS_E_BAD_BUFFER},
	    {"ring_page_then_unmapped", CAPOS_USER_RING_ADDR + 4096 - 32, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"stack_top_then_unmapped", CAPOS_USER_STACK_TOP - 32, 64,
	     CAPOS_E_BAD_BUFFER},
	    {"length_result_max_plus_1", (uintptr_t)big, CAPOS_RESULT_MAX + 1,
	     CAPOS_E_TOO_LONG},
	    {"length_max_u32", (uintptr_t)big, 0xffffffffu, CAPOS_E_TOO_LONG},
	};
	const struct bufcase xfers[] = {
	    {"null_with_count", 0, 1, CAPOS_E_BAD_BUFFER},
	    {"address_with_count_0", (uintptr_t)big, 0, CAPOS_E_BAD_BUFFER},
	    {"kernel_direct_map", 0xffff800000000000ull, 1, CAPOS_E_BAD_BUFFER},
	    {"kernel_image", 0xffffffff80000000ull, 1, CAPOS_E_BAD_BUFFER},
	    {"noncanonical_low", 0x0000800000000000ull, 1, CAPOS_E_BAD_BUFFER},
	    {"unmapped_heap_area", CAPOS_USER_HEAP_BASE, 1, CAPOS_E_BAD_BUFFER},
	    {"past_user_end", CAPOS_USER_END - 16, 2, CAPOS_E_BAD_BUFFER},
	    {"null_guard", 0x1000, 1, CAPOS_E_BAD_BUFFER},
	    {"stack_guard_page", STACK_GUARD, 1, CAPOS_E_BAD_BUFFER},
	    {"ring_page_then_unmapped", CAPOS_USER_RING_ADDR + 4096 - 16, 2,
	     CAPOS_E_BAD_BUFFER},
	};
	struct capos_cqe cqe;
	unsigned i;

	/* Params: Console.write, which would accept an empty message. */
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		ktest_check_code(ktest_result_of((struct capos_sqe){
		                     .opcode = CAPOS_OP_CALL,
		                     .cap = console,
		                     .method = capos_Console_METHOD_write,
		                     .interface_id = capos_Console_TYPE_ID,
		                     .params_addr = params[i].addr,
		                     .params_len = params[i].len}),
		                 params[i].want,
		                 N("params.%s.%s", params[i].name,
		                   params[i].want == CAPOS_E_TOO_LONG
		                       ? "too_long"
		                       : "bad_buffer"));
	/* Results: Timer.now, which always has an answer. */
	for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		ktest_check_code(
		    ktest_result_of(
		        (struct capos_sqe){.opcode = CAPOS_OP_CALL,
		                           .cap = timer,
		                           .method = capos_Timer_METHOD_now,
		                           .interface_id = capos_Timer_TYPE_ID,
		                           .result_addr = results[i].addr,
		                           .result_len = results[i].len}),
		    results[i].want,
		    N("result.%s.%s", results[i].name,
		      results[i].want == CAPOS_E_TOO_LONG ? "too_long"
		                                          : "bad_buffer"));
	ktest_check(strcmp(rodata, "read-only") == 0,
	            "result.rodata.left_intact", "read-only data changed");
	/* Transfer descriptor arrays: Null.ping with one descriptor. */
	for (i = 0; i < sizeof(xfers) / sizeof(xfers[0]); i++)
		ktest_check_code(ktest_result_of((struct capos_sqe){
		                     .opcode = CAPOS_OP_CALL,
		                     .cap = null,
		                     .method = capos_Null_METHOD_ping,
		                     .interface_id = capos_Null_TYPE_ID,
		                     .xfer_addr = xfers[i].addr,
		                     .xfer_count = xfers[i].len}),
		                 xfers[i].want,
		                 N("xferbuf.%s.bad_buffer", xfers[i].name));
	/* RECV's buffer is checked before the cap's kind. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV,
	                     .cap = console,
	                     .result_addr = 0xffff800000000000ull,
	                     .result_len = 64}),
	                 CAPOS_E_BAD_BUFFER, "recv.kernel_buffer.bad_buffer");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV,
	                     .cap = console,
	                     .result_addr = (uintptr_t)big,
	                     .result_len = CAPOS_RESULT_MAX + 1}),
	                 CAPOS_E_TOO_LONG, "recv.length_over_max.too_long");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .cap = console,
	                     .call_id = 1,
	                     .params_addr = (uintptr_t)big,
	                     .params_len = CAPOS_PARAMS_MAX + 1}),
	                 CAPOS_E_TOO_LONG, "return.length_over_max.too_long");

	/* Lengths at the limits are accepted: the transport takes them, and
	 * the object reads them.  64 KiB of zeroes frame a message whose
	 * only segment is empty, with no root pointer: the reader refuses
	 * it, as the reference does (invalidArgument). */
	check_invalid(result_of_into((struct capos_sqe){
	                  .opcode = CAPOS_OP_CALL,
	                  .cap = console,
	                  .method = capos_Console_METHOD_write,
	                  .interface_id = capos_Console_TYPE_ID,
	                  .params_addr = (uintptr_t)big,
	                  .params_len = CAPOS_PARAMS_MAX}),
	              "params.length_params_max.accepted_rootless_refused");
	cqe = ktest_roundtrip(
	    (struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                       .cap = timer,
	                       .method = capos_Timer_METHOD_now,
	                       .interface_id = capos_Timer_TYPE_ID,
	                       .result_addr = (uintptr_t)big,
	                       .result_len = CAPOS_RESULT_MAX});
	ktest_check(cqe.result > 0, "result.length_result_max.accepted",
	            "result %d", cqe.result);
	/* The untouched bottom of the stack is demand-zero: the kernel's
	 * read maps a zero page, and 16 zero bytes are a message without a
	 * root pointer (invalidArgument, not a bad buffer). */
	check_invalid(
	    result_of_into((struct capos_sqe){
	        .opcode = CAPOS_OP_CALL,
	        .cap = console,
	        .method = capos_Console_METHOD_write,
	        .interface_id = capos_Console_TYPE_ID,
	        .params_addr = CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE,
	        .params_len = 16}),
	    "params.untouched_stack_page.reads_zeroes");
	/* The CapSet page is readable: as params it is parsed, and its
	 * magic is no segment count (invalidArgument). */
	cqe = ktest_roundtrip(
	    (struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                       .cap = console,
	                       .method = capos_Console_METHOD_write,
	                       .interface_id = capos_Console_TYPE_ID,
	                       .params_addr = CAPOS_USER_CAPSET_ADDR,
	                       .params_len = 64,
	                       .result_addr = (uintptr_t)big,
	                       .result_len = 256});
	{
		struct capos_exception e;

		ktest_check(cqe.result == CAPOS_E_APP_EXCEPTION &&
		                capos_exception_decode(big, cqe.aux0, &e) ==
		                    0 &&
		                e.type == capos_ExceptionType_invalidArgument,
		            "params.capset_page.invalid_argument", "result %d",
		            cqe.result);
	}
	/* The ring page is the process's own writable memory: the kernel
	 * writes a result into its reserved area like anywhere else. */
	{
		uint8_t *area = (uint8_t *)R + 2304;
		uint32_t nonzero = 0, k;

		cqe = ktest_roundtrip((struct capos_sqe){
		    .opcode = CAPOS_OP_CALL,
		    .cap = timer,
		    .method = capos_Timer_METHOD_now,
		    .interface_id = capos_Timer_TYPE_ID,
		    .result_addr = CAPOS_USER_RING_ADDR + 2304,
		    .result_len = 64});
		for (k = 0; k < 64; k++)
			nonzero += area[k] != 0;
		memset(area, 0, 64);
		ktest_check(cqe.result > 0 && nonzero > 0,
		            "result.ring_page_reserved_area.written",
		            "result %d, %u bytes written", cqe.result, nonzero);
	}
}

/* --- 5. cap ids -------------------------------------------------------- */

static void
test_cap_ids(void)
{
	const struct {
		const char *name;
		capos_capid_t id;
	} ids[] = {
	    {"zero", 0},
	    {"generation_0", capos_capid_make(capos_capid_slot(console), 0)},
	    {"slot_4095", capos_capid_make(4095, 1)},
	    {"slot_256_past_table", capos_capid_make(256, 1)},
	    {"free_slot_200", capos_capid_make(200, 1)},
	    {"stale_generation",
	     capos_capid_make(capos_capid_slot(console),
	                      capos_capid_gen(console) + 1)},
	    {"older_generation_max",
	     capos_capid_make(capos_capid_slot(console), CAPOS_CAPID_GEN_MAX)},
	    {"all_ones", 0xffffffffu},
	};
	unsigned i, o;

	for (o = 0; o < 4; o++) {
		static const char *const opn[] = {"call", "recv", "return",
		                                  "release"};
		static const uint8_t opc[] = {CAPOS_OP_CALL, CAPOS_OP_RECV,
		                              CAPOS_OP_RETURN,
		                              CAPOS_OP_RELEASE};

		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			struct capos_sqe s = {.opcode = opc[o],
			                      .cap = ids[i].id};

			if (opc[o] == CAPOS_OP_RETURN)
				s.call_id = 1;
			ktest_check_code(
			    ktest_result_of(s), CAPOS_E_BAD_CAP,
			    N("cap.%s.%s.bad_cap", opn[o], ids[i].name));
		}
	}
	/* RECV and RETURN on caps that are not endpoints. */
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV, .cap = timer}),
	                 CAPOS_E_NOT_SUPPORTED,
	                 "cap.recv_on_timer.not_supported");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_RECV,
	                                       .cap = null,
	                                       .result_addr = (uintptr_t)big,
	                                       .result_len = 256}),
	    CAPOS_E_NOT_SUPPORTED, "cap.recv_on_null.not_supported");
	ktest_check_code(
	    ktest_result_of((struct capos_sqe){
	        .opcode = CAPOS_OP_RETURN, .cap = timer, .call_id = 1}),
	    CAPOS_E_NOT_SUPPORTED, "cap.return_on_timer.not_supported");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RETURN,
	                     .flags = CAPOS_SQE_F_EXCEPTION,
	                     .cap = null,
	                     .call_id = 0xffffffffffffffffull}),
	                 CAPOS_E_NOT_SUPPORTED,
	                 "cap.return_exception_on_null.not_supported");
}

/* --- 6. transfer descriptors against a kernel object -----------------------
 */

static int32_t
ping_with(const struct capos_xfer *x, uint32_t n)
{
	return ktest_result_of(
	    (struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                       .cap = null,
	                       .method = capos_Null_METHOD_ping,
	                       .interface_id = capos_Null_TYPE_ID,
	                       .xfer_addr = (uintptr_t)x,
	                       .xfer_count = n});
}

static void
test_xfer(void)
{
	struct capos_xfer x[CAPOS_XFER_MAX];
	uint64_t ns;
	int32_t r;
	unsigned i;

	x[0] = (struct capos_xfer){.cap = console, .mode = 0};
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.mode_0.bad_xfer");
	x[0].mode = 3;
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.mode_3.bad_xfer");
	x[0].mode = 0xffffffffu;
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.mode_max_u32.bad_xfer");
	x[0] = (struct capos_xfer){
	    .cap = console, .mode = CAPOS_XFER_COPY, .reserved = 1};
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.reserved_nonzero.bad_xfer");
	x[0].reserved = 1ull << 63;
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.reserved_top_bit.bad_xfer");
	x[0] = (struct capos_xfer){.cap = 0, .mode = CAPOS_XFER_COPY};
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.cap_0.bad_xfer");
	x[0].cap = capos_capid_make(capos_capid_slot(console), 0);
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_XFER,
	                 "xfer.cap_generation_0.bad_xfer");
	/* A well-formed id that names nothing: the table's answer. */
	x[0].cap = capos_capid_make(capos_capid_slot(console),
	                            capos_capid_gen(console) + 1);
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_CAP,
	                 "xfer.cap_stale.bad_cap");
	x[0].cap = capos_capid_make(200, 1);
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_CAP,
	                 "xfer.cap_free_slot.bad_cap");
	x[0].cap = capos_capid_make(4095, 1);
	ktest_check_code(ping_with(x, 1), CAPOS_E_BAD_CAP,
	                 "xfer.cap_slot_out_of_range.bad_cap");
	/* A cap listed twice, in every mode pairing. */
	x[0] = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	x[1] = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	ktest_check_code(ping_with(x, 2), CAPOS_E_BAD_XFER,
	                 "xfer.twice_copy_copy.bad_xfer");
	x[1].mode = CAPOS_XFER_MOVE;
	ktest_check_code(ping_with(x, 2), CAPOS_E_BAD_XFER,
	                 "xfer.twice_copy_move.bad_xfer");
	x[0].mode = CAPOS_XFER_MOVE;
	ktest_check_code(ping_with(x, 2), CAPOS_E_BAD_XFER,
	                 "xfer.twice_move_move.bad_xfer");
	x[0] = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_COPY};
	x[1] = (struct capos_xfer){.cap = null, .mode = CAPOS_XFER_COPY};
	x[2] = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_COPY};
	ktest_check_code(ping_with(x, 3), CAPOS_E_BAD_XFER,
	                 "xfer.twice_apart.bad_xfer");
	/* A bad descriptor after a MOVE: nothing is taken. */
	x[0] = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_MOVE};
	x[1] = (struct capos_xfer){.cap = console, .mode = 7};
	r = ping_with(x, 2);
	ktest_check_code(r, CAPOS_E_BAD_XFER,
	                 "xfer.move_then_bad_mode.bad_xfer");
	ktest_check(capos_timer_now(timer, &ns) == 0,
	            "xfer.move_then_bad_mode.source_kept", "timer gone");
	/* A stale cap after a MOVE: the reserved source is rolled back. */
	x[1] = (struct capos_xfer){
	    .cap = capos_capid_make(capos_capid_slot(console),
	                            capos_capid_gen(console) + 1),
	    .mode = CAPOS_XFER_COPY};
	r = ping_with(x, 2);
	ktest_check_code(r, CAPOS_E_BAD_CAP, "xfer.move_then_stale.bad_cap");
	ktest_check(capos_timer_now(timer, &ns) == 0,
	            "xfer.move_then_stale.source_rolled_back", "timer gone");
	/* A bad SQE field with a MOVE: refused before any descriptor. */
	r = ktest_result_of((struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                                       .cap = null,
	                                       .reserved = 1,
	                                       .xfer_addr = (uintptr_t)x,
	                                       .xfer_count = 1});
	ktest_check_code(r, CAPOS_E_BAD_FIELD,
	                 "xfer.move_with_bad_field.bad_field");
	ktest_check(capos_timer_now(timer, &ns) == 0,
	            "xfer.move_with_bad_field.source_kept", "timer gone");
	/* Eight distinct COPY descriptors are accepted (only three caps,
	 * so eight slots of bad ids would fail; use the count limit with
	 * the three we have and check the limit itself above). */
	x[0] = (struct capos_xfer){.cap = console, .mode = CAPOS_XFER_COPY};
	x[1] = (struct capos_xfer){.cap = timer, .mode = CAPOS_XFER_COPY};
	x[2] = (struct capos_xfer){.cap = null, .mode = CAPOS_XFER_COPY};
	ktest_check_code(ping_with(x, 3), 0, "xfer.three_copies.accepted");
	ktest_check(
	    capos_timer_now(timer, &ns) == 0 && capos_null_ping(null) == 0 &&
	        capos_console_write_line(console, "hostile_abi: copies kept") ==
	            0,
	    "xfer.three_copies.sources_kept", "a copied cap was lost");
	/* Nine descriptors in memory but count 8, the last bad: the count
	 * bounds what is read. */
	for (i = 0; i < CAPOS_XFER_MAX; i++)
		x[i] = (struct capos_xfer){.cap = capos_capid_make(100 + i, 1),
		                           .mode = CAPOS_XFER_COPY};
	ktest_check_code(ping_with(x, CAPOS_XFER_MAX), CAPOS_E_BAD_CAP,
	                 "xfer.eight_unknown_ids.bad_cap");
}

/* Last: the caps go. */
static void
test_release(void)
{
	capos_capid_t saved = null;
	uint64_t ns;

	ktest_check_code(capos_release_sync(null), 0, "release.null.ok");
	ktest_check_code(capos_null_ping(saved), CAPOS_E_BAD_CAP,
	                 "release.call_after_release.bad_cap");
	ktest_check_code(capos_release_sync(saved), CAPOS_E_BAD_CAP,
	                 "release.twice.bad_cap");
	ktest_check_code(ktest_result_of((struct capos_sqe){
	                     .opcode = CAPOS_OP_RECV, .cap = saved}),
	                 CAPOS_E_BAD_CAP, "release.recv_after_release.bad_cap");
	/* A MOVE to a kernel object commits: the source goes. */
	{
		struct capos_xfer x = {.cap = timer, .mode = CAPOS_XFER_MOVE};
		struct capos_cqe cqe = ktest_roundtrip(
		    (struct capos_sqe){.opcode = CAPOS_OP_CALL,
		                       .cap = console,
		                       .method = capos_Console_METHOD_write,
		                       .interface_id = capos_Console_TYPE_ID,
		                       .xfer_addr = (uintptr_t)&x,
		                       .xfer_count = 1});

		ktest_check_code(cqe.result, 0,
		                 "release.move_to_kernel_object.ok");
		ktest_check_code(capos_timer_now(timer, &ns), CAPOS_E_BAD_CAP,
		                 "release.moved_cap.bad_cap");
		ktest_check_code(ping_with(&x, 1), CAPOS_E_BAD_CAP,
		                 "release.move_replayed.bad_cap");
	}
}

int
main(void)
{
	ktest_prefix("abi.");
	R = capos_ring();
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null)) {
		printf("KTEST not ok abi.capset: a kernel cap is missing\n");
		return 1;
	}
	test_syscalls();
	test_ring_header();
	test_sqe_fields();
	test_buffers();
	test_cap_ids();
	test_xfer();
	test_release();
	printf("hostile_abi: %d failures\n", ktest_failures());
	return ktest_failures();
}
