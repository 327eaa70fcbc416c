/* cpu_int3: a breakpoint (int3) with no debugger ends the process with
 * 128 + 3. */
#include "capos.h"

int
main(void)
{
	printf("cpu_int3: executing int3\n");
	__asm__ volatile("int3" ::: "memory");
	printf("cpu_int3: still running after int3\n");
	return 0;
}
