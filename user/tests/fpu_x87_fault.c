/*
 * fpu_x87_fault: an unmasked x87 exception (#MF) ends only the process,
 * with 128 + 16.  Unmasks invalid-operation and divide-by-zero in the
 * control word, divides 0 by 0 (the error is now pending) and runs FWAIT,
 * which delivers it.
 */
#include "capos.h"

int
main(void)
{
	uint16_t fcw = 0x037f & ~0x5u; /* IM and ZM clear */

	printf("fpu_x87_fault: dividing 0 by 0 with IM clear\n");
	__asm__ volatile("fldcw %0\n\t"
	                 "fldz\n\t"
	                 "fldz\n\t"
	                 "fdivrp\n\t"
	                 "fwait\n\t"
	                 "fstp %%st(0)"
	                 :
	                 : "m"(fcw));
	printf("fpu_x87_fault: still running\n");
	return 0;
}
