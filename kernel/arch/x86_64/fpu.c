/*
 * FP/SIMD state: turning the unit on for user mode, sizing and filling
 * the per-thread save areas, and the save and restore the context switch
 * does (sched.c).  Eager: every switch away from a user thread saves its
 * state and every switch to one loads it, so no trap (#NM) and no
 * ownership to track; XSAVEOPT keeps the save cheap for components the
 * thread did not change since its last restore (docs/architecture.md).
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "mm/kheap.h"

/* The legacy region both FXSAVE and XSAVE start with, and XSAVE's
 * header after it (standard form). */
struct fxsave_legacy {
	uint16_t fcw, fsw;
	uint8_t ftw_abridged, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
};
struct xsave_header {
	uint64_t xstate_bv, xcomp_bv;
	uint64_t reserved[6];
};
_Static_assert(sizeof(struct fxsave_legacy) == 512, "FXSAVE area");
_Static_assert(sizeof(struct xsave_header) == 64, "XSAVE header");

struct fpu_info fpu_info;

/* What a clear_x87_pointers restore loads first (see fpu_restore). */
static const uint32_t x87_scrub_word;

static inline void
xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv"
	                 :
	                 : "c"(reg), "a"((uint32_t)v),
	                   "d"((uint32_t)(v >> 32)));
}

static const char *
method_name(enum fpu_method m)
{
	switch (m) {
	case FPU_FXSAVE:
		return "fxsave";
	case FPU_XSAVE:
		return "xsave";
	case FPU_XSAVEOPT:
		return "xsaveopt";
	}
	return "?";
}

