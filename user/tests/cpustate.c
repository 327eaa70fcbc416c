/*
 * cpustate: the CPU state a thread returns to user mode with.  Sets every
 * RFLAGS bit a user program can change with POPF, then makes a system
 * call, blocks in one, and spins long enough to be preempted (a second
 * runnable process makes the kernel switch threads), and checks that the
 * flags afterwards are exactly what docs/abi.md promises: the user's
 * CF PF AF ZF SF TF DF OF AC ID kept, NT, IOPL, RF, VM, VIF, VIP clear, IF
 * and bit 1 set.  Also: general registers, RCX and R11 after SYSCALL, a
 * non-canonical or kernel stack pointer, the data segment selectors, the
 * FS and GS bases, and that the FP/SIMD unit is on with its defaults
 * (fpu_start and fpu_iso check that state in full).  Exit code: the number of failed checks.
 */
#include "capos.h"

#include "capos.capnp.h"
#include "fmt/fmt.h"
#include "ring_raw.h"

#define MS 1000000ull

#define FL_CF    0x000001ull
#define FL_FIXED 0x000002ull
#define FL_PF    0x000004ull
#define FL_AF    0x000010ull
#define FL_ZF    0x000040ull
#define FL_SF    0x000080ull
#define FL_TF    0x000100ull
#define FL_IF    0x000200ull
#define FL_DF    0x000400ull
#define FL_OF    0x000800ull
#define FL_IOPL  0x003000ull
#define FL_NT    0x004000ull
#define FL_RF    0x010000ull
#define FL_VM    0x020000ull
#define FL_AC    0x040000ull
#define FL_VIF   0x080000ull
#define FL_VIP   0x100000ull
#define FL_ID    0x200000ull

/* What a user thread always has: IF and the fixed bit. */
#define FL_BASE (FL_IF | FL_FIXED)
/* The bits the kernel hands back as the thread had them (docs/abi.md). */
#define FL_KEPT                                                                \
	(FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_TF | FL_DF | FL_OF |       \
	 FL_AC | FL_ID)
/* Every bit these tests set (TF has runs of its own: it ends the thread). */
#define FL_ALL_BUT_TF                                                          \
	(FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_DF | FL_OF | FL_NT |       \
	 FL_AC | FL_ID)

#define SEL_NULL  0x00
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23

static capos_capid_t console, timer;
static uint64_t spin_iters;
static volatile uint64_t gs_probe = 0x6a5b4c3d2e1f0a9bull;
static __thread uint64_t tls_word = 0x7e57ab1e5eedull;

static uint64_t
expected(uint64_t set)
{
	return (set & FL_KEPT) | FL_BASE;
}

static uint64_t
now(void)
{
	uint64_t ns = 0;

	capos_timer_now(timer, &ns);
	return ns;
}

/* A system call made with RFLAGS = set; what came back. */
struct sysret_state {
	uint64_t flags, rax, rcx, r11, after_syscall;
};

static void
syscall_with_flags(uint64_t set, uint32_t min_complete, uint64_t timeout,
                   struct sysret_state *o)
{
	register uint64_t r11 __asm__("r11");
	uint64_t rax = CAPOS_SYS_CAP_ENTER, rcx, flags, rip;

	__asm__ volatile("pushq %[set]\n\t"
	                 "popfq\n\t"
	                 "syscall\n"
	                 "1:\n\t"
	                 "pushfq\n\t"
	                 "popq %[flags]\n\t"
	                 "pushq $0x202\n\t"
	                 "popfq\n\t"
	                 "leaq 1b(%%rip), %[rip]"
	                 : "+a"(rax), "=c"(rcx),
	                   "=r"(r11), [flags] "=&r"(flags), [rip] "=r"(rip)
	                 : [set] "r"(set), "D"((uint64_t)min_complete),
	                   "S"(timeout)
	                 : "memory", "cc");
	o->flags = flags;
	o->rax = rax;
	o->rcx = rcx;
	o->r11 = r11;
	o->after_syscall = rip;
}

