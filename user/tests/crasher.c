/* crasher: fails at once with exit code 3 (init's restart tests). */
#include "capos.h"

int
main(void)
{
	return 3;
}
