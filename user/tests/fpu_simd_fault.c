/*
 * fpu_simd_fault: an unmasked SIMD floating-point exception.  Unmasks
 * divide-by-zero in MXCSR and divides by zero with SSE.  A CPU that
 * raises #XM ends the process with 128 + 19 through the kernel's one path
 * for user faults (the same as #MF, 144, which fpu_x87_fault checks).
 * QEMU's TCG does not emulate SIMD exceptions: the division then just
 * sets ZE in MXCSR, and the program says so and exits with 2, so the
 * boot suite (which runs TCG) knows which of the two it saw.
 */
#include "capos.h"

#define MXCSR_ZE 0x0004u
#define MXCSR_ZM 0x0200u

int
main(void)
{
	uint32_t mxcsr = 0x1f80 & ~MXCSR_ZM;
	volatile double one = 1.0, zero = 0.0, q;

	printf("fpu_simd_fault: dividing by zero with ZM clear\n");
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	q = one / zero;
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	if (!(mxcsr & MXCSR_ZE) || q <= 1e308) {
		printf("fpu_simd_fault: the division did not happen\n");
		return 1;
	}
	printf("fpu_simd_fault: no #XM from this CPU; MXCSR %#x has ZE\n",
	       mxcsr);
	return 2;
}
