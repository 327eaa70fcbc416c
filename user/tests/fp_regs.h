/*
 * FP/SIMD register checks shared by the tests of FP/SIMD state
 * (fpu_iso between processes, threadtest between threads): every
 * register one asm block can load and store, at fixed offsets, and the
 * comparison that names the first register that differs.
 */
#ifndef USER_TESTS_FP_REGS_H
#define USER_TESTS_FP_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.h"
#include "fmt/fmt.h"

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

/* Stores every register into *out, popping the x87 stack. */
#define STORE_ALL                                                              \
	".irp r,0,1,2,3,4,5,6,7\n\t"                                           \
	"fstpl 8*\\r(%[out])\n\t"                                              \
	".endr\n\t"                                                            \
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"                     \
	"movdqu %%xmm\\r, 64+16*\\r(%[out])\n\t"                               \
	".endr\n\t"                                                            \
	"testb %[avx], %[avx]\n\t"                                             \
	"jz 2f\n\t"                                                            \
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"                     \
	"vextractf128 $1, %%ymm\\r, 320+16*\\r(%[out])\n\t"                    \
	".endr\n"                                                              \
	"2:\n\t"                                                               \
	"stmxcsr 576(%[out])\n\t"                                              \
	"fnstcw 580(%[out])"

/*
 * cap_enter(1, infinite) with every register of *in loaded; *out gets
 * them back as the thread found them after the system call.
 */
static inline int64_t
enter_holding(const struct fp_regs *in, struct fp_regs *out, bool avx)
{
	uint64_t rax = CAPOS_SYS_CAP_ENTER;

	__asm__ volatile(LOAD_ALL "syscall\n\t" STORE_ALL
	                 : "+a"(rax)
	                 : [in] "r"(in), [out] "r"(out), [avx] "r"(avx),
	                   "D"((uint64_t)1), "S"(CAPOS_TIMEOUT_INFINITE)
	                 : "rcx", "r11", "memory", "cc", FP_CLOBBERS);
	return (int64_t)rax;
}

/*
 * Spins with every register of *in loaded until another thread has run
 * in between (*last, a word every spinner writes its id to, changed
 * under it) `want` times, or `max` turns passed; *out gets the registers
 * back.  Returns the switches seen.  The loop touches no FP register, so
 * only a context switch (a preemption) could change them.
 */
static inline uint32_t
spin_holding(const struct fp_regs *in, struct fp_regs *out, bool avx,
             volatile uint32_t *last, uint32_t me, uint32_t want, uint64_t max)
{
	uint32_t seen = 0;

	__asm__ volatile(LOAD_ALL "movl %[me], (%[last])\n"
	                          "3:\n\t"
	                          "cmpl %[me], (%[last])\n\t"
	                          "je 4f\n\t"
	                          "incl %[seen]\n\t"
	                          "movl %[me], (%[last])\n\t"
	                          "cmpl %[want], %[seen]\n\t"
	                          "jae 5f\n"
	                          "4:\n\t"
	                          "decq %[max]\n\t"
	                          "jnz 3b\n"
	                          "5:\n\t" STORE_ALL
	                 : [seen] "+r"(seen), [max] "+r"(max)
	                 : [in] "r"(in), [out] "r"(out), [avx] "r"(avx),
	                   [last] "r"(last), [me] "r"(me), [want] "r"(want)
	                 : "memory", "cc", FP_CLOBBERS);
	return seen;
}

/* Loads every register of *in and leaves them so (the x87 stack popped,
 * its registers still holding the values). */
static inline void
leave_loaded(const struct fp_regs *in, bool avx)
{
	__asm__ volatile(LOAD_ALL ".irp r,0,1,2,3,4,5,6,7\n\t"
	                          "fstp %%st(0)\n\t"
	                          ".endr"
	                 :
	                 : [in] "r"(in), [avx] "r"(avx)
	                 : "memory", "cc", FP_CLOBBERS);
}

static inline uint64_t
fp_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Values for seed: normal doubles in [1, 2) (any sign) for x87, which
 * load and store exactly; anything for the rest; a rounding mode picked
 * by rc (0-3) in both control words.  Without AVX the upper halves are 0. */
static inline void
fp_fill(struct fp_regs *r, uint64_t seed, unsigned rc, bool avx)
{
	uint64_t *w;
	unsigned i;

	for (i = 0; i < 8; i++)
		r->st[i] = (fp_mix(seed + i) & 0x800fffffffffffffull) |
		           0x3ff0000000000000ull;
	w = (uint64_t *)(void *)r->xmm;
	for (i = 0; i < 64; i++)
		w[i] = fp_mix(seed * 131 + 100 + i);
	r->mxcsr = 0x1f80 | (rc & 3) << 13;
	r->fcw = (uint16_t)(0x037f | (rc & 3) << 10);
	if (!avx)
		memset(r->yhi, 0, sizeof(r->yhi));
}

/* The first register that differs, named into buf; false if none. */
static inline bool
fp_differs(const struct fp_regs *a, const struct fp_regs *b, char *buf,
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

static inline bool
fp_cpu_has_avx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if ((c & (3u << 27)) != (3u << 27)) /* OSXSAVE and AVX */
		return false;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 6) == 6;
}

#endif