/* Runs a LOOP (which changes no flag) iters times with RFLAGS = set. */
static uint64_t
spin_with_flags(uint64_t set, uint64_t iters)
{
	uint64_t flags;

	__asm__ volatile("pushq %[set]\n\t"
	                 "popfq\n"
	                 "1:\n\t"
	                 "loop 1b\n\t"
	                 "pushfq\n\t"
	                 "popq %[flags]\n\t"
	                 "pushq $0x202\n\t"
	                 "popfq"
	                 : [flags] "=&r"(flags), "+c"(iters)
	                 : [set] "r"(set)
	                 : "memory", "cc");
	return flags;
}

/*
 * The spin length that lasts about 100 ms of this thread's own CPU time,
 * so at least as long in wall time with the other processes running: ten
 * timer ticks and several quanta, so the thread is preempted and resumed
 * in the middle of every spin.  The speed is the best of a few short
 * runs, which the other processes' quanta can only slow down.
 */
static void
calibrate(void)
{
	uint64_t t0, t1, best = ~0ull, n = 1u << 16;
	int i;

	for (;;) {
		t0 = now();
		spin_with_flags(FL_BASE, n);
		t1 = now();
		if (t1 - t0 >= 2 * MS || n >= (1ull << 34))
			break;
		n <<= 1;
	}
	for (i = 0; i < 8; i++) {
		t0 = now();
		spin_with_flags(FL_BASE, n);
		t1 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	spin_iters = n * (100 * MS) / (best ? best : 1);
	if (spin_iters < n)
		spin_iters = n;
}

static void
check_flags(const char *name, uint64_t got, uint64_t set)
{
	ktest_check(got == expected(set), name,
	            "set %#lx, got %#lx, wanted %#lx", (unsigned long)set,
	            (unsigned long)got, (unsigned long)expected(set));
}

/* One NOP through a system call made with RFLAGS = set. */
static void
nop_with_flags(const char *name, uint64_t set)
{
	struct capos_sqe sqe = {.opcode = CAPOS_OP_NOP};
	struct sysret_state o;
	struct capos_cqe cqe = {.result = 1};
	char n[64];

	sqe.user_data = capos_next_tag();
	capos_submit(&sqe);
	syscall_with_flags(set, 1, 1000 * MS, &o);
	fmt_snprintf(n, sizeof(n), "rflags.%s.syscall", name);
	check_flags(n, o.flags, set);
	fmt_snprintf(n, sizeof(n), "rflags.%s.syscall_did_its_work", name);
	ktest_check((int64_t)o.rax >= 1 &&
	                capos_wait(sqe.user_data, 0, &cqe) == 0 &&
	                cqe.result == 0,
	            n, "cap_enter %ld, NOP result %d", (long)o.rax, cqe.result);
}

static void
spin_flags_check(const char *name, uint64_t set)
{
	char n[64];

	fmt_snprintf(n, sizeof(n), "rflags.%s.preempted", name);
	check_flags(n, spin_with_flags(set, spin_iters), set);
}

static void
test_each_flag(void)
{
	static const struct {
		const char *name;
		uint64_t bit;
	} bits[] = {
	    {"cf", FL_CF},
	    {"pf", FL_PF},
	    {"af", FL_AF},
	    {"zf", FL_ZF},
	    {"sf", FL_SF},
	    {"df", FL_DF},
	    {"of", FL_OF},
	    {"nt", FL_NT},
	    {"ac", FL_AC},
	    {"id", FL_ID},
	    {"all", FL_ALL_BUT_TF},
	    /* POPF at CPL 3 ignores these; the kernel must not set them. */
	    {"iopl", FL_IOPL},
	    {"rf_vif_vip", FL_RF | FL_VIF | FL_VIP},
	};
	unsigned i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		nop_with_flags(bits[i].name, FL_BASE | bits[i].bit);
		spin_flags_check(bits[i].name, FL_BASE | bits[i].bit);
	}
}