static void
enable_sse(void)
{
	/* MP with EM clear: FP instructions run, WAIT honours TS (never set).
	 * NE: x87 errors are #MF exceptions, not the legacy FERR# pin. */
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	/* OSFXSR: SSE on, FXSAVE saves it; OSXMMEXCPT: unmasked SIMD
	 * errors are #XM, not #UD. */
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

/* XSAVE on with the components xcr0 names, or off when it names none. */
static void
enable_xsave(uint64_t xcr0)
{
	if (xcr0) {
		write_cr4(read_cr4() | CR4_OSXSAVE);
		xsetbv(0, xcr0);
	} else {
		write_cr4(read_cr4() & ~CR4_OSXSAVE);
	}
}

void
fpu_enable_cpu(void)
{
	enable_sse();
	enable_xsave(fpu_info.xcr0);
}

void
fpu_init(void)
{
	uint32_t a, b, c, d, ecx1, max, max_ext;

	cpuid(0, 0, &max, &b, &c, &d);
	cpuid(1, 0, &a, &b, &ecx1, &d);
	if (!(d & (1u << 24)))
		panic("the CPU has no FXSAVE/FXRSTOR");
	enable_sse();

	fpu_info.method = FPU_FXSAVE;
	fpu_info.area_size = sizeof(struct fxsave_legacy);
	if ((ecx1 & (1u << 26)) && max >= 0xd) {
		uint64_t offered;

		cpuid(0xd, 0, &a, &b, &c, &d);
		offered = ((uint64_t)d << 32) | a;
		fpu_info.xcr0 = XCR0_X87 | XCR0_SSE;
		/* AVX needs both the instructions and the state component. */
		if ((ecx1 & (1u << 28)) && (offered & XCR0_AVX))
			fpu_info.xcr0 |= XCR0_AVX;
		enable_xsave(fpu_info.xcr0);
		/* EBX now gives the size for exactly what XCR0 enables. */
		cpuid(0xd, 0, &a, &b, &c, &d);
		fpu_info.area_size = b;
		cpuid(0xd, 1, &a, &b, &c, &d);
		fpu_info.method = (a & 1u) ? FPU_XSAVEOPT : FPU_XSAVE;
	} else {
		enable_xsave(0);
	}
	KASSERT(fpu_info.area_size >=
	        sizeof(struct fxsave_legacy) +
	            (fpu_info.xcr0 ? sizeof(struct xsave_header) : 0));

	/* AMD CPUs without "XSaveErPtr" write the x87 error pointers only
	 * while an exception is pending, so a thread could read the last
	 * x87 instruction address of the one before it. */
	cpuid(0x80000000, 0, &max_ext, &b, &c, &d);
	if (strcmp(cpu_features.vendor, "AuthenticAMD") == 0) {
		b = 0;
		if (max_ext >= 0x80000008)
			cpuid(0x80000008, 0, &a, &b, &c, &d);
		fpu_info.clear_x87_pointers = !(b & (1u << 2));
	}
	kprintf("fpu: %s, xcr0 %#lx (x87 sse%s), area %u bytes%s\n",
	        method_name(fpu_info.method), (unsigned long)fpu_info.xcr0,
	        (fpu_info.xcr0 & XCR0_AVX) ? " avx" : "", fpu_info.area_size,
	        fpu_info.clear_x87_pointers ? ", x87 pointers cleared" : "");
}

/*
 * The area is a kernel heap allocation (counted in the heap ledger the
 * leak checks read), over-allocated so that it can be aligned; the
 * allocation's own address sits in the word below the aligned area.
 */
void *
fpu_area_alloc(void)
{
	size_t size = fpu_info.area_size;
	uint8_t *raw = kmalloc(size + FPU_AREA_ALIGN + sizeof(void *));
	uintptr_t at;
	struct fxsave_legacy *fx;

	if (!raw)
		return NULL;
	at = ((uintptr_t)raw + sizeof(void *) + FPU_AREA_ALIGN - 1) &
	     ~(uintptr_t)(FPU_AREA_ALIGN - 1);
	((void **)at)[-1] = raw;
	/* The default state: registers zero, every x87 register empty
	 * (abridged tag 0), exceptions masked.  With XSAVE, x87 and SSE
	 * are marked present so XRSTOR loads exactly these bytes, and
	 * every other component (AVX's upper halves) absent, which XRSTOR
	 * turns into its initial state, zero. */
	memset((void *)at, 0, size);
	fx = (struct fxsave_legacy *)at;
	fx->fcw = FPU_DEFAULT_FCW;
	fx->mxcsr = FPU_DEFAULT_MXCSR;
	if (fpu_info.method != FPU_FXSAVE) {
		struct xsave_header *h = (struct xsave_header *)(fx + 1);

		h->xstate_bv = XCR0_X87 | XCR0_SSE;
	}
	return (void *)at;
}

void
fpu_area_free(void *area)
{
	if (area)
		kfree(((void **)area)[-1]);
}

void
fpu_save(void *area)
{
	switch (fpu_info.method) {
	case FPU_XSAVEOPT:
		__asm__ volatile("xsaveopt64 %0"
		                 : "+m"(*(struct fxsave_legacy *)area)
		                 : "a"(~0u), "d"(~0u)
		                 : "memory");
		break;
	case FPU_XSAVE:
		__asm__ volatile("xsave64 %0"
		                 : "+m"(*(struct fxsave_legacy *)area)
		                 : "a"(~0u), "d"(~0u)
		                 : "memory");
		break;
	case FPU_FXSAVE:
		__asm__ volatile("fxsave64 %0"
		                 : "=m"(*(struct fxsave_legacy *)area)
		                 :
		                 : "memory");
		break;
	}
}

void
fpu_restore(const void *area)
{
	/* Loads the x87 error pointers with the kernel's own values first:
	 * no pending exception (FNCLEX), an empty stack (EMMS), then one
	 * load that sets them. */
	if (fpu_info.clear_x87_pointers)
		__asm__ volatile("fnclex\n\temms\n\tfildl %0\n\tfstp %%st(0)"
		                 :
		                 : "m"(x87_scrub_word));
	if (fpu_info.method == FPU_FXSAVE)
		__asm__ volatile("fxrstor64 %0"
		                 :
		                 : "m"(*(const struct fxsave_legacy *)area)
		                 : "memory");
	else
		__asm__ volatile("xrstor64 %0"
		                 :
		                 : "m"(*(const struct fxsave_legacy *)area),
		                   "a"(~0u), "d"(~0u)
		                 : "memory");
}
