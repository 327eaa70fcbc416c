/*
 * fpu_start: the FP/SIMD state a new process starts with, and that the
 * unit works.  The entry point below saves the registers before the
 * runtime runs a single instruction (FXSAVE, and the upper halves of the
 * YMM registers when the kernel enabled AVX), then goes on to _start;
 * main checks them against docs/abi.md section 1: x87 control word
 * 0x037F, MXCSR 0x1F80, an empty x87 stack, every register zero.  Then a
 * few computations on x87 and SSE.  Run alone (boot case user-fpu) and
 * by fpu_iso right after it filled every register with its own values.
 * Exit code: the number of failed checks.
 */
#include "capos.h"

/* The FXSAVE image (the legacy region of XSAVE). */
struct fxsave_image {
	uint16_t fcw, fsw;
	uint8_t ftw_abridged, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
};
_Static_assert(sizeof(struct fxsave_image) == 512, "FXSAVE image");

struct fxsave_image entry_fx __attribute__((aligned(16)));
uint8_t entry_yhi[16][16];
uint8_t entry_avx; /* 1: the kernel enabled AVX (XCR0) and yhi is filled */

/*
 * The ELF entry point (the link gives -e fpu_start_entry).  RDI, RSI and
 * RDX carry the entry ABI: RDX is kept in R8 (0 at entry) across CPUID and
 * XGETBV, which write it.
 */
__asm__(".text\n"
        ".global fpu_start_entry\n"
        "fpu_start_entry:\n"
        "	fxsave64 entry_fx(%rip)\n"
        "	movq %rdx, %r8\n"
        "	movl $1, %eax\n"
        "	cpuid\n"
        "	andl $0x18000000, %ecx\n" /* OSXSAVE (27) and AVX (28) */
        "	cmpl $0x18000000, %ecx\n"
        "	jne 1f\n"
        "	xorl %ecx, %ecx\n"
        "	xgetbv\n"
        "	andl $6, %eax\n" /* SSE and AVX state enabled */
        "	cmpl $6, %eax\n"
        "	jne 1f\n"
        "	movb $1, entry_avx(%rip)\n"
        "	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "	vextractf128 $1, %ymm\\r, entry_yhi+16*\\r(%rip)\n"
        "	.endr\n"
        "1:\n"
        "	movq %r8, %rdx\n"
        "	xorl %r8d, %r8d\n"
        "	jmp _start\n");

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool
cpu_has_avx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c & (1u << 28)) != 0;
}

static void
test_entry_state(void)
{
	int i, st_bad = -1;

	ktest_check(entry_fx.fcw == 0x037f, "fcw_default", "FCW %#x",
	            entry_fx.fcw);
	ktest_check(entry_fx.mxcsr == 0x1f80, "mxcsr_default", "MXCSR %#x",
	            entry_fx.mxcsr);
	ktest_check(entry_fx.fsw == 0 && entry_fx.ftw_abridged == 0,
	            "x87_stack_empty", "FSW %#x, tags %#x", entry_fx.fsw,
	            entry_fx.ftw_abridged);
	for (i = 7; i >= 0; i--)
		if (!all_zero(entry_fx.st[i], 10))
			st_bad = i;
	ktest_check(st_bad < 0, "st_zero", "ST%d is not zero", st_bad);
	for (i = 15, st_bad = -1; i >= 0; i--)
		if (!all_zero(entry_fx.xmm[i], 16))
			st_bad = i;
	ktest_check(st_bad < 0, "xmm_zero", "XMM%d is not zero", st_bad);
	ktest_check(entry_avx == cpu_has_avx(), "avx_iff_cpu_has_it",
	            "AVX enabled %d, CPU has AVX %d", entry_avx, cpu_has_avx());
	for (i = 15, st_bad = -1; i >= 0; i--)
		if (!all_zero(entry_yhi[i], 16))
			st_bad = i;
	ktest_check(st_bad < 0, "ymm_upper_zero",
	            "the upper half of YMM%d is not zero", st_bad);
}

/* The runtime ran before main: it changes neither control register. */
static void
test_main_state(void)
{
	uint16_t fcw = 0;
	uint32_t mxcsr = 0;

	__asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(fcw), "=m"(mxcsr));
	ktest_check(fcw == 0x037f && mxcsr == 0x1f80, "defaults_at_main",
	            "FCW %#x, MXCSR %#x", fcw, mxcsr);
}

static void
test_compute(void)
{
	volatile double one = 1.0, three = 3.0;
	double sse = one / three, x87;
	int32_t in = 144, root = 0;

	__asm__ volatile("fildl %1\n\tfsqrt\n\tfistpl %0"
	                 : "=m"(root)
	                 : "m"(in));
	ktest_check(root == 12, "x87_sqrt", "sqrt(144) gave %d", root);
	/* 1/3 in extended precision rounds to the same double SSE gives. */
	__asm__ volatile("fldl %1\n\tfdivl %2\n\tfstpl %0"
	                 : "=m"(x87)
	                 : "m"(one), "m"(three));
	ktest_check(x87 == sse, "x87_matches_sse", "1/3 differs");
	ktest_check((int)(sse * 300.0 + 0.5) == 100, "sse_arithmetic",
	            "1/3 * 300 rounded to %d", (int)(sse * 300.0 + 0.5));
}

int
main(void)
{
	ktest_prefix("fpu_start.");
	test_main_state();
	test_entry_state();
	test_compute();
	return ktest_failures();
}