/* The return from a blocking cap_enter comes after a thread switch. */
static void
test_blocking(void)
{
	struct sysret_state o;
	uint64_t t0 = now();

	syscall_with_flags(FL_BASE | FL_NT, 1, 30 * MS, &o);
	check_flags("rflags.nt.blocked_syscall", o.flags, FL_BASE | FL_NT);
	ktest_check(o.rax == 0 && now() - t0 >= 30 * MS,
	            "rflags.nt.blocked_syscall_timed_out",
	            "cap_enter %ld after %lu ns", (long)o.rax,
	            (unsigned long)(now() - t0));
	syscall_with_flags(FL_BASE | FL_ALL_BUT_TF, 1, 30 * MS, &o);
	check_flags("rflags.all.blocked_syscall", o.flags,
	            FL_BASE | FL_ALL_BUT_TF);
	t0 = now();
	spin_with_flags(FL_BASE | FL_NT | FL_AC | FL_DF, spin_iters);
	ktest_check(now() - t0 >= 40 * MS, "preempt.spin_spans_ticks",
	            "a spin lasted only %lu ns", (unsigned long)(now() - t0));
}

/* RCX and R11 after SYSCALL: the return address and the new RFLAGS. */
static void
test_rcx_r11(void)
{
	struct sysret_state o;
	uint64_t set = FL_BASE | FL_CF | FL_NT | FL_AC;

	syscall_with_flags(set, 0, 0, &o);
	ktest_check(o.rcx == o.after_syscall, "syscall.rcx_is_return_rip",
	            "rcx %#lx, return address %#lx", (unsigned long)o.rcx,
	            (unsigned long)o.after_syscall);
	ktest_check(o.r11 == o.flags && o.r11 == expected(set),
	            "syscall.r11_is_returned_rflags", "r11 %#lx, rflags %#lx",
	            (unsigned long)o.r11, (unsigned long)o.flags);
}

/*
 * Every general register loaded from in[], then a SYSCALL (or a spin with
 * RCX as the counter), then every register stored to out[]:
 * rax rbx rcx rdx rsi rdi rbp r8-r15, rflags, rsp before and after.
 */
enum {
	R_RAX,
	R_RBX,
	R_RCX,
	R_RDX,
	R_RSI,
	R_RDI,
	R_RBP,
	R_R8,
	R_R9,
	R_R10,
	R_R11,
	R_R12,
	R_R13,
	R_R14,
	R_R15,
	R_FLAGS,
	R_RSP_IN,
	R_RSP_OUT,
	R_COUNT
};

void regs_syscall(const uint64_t *in, uint64_t *out);
void regs_spin(const uint64_t *in, uint64_t *out);
extern char regs_syscall_ret[];

