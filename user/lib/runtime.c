/*
 * The runtime's state, whichever start a program has (start.c for native
 * programs, user/libc/shim/start.c for programs on the C library).
 */
#include "capos.h"
#include "internal.h"

__thread struct capos_runtime capos_rt;
struct capos_process capos_proc;

uint64_t
capos_pid(void)
{
	return capos_proc.pid;
}

struct capos_ring_page *
capos_ring(void)
{
	return capos_rt.ring;
}
