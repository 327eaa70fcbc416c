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

#define ROUND_TRIPS   2000
#define METHOD_ROUND  0
#define METHOD_FINISH 1

/* The registers one asm block loads and stores, at fixed offsets. */
struct fp_regs {
	uint64_t st[8];       /* 0: doubles, ST0 first */
	uint8_t xmm[16][16];  /* 64 */
	uint8_t yhi[16][16];  /* 320: upper halves of YMM0-15 */
	uint32_t mxcsr;       /* 576 */
	uint16_t fcw, pad[5]; /* 580 */
} __attribute__((aligned(16)));
_Static_assert(__builtin_offsetof(struct fp_regs, xmm) == 64, "xmm");
_Static_assert(__builtin_offsetof(struct fp_regs, yhi) == 320, "yhi");
_Static_assert(__builtin_offsetof(struct fp_regs, mxcsr) == 576, "mxcsr");
_Static_assert(__builtin_offsetof(struct fp_regs, fcw) == 580, "fcw");

static bool avx;
static struct fp_regs want, got;

#define LOAD_ALL                                                               \
	"fldcw 580(%[in])\n\t"                                                 \
	"ldmxcsr 576(%[in])\n\t"                                               \
	".irp r,7,6,5,4,3,2,1,0\n\t"                                           \
	"fldl 8*\\r(%[in])\n\t"                                                \
	".endr\n\t"                                                            \
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"                     \
	"movdqu 64+16*\\r(%[in]), %%xmm\\r\n\t"                                \
	".endr\n\t"                                                            \
	"testb %[avx], %[avx]\n\t"                                             \
	"jz 1f\n\t"                                                            \
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"                     \
	"vinsertf128 $1, 320+16*\\r(%[in]), %%ymm\\r, %%ymm\\r\n\t"            \
	".endr\n"                                                              \
	"1:\n\t"

#define FP_CLOBBERS                                                            \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",        \
	    "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",       \
	    "xmm15", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)",        \
	    "st(6)", "st(7)"

/*
 * cap_enter(1, infinite) with every register of *in loaded; *out gets
 * them back as the thread found them after the system call.
 */
static int64_t
enter_holding(const struct fp_regs *in, struct fp_regs *out)
{
	uint64_t rax = CAPOS_SYS_CAP_ENTER;

	__asm__ volatile(LOAD_ALL
	                 "syscall\n\t"
	                 ".irp r,0,1,2,3,4,5,6,7\n\t"
	                 "fstpl 8*\\r(%[out])\n\t"
	                 ".endr\n\t"
	                 ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	                 "movdqu %%xmm\\r, 64+16*\\r(%[out])\n\t"
	                 ".endr\n\t"
	                 "testb %[avx], %[avx]\n\t"
	                 "jz 2f\n\t"
	                 ".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
	                 "vextractf128 $1, %%ymm\\r, 320+16*\\r(%[out])\n\t"
	                 ".endr\n"
	                 "2:\n\t"
	                 "stmxcsr 576(%[out])\n\t"
	                 "fnstcw 580(%[out])"
	                 : "+a"(rax)
	                 : [in] "r"(in), [out] "r"(out), [avx] "r"(avx),
	                   "D"((uint64_t)1), "S"(CAPOS_TIMEOUT_INFINITE)
	                 : "rcx", "r11", "memory", "cc", FP_CLOBBERS);
	return (int64_t)rax;
}

/* Loads every register of *in and leaves them so (the x87 stack popped,
 * its registers still holding the values). */
static void
leave_loaded(const struct fp_regs *in)
{
	__asm__ volatile(LOAD_ALL ".irp r,0,1,2,3,4,5,6,7\n\t"
	                          "fstp %%st(0)\n\t"
	                          ".endr"
	                 :
	                 : [in] "r"(in), [avx] "r"(avx)
	                 : "memory", "cc", FP_CLOBBERS);
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Values of this process and iteration: normal doubles in [1, 2) (any
 * sign) for x87, which load and store exactly; anything for the rest. */
static void
fill(struct fp_regs *r, uint64_t iter)
{
	uint64_t seed = capos_pid() << 32 ^ iter, *w;
	unsigned i, rc = (unsigned)(capos_pid() + iter) & 3;

	for (i = 0; i < 8; i++)
		r->st[i] = (mix(seed + i) & 0x800fffffffffffffull) |
		           0x3ff0000000000000ull;
	w = (uint64_t *)(void *)r->xmm;
	for (i = 0; i < 64; i++)
		w[i] = mix(seed * 131 + 100 + i);
	r->mxcsr = 0x1f80 | rc << 13;
	r->fcw = (uint16_t)(0x037f | rc << 10);
	if (!avx)
		memset(r->yhi, 0, sizeof(r->yhi));
}

/* The first register that differs, named into buf; false if none. */
static bool
differs(const struct fp_regs *a, const struct fp_regs *b, char *buf,
        size_t size)
{
	unsigned i;

	if (a->fcw != b->fcw)
		return fmt_snprintf(buf, size, "FCW %#x, not %#x", b->fcw,
		                    a->fcw) > 0;
	if (a->mxcsr != b->mxcsr)
		return fmt_snprintf(buf, size, "MXCSR %#x, not %#x", b->mxcsr,
		                    a->mxcsr) > 0;
	for (i = 0; i < 8; i++)
		if (a->st[i] != b->st[i])
			return fmt_snprintf(buf, size, "ST%u", i) > 0;
	for (i = 0; i < 16; i++)
		if (memcmp(a->xmm[i], b->xmm[i], 16))
			return fmt_snprintf(buf, size, "XMM%u", i) > 0;
	for (i = 0; i < 16; i++)
		if (memcmp(a->yhi[i], b->yhi[i], 16))
			return fmt_snprintf(buf, size, "upper half of YMM%u",
			                    i) > 0;
	return false;
}

static bool
cpu_has_avx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if ((c & (3u << 27)) != (3u << 27)) /* OSXSAVE and AVX */
		return false;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 6) == 6;
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
		enter_holding(&want, &got);
		if (!bad && differs(&want, &got, why, sizeof(why))) {
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
		enter_holding(&want, &got);
		if (differs(&want, &got, why, size))
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

	avx = cpu_has_avx();
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
	leave_loaded(&want);
	err = capos_spawn(spawner, "fpu_start", "fpu_start", &g, 1, NULL, 0,
	                  NULL, &handle, NULL);
	ktest_check(err == 0, "spawn.fpu_start", "%s", capos_strerror(err));
	if (!err)
		ktest_check_code(wait_exit(handle), 0, "fpu_start.exit_0");
	printf("fpu test: %d failures\n", ktest_failures());
	return ktest_failures();
}
