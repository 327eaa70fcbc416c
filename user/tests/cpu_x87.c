/*
 * cpu_x87: the kernel keeps no FPU state per thread, so user mode has no
 * FPU: an x87 instruction is "device not available" (#NM, 128 + 7) and
 * ends the process, instead of sharing the x87 registers with every
 * other process.
 */
#include "capos.h"

int
main(void)
{
	printf("cpu_x87: executing fld1\n");
	__asm__ volatile("fld1\n\tfstp %%st(0)" ::: "memory");
	printf("cpu_x87: still running after fld1\n");
	return 0;
}
