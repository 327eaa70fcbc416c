/* cpu_ud2: an invalid opcode ends the process with 128 + 6. */
#include "capos.h"

int
main(void)
{
	printf("cpu_ud2: executing ud2\n");
	__asm__ volatile("ud2" ::: "memory");
	printf("cpu_ud2: still running after ud2\n");
	return 0;
}
