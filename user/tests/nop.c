/* nop: exits at once; the smallest process to spawn and wait for. */
#include "capos.h"

int
main(void)
{
	return 0;
}