__asm__(".macro REGS_LOAD\n\t"
        "pushq %rbx\n\tpushq %rbp\n\tpushq %r12\n\t"
        "pushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
        "pushq %rsi\n\t"
        "movq %rsp, 128(%rsi)\n\t"
        "pushq 120(%rdi)\n\tpopfq\n\t"
        "movq 0(%rdi), %rax\n\tmovq 8(%rdi), %rbx\n\t"
        "movq 16(%rdi), %rcx\n\tmovq 24(%rdi), %rdx\n\t"
        "movq 32(%rdi), %rsi\n\tmovq 48(%rdi), %rbp\n\t"
        "movq 56(%rdi), %r8\n\tmovq 64(%rdi), %r9\n\t"
        "movq 72(%rdi), %r10\n\tmovq 80(%rdi), %r11\n\t"
        "movq 88(%rdi), %r12\n\tmovq 96(%rdi), %r13\n\t"
        "movq 104(%rdi), %r14\n\tmovq 112(%rdi), %r15\n\t"
        "movq 40(%rdi), %rdi\n"
        ".endm\n"
        ".macro REGS_STORE\n\t"
        "pushfq\n\t"
        "pushq %rdi\n\t"
        "movq 16(%rsp), %rdi\n\t"
        "movq %rax, 0(%rdi)\n\tmovq %rbx, 8(%rdi)\n\t"
        "movq %rcx, 16(%rdi)\n\tmovq %rdx, 24(%rdi)\n\t"
        "movq %rsi, 32(%rdi)\n\tmovq %rbp, 48(%rdi)\n\t"
        "movq %r8, 56(%rdi)\n\tmovq %r9, 64(%rdi)\n\t"
        "movq %r10, 72(%rdi)\n\tmovq %r11, 80(%rdi)\n\t"
        "movq %r12, 88(%rdi)\n\tmovq %r13, 96(%rdi)\n\t"
        "movq %r14, 104(%rdi)\n\tmovq %r15, 112(%rdi)\n\t"
        "popq 40(%rdi)\n\t"
        "popq 120(%rdi)\n\t"
        "movq %rsp, 136(%rdi)\n\t"
        "pushq $0x202\n\tpopfq\n\t"
        "popq %rsi\n\t"
        "popq %r15\n\tpopq %r14\n\tpopq %r13\n\t"
        "popq %r12\n\tpopq %rbp\n\tpopq %rbx\n\t"
        "ret\n"
        ".endm\n"
        ".text\n"
        ".globl regs_syscall\n"
        "regs_syscall:\n\t"
        "REGS_LOAD\n\t"
        "syscall\n"
        ".globl regs_syscall_ret\n"
        "regs_syscall_ret:\n\t"
        "REGS_STORE\n"
        ".globl regs_spin\n"
        "regs_spin:\n\t"
        "REGS_LOAD\n"
        "1:\n\t"
        "loop 1b\n\t"
        "REGS_STORE\n");

static const char *const reg_names[R_COUNT] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rflags",
};

static void
fill_patterns(uint64_t *in)
{
	int i;

	for (i = 0; i < R_FLAGS; i++)
		in[i] = 0xc0de000000000000ull | ((uint64_t)(i + 1) << 40) |
		        (0x0123456789ull * (uint64_t)(i + 3));
	in[R_FLAGS] =
	    FL_BASE | FL_CF | FL_ZF | FL_OF | FL_DF | FL_AC | FL_ID | FL_NT;
}

static void
test_registers(void)
{
	uint64_t in[R_COUNT], out[R_COUNT];
	int i, bad;

	/* SYSCALL: everything but RAX, RCX and R11 comes back. */
	capos_flush();
	fill_patterns(in);
	in[R_RAX] = CAPOS_SYS_CAP_ENTER;
	in[R_RDI] = 0; /* min_complete: do not wait */
	regs_syscall(in, out);
	bad = -1;
	for (i = 0; i < R_FLAGS; i++)
		if (i != R_RAX && i != R_RCX && i != R_R11 && out[i] != in[i])
			bad = i;
	ktest_check(bad < 0, "syscall.registers_preserved",
	            "%s was %#lx, now %#lx", bad < 0 ? "" : reg_names[bad],
	            bad < 0 ? 0ul : (unsigned long)in[bad],
	            bad < 0 ? 0ul : (unsigned long)out[bad]);
	ktest_check(out[R_RSP_IN] == out[R_RSP_OUT], "syscall.rsp_preserved",
	            "rsp %#lx, then %#lx", (unsigned long)out[R_RSP_IN],
	            (unsigned long)out[R_RSP_OUT]);
	ktest_check((int64_t)out[R_RAX] >= 0, "syscall.rax_is_result",
	            "rax %#lx", (unsigned long)out[R_RAX]);
	ktest_check(out[R_RCX] == (uint64_t)(uintptr_t)regs_syscall_ret &&
	                out[R_R11] == expected(in[R_FLAGS]) &&
	                out[R_FLAGS] == expected(in[R_FLAGS]),
	            "syscall.rcx_r11_and_flags_with_all_registers_set",
	            "rcx %#lx r11 %#lx rflags %#lx", (unsigned long)out[R_RCX],
	            (unsigned long)out[R_R11], (unsigned long)out[R_FLAGS]);

	/* Preemption: every register comes back, RCX counted down. */
	fill_patterns(in);
	in[R_RCX] = spin_iters;
	regs_spin(in, out);
	bad = -1;
	for (i = 0; i < R_FLAGS; i++)
		if (i != R_RCX && out[i] != in[i])
			bad = i;
	ktest_check(bad < 0 && out[R_RCX] == 0, "preempt.registers_preserved",
	            "%s was %#lx, now %#lx", bad < 0 ? "rcx" : reg_names[bad],
	            bad < 0 ? 0ul : (unsigned long)in[bad],
	            (unsigned long)out[bad < 0 ? R_RCX : bad]);
	ktest_check(out[R_FLAGS] == expected(in[R_FLAGS]) &&
	                out[R_RSP_IN] == out[R_RSP_OUT],
	            "preempt.rflags_and_rsp_with_all_registers_set",
	            "rflags %#lx, rsp %#lx then %#lx",
	            (unsigned long)out[R_FLAGS], (unsigned long)out[R_RSP_IN],
	            (unsigned long)out[R_RSP_OUT]);
}

