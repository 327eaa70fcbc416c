/* spin: runs forever without ever entering the kernel.  The scheduler
 * must still let every other process run. */
#include "capos.h"

int
main(void)
{
	volatile uint64_t n = 0;

	for (;;)
		n++;
}
