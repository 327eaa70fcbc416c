/*
 * FP/SIMD state of user threads: x87, MMX, SSE and (when the CPU has it)
 * AVX.  The kernel itself never uses these registers (it is built with
 * -mno-sse -mno-80387); it only saves a user thread's state when the
 * thread is switched out and loads it back when it is switched in, so a
 * thread returns to user mode with exactly its own registers.
 */
#ifndef ARCH_X86_64_FPU_H
#define ARCH_X86_64_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* XSAVE and FXSAVE want their area 64 (XSAVE) or 16 (FXSAVE) aligned. */
#define FPU_AREA_ALIGN 64u

/* The defaults a new thread starts with (docs/abi.md section 1). */
#define FPU_DEFAULT_FCW   0x037fu /* every x87 exception masked, 64-bit */
#define FPU_DEFAULT_MXCSR 0x1f80u /* every SIMD exception masked */

/* XCR0 components the kernel enables when the CPU offers them. */
#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)

/* How the state is saved on this CPU, chosen once at boot. */
enum fpu_method {
	FPU_FXSAVE,   /* no XSAVE: x87 and SSE only */
	FPU_XSAVE,    /* XSAVE, every enabled component written each time */
	FPU_XSAVEOPT, /* XSAVEOPT: skips components unchanged since XRSTOR */
};

struct fpu_info {
	enum fpu_method method;
	uint64_t xcr0;           /* components enabled (0 with FXSAVE) */
	uint32_t area_size;      /* bytes of one thread's save area */
	bool clear_x87_pointers; /* AMD: FXSAVE/XSAVE may keep an old FIP/FDP */
};

extern struct fpu_info fpu_info;

/*
 * Turns the FP/SIMD unit on for user mode (CR0, CR4, XCR0), sizes the
 * save area from CPUID and logs what was chosen.  Once, at boot.
 */
void fpu_init(void);
/* Turns the unit on on this CPU as fpu_init chose (an application
 * processor; the same CPU model as the boot CPU). */
void fpu_enable_cpu(void);

/* A save area holding the default state, or NULL without memory. */
void *fpu_area_alloc(void);
void fpu_area_free(void *area);

/* Saves the CPU's FP/SIMD state into area / loads it from area. */
void fpu_save(void *area);
void fpu_restore(const void *area);

#endif