/* The user's stack pointer is its own, whatever it holds. */
static uint64_t
syscall_with_rsp(uint64_t rsp, int64_t *ret)
{
	uint64_t got, rax = CAPOS_SYS_CAP_ENTER;

	__asm__ volatile("movq %%rsp, %%r12\n\t"
	                 "movq %[rsp], %%rsp\n\t"
	                 "syscall\n\t"
	                 "movq %%rsp, %[got]\n\t"
	                 "movq %%r12, %%rsp"
	                 : [got] "=&r"(got), "+a"(rax)
	                 : [rsp] "r"(rsp), "D"(0ull), "S"(0ull)
	                 : "rcx", "r11", "r12", "memory", "cc");
	*ret = (int64_t)rax;
	return got;
}

static uint64_t
spin_with_rsp(uint64_t rsp, uint64_t iters)
{
	uint64_t got;

	__asm__ volatile("movq %%rsp, %%r12\n\t"
	                 "movq %[rsp], %%rsp\n"
	                 "1:\n\t"
	                 "loop 1b\n\t"
	                 "movq %%rsp, %[got]\n\t"
	                 "movq %%r12, %%rsp"
	                 : [got] "=&r"(got), "+c"(iters)
	                 : [rsp] "r"(rsp)
	                 : "r12", "memory", "cc");
	return got;
}

static void
test_stack_pointer(void)
{
	static const struct {
		const char *name;
		uint64_t rsp;
	} rsps[] = {
	    {"non_canonical", 0x8000000000001000ull},
	    {"kernel_address", 0xffffffff80001000ull},
	    {"zero", 0},
	};
	unsigned i;
	char n[64];

	for (i = 0; i < sizeof(rsps) / sizeof(rsps[0]); i++) {
		int64_t ret = -1;
		uint64_t got = syscall_with_rsp(rsps[i].rsp, &ret);

		fmt_snprintf(n, sizeof(n), "rsp.%s.syscall", rsps[i].name);
		ktest_check(got == rsps[i].rsp && ret >= 0, n,
		            "rsp %#lx, cap_enter %ld", (unsigned long)got,
		            (long)ret);
		got = spin_with_rsp(rsps[i].rsp, spin_iters);
		fmt_snprintf(n, sizeof(n), "rsp.%s.preempted", rsps[i].name);
		ktest_check(got == rsps[i].rsp, n, "rsp %#lx",
		            (unsigned long)got);
	}
}

/* Code and stack selectors are the user's, after either return path. */
static void
test_cs_ss(void)
{
	uint16_t cs, ss;

	capos_sys_cap_enter(0, 0);
	__asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1" : "=r"(cs), "=r"(ss));
	ktest_check(cs == SEL_UCODE && ss == SEL_UDATA, "syscall.cs_ss",
	            "cs %#x ss %#x", cs, ss);
	spin_with_flags(FL_BASE, spin_iters);
	__asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1" : "=r"(cs), "=r"(ss));
	ktest_check(cs == SEL_UCODE && ss == SEL_UDATA, "preempt.cs_ss",
	            "cs %#x ss %#x", cs, ss);
}

/*
 * DF set while the kernel copies our data: SYSCALL must clear it for the
 * kernel (its memcpy is a forward REP MOVS).  The Console line is checked
 * in the transcript, the Timer result here.
 */
static const char df_text[] =
    "cpu: copied with DF set: 0123456789abcdefghijklmnopqrstuvwxyz "
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ the end\n";

static void
test_df_copies(void)
{
	static struct capos_msgbuf mb;
	uint8_t res[64] __attribute__((aligned(8)));
	struct capos_sqe sqe = {.opcode = CAPOS_OP_CALL};
	struct capos_cqe cqe = {.result = 1};
	struct sysret_state o;
	struct capnp_msg m;
	uint64_t t0, t1, ns = 0;

	capos_msg_begin(&mb);
	capos_Console_write_Params_set_data(
	    capos_Console_write_Params_build_root(&mb.b), df_text,
	    sizeof(df_text) - 1);
	capos_msg_end(&mb);
	sqe.cap = console;
	sqe.method = capos_Console_METHOD_write;
	sqe.interface_id = capos_Console_TYPE_ID;
	sqe.params_addr = (uint64_t)(uintptr_t)mb.framed;
	sqe.params_len = mb.framed_len;
	sqe.user_data = capos_next_tag();
	capos_submit(&sqe);
	syscall_with_flags(FL_BASE | FL_DF, 1, 1000 * MS, &o);
	ktest_check(capos_wait(sqe.user_data, 1000 * MS, &cqe) == 0 &&
	                cqe.result >= 0 && (o.flags & FL_DF),
	            "df.console_write_with_df_set", "result %d, rflags %#lx",
	            cqe.result, (unsigned long)o.flags);

	t0 = now();
	sqe = (struct capos_sqe){.opcode = CAPOS_OP_CALL,
	                         .cap = timer,
	                         .method = capos_Timer_METHOD_now,
	                         .interface_id = capos_Timer_TYPE_ID,
	                         .result_addr = (uint64_t)(uintptr_t)res,
	                         .result_len = sizeof(res),
	                         .user_data = capos_next_tag()};
	memset(res, 0xdf, sizeof(res));
	capos_submit(&sqe);
	syscall_with_flags(FL_BASE | FL_DF, 1, 1000 * MS, &o);
	t1 = now();
	if (capos_wait(sqe.user_data, 1000 * MS, &cqe) == 0 && cqe.result > 0 &&
	    capos_msg_read(&m, res, (size_t)cqe.result) == 0)
		ns = capos_Timer_now_Results_get_ns(
		    capos_Timer_now_Results_read_root(&m));
	ktest_check(ns >= t0 && ns <= t1, "df.timer_result_copied_with_df_set",
	            "now %lu outside [%lu, %lu]", (unsigned long)ns,
	            (unsigned long)t0, (unsigned long)t1);

	/* Preempted with DF set; the kernel's copies still go forward. */
	spin_with_flags(FL_BASE | FL_DF, spin_iters);
	ktest_check(
	    capos_console_write_line(console, "cpu: written after DF") == 0,
	    "df.kernel_copies_after_preemption", "write failed");
}

/* TLS through FS survives preemption by processes with other FS bases. */
static void
test_fs_base(void)
{
	uint64_t self0, self1, want = tls_word + 1;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(self0));
	tls_word = want;
	spin_with_flags(FL_BASE, spin_iters);
	capos_sys_cap_enter(1, 20 * MS); /* blocks: another thread runs */
	__asm__ volatile("movq %%fs:0, %0" : "=r"(self1));
	ktest_check(self0 == self1 && self0 >= CAPOS_USER_TLS_BASE &&
	                tls_word == want,
	            "fs.base_preserved", "TCB %#lx then %#lx, tls %#lx",
	            (unsigned long)self0, (unsigned long)self1,
	            (unsigned long)tls_word);
}

/*
 * The user's GS base is 0, never the kernel's per-CPU block: a load
 * through %gs from the address of a variable reads that variable (with
 * the kernel's base it would fault and end the test).
 */
static bool
gs_base_is_zero(void)
{
	uint64_t v;

	__asm__ volatile("movq %%gs:(%1), %0"
	                 : "=r"(v)
	                 : "r"(&gs_probe)
	                 : "memory");
	return v == gs_probe;
}

static void
load_selectors(uint16_t ds, uint16_t es, uint16_t fs, uint16_t gs)
{
	__asm__ volatile("movw %0, %%ds\n\t"
	                 "movw %1, %%es\n\t"
	                 "movw %2, %%fs\n\t"
	                 "movw %3, %%gs"
	                 :
	                 : "r"(ds), "r"(es), "r"(fs), "r"(gs)
	                 : "memory");
}

static bool
selectors_are(uint16_t ds, uint16_t es, uint16_t fs, uint16_t gs,
              uint16_t got[4])
{
	__asm__ volatile("movw %%ds, %0\n\t"
	                 "movw %%es, %1\n\t"
	                 "movw %%fs, %2\n\t"
	                 "movw %%gs, %3"
	                 : "=r"(got[0]), "=r"(got[1]), "=r"(got[2]),
	                   "=r"(got[3]));
	return got[0] == ds && got[1] == es && got[2] == fs && got[3] == gs;
}

/*
 * Loading FS zeroes its base, and the runtime keeps its state in TLS
 * through it: until ThreadControl.setFsBase puts the base back, nothing
 * here may run runtime code.  The call goes through the ring by hand
 * (ring_raw.h), its params framed before the selectors change.
 */
struct fs_restore {
	capos_capid_t control;
	uint64_t tcb;
	uint8_t params[64] __attribute__((aligned(8)));
	uint32_t len;
};

static bool
fs_restore_prepare(struct fs_restore *f)
{
	struct capos_msgbuf mb;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(f->tcb));
	if (capos_capset_find("thread", capos_ThreadControl_TYPE_ID,
	                      &f->control))
		return false;
	capos_msg_begin(&mb);
	capos_ThreadControl_setFsBase_Params_set_base(
	    capos_ThreadControl_setFsBase_Params_build_root(&mb.b), f->tcb);
	if (capos_msg_end(&mb) || mb.framed_len > sizeof(f->params))
		return false;
	memcpy(f->params, mb.framed, mb.framed_len);
	f->len = mb.framed_len;
	return true;
}

static int32_t
fs_restore(const struct fs_restore *f)
{
	struct capos_ring_page *ring = (void *)CAPOS_USER_RING_ADDR;

	raw_call(ring, f->control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_setFsBase, 1, f->params, f->len);
	return raw_reap(ring).result;
}

/* What a round saw, reported once the FS base is back. */
struct selector_seen {
	uint16_t got[3][4];
	bool ok[3], gs_zero;
	int32_t restored;
};

static void
selector_round(const char *name, const struct fs_restore *f, uint16_t ds,
               uint16_t es, uint16_t fs, uint16_t gs)
{
	static const char *const when[3] = {"syscall", "preempted",
	                                    "blocked_syscall"};
	struct selector_seen s;
	char n[64];
	int i;

	load_selectors(ds, es, fs, gs);
	capos_sys_cap_enter(0, 0);
	s.ok[0] = selectors_are(ds, es, fs, gs, s.got[0]);
	spin_with_flags(FL_BASE, spin_iters);
	s.ok[1] = selectors_are(ds, es, fs, gs, s.got[1]);
	capos_sys_cap_enter(1, 20 * MS);
	s.ok[2] = selectors_are(ds, es, fs, gs, s.got[2]);
	s.gs_zero = gs_base_is_zero();
	s.restored = fs_restore(f);
	for (i = 0; i < 3; i++) {
		fmt_snprintf(n, sizeof(n), "segments.%s.%s", name, when[i]);
		ktest_check(s.ok[i], n, "ds %#x es %#x fs %#x gs %#x",
		            s.got[i][0], s.got[i][1], s.got[i][2], s.got[i][3]);
	}
	fmt_snprintf(n, sizeof(n), "segments.%s.gs_base_zero", name);
	ktest_check(s.gs_zero, n, "gs base not 0");
	fmt_snprintf(n, sizeof(n), "segments.%s.fs_base_restored", name);
	ktest_check_code(s.restored, 0, n);
}

/* Last: the rounds load selectors the runtime does not expect. */
static void
test_segments(void)
{
	struct fs_restore f;

	if (!fs_restore_prepare(&f)) {
		ktest_check(false, "segments.prepare", "no ThreadControl");
		return;
	}
	ktest_check(gs_base_is_zero(), "gs.base_zero_at_start", "gs base");
	capos_sys_cap_enter(0, 0);
	spin_with_flags(FL_BASE, spin_iters);
	ktest_check(gs_base_is_zero(), "gs.base_zero_after_kernel_entries",
	            "gs base");
	/* The peer runs beside us with other selectors loaded. */
	selector_round("null", &f, SEL_NULL, SEL_NULL, SEL_NULL, SEL_NULL);
	selector_round("user", &f, SEL_UDATA, SEL_UCODE, SEL_UDATA, SEL_UDATA);
	selector_round("rpl", &f, SEL_UDATA & ~3, SEL_UDATA & ~1,
	               SEL_UCODE & ~1, SEL_UDATA & ~2);
	load_selectors(SEL_NULL, SEL_NULL, SEL_NULL, SEL_NULL);
	fs_restore(&f);
}

/*
 * A second copy of this program (run=cpustate,spin,cpustate) is the
 * peer: it loads data segment selectors unlike any the test loads, and
 * spins.  If the kernel let selectors leak from one thread to the next,
 * the test would see these.
 */
static void __attribute__((noreturn)) segment_peer(void)
{
	volatile uint64_t n = 0;

	load_selectors(SEL_UCODE, SEL_UDATA, SEL_UCODE, SEL_UCODE);
	for (;;)
		n++;
}

/* x87 and SSE instructions run (no #NM, no #UD), with the default
 * control words: every exception masked, round to nearest. */
static void
test_fp_on(void)
{
	uint16_t fcw = 0;
	uint32_t mxcsr = 0;

	__asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(fcw), "=m"(mxcsr));
	ktest_check(fcw == 0x037f && mxcsr == 0x1f80, "fp_on_with_defaults",
	            "FCW %#x, MXCSR %#x", fcw, mxcsr);
}

int
main(void)
{
	if (capos_pid() != 1)
		segment_peer();
	ktest_prefix("cpu.");
	test_fp_on();
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer)) {
		printf("KTEST not ok cpu.capset: a kernel cap is missing\n");
		return 1;
	}
	calibrate();
	printf("cpu: %lu iterations per spin\n", (unsigned long)spin_iters);
	test_each_flag();
	test_blocking();
	test_rcx_r11();
	test_registers();
	test_stack_pointer();
	test_cs_ss();
	test_df_copies();
	test_fs_base();
	test_segments();
	ktest_check(capos_console_write_line(console, "cpu: still here") == 0 &&
	                now() > 0,
	            "kernel_survived", "the kernel stopped answering");
	printf("cpu state test: %d failures\n", ktest_failures());
	return ktest_failures();
}
