/*
 * Process start-up.  crt0.S calls capos_start with the kernel's entry
 * registers: the ring page, the process id and the CapSet page.
 */
#include "capos.h"
#include "internal.h"

void __attribute__((noreturn))
capos_start(struct capos_ring_page *ring, uint64_t pid,
            const struct capos_capset_page *capset)
{
	capos_rt.ring = ring;
	capos_proc.pid = pid;
	capos_proc.capset = capset;
	capos_heap_init();
	capos_threads_init();
	capos_exit(main());
}

void
capos_exit(int code)
{
	/* Releases still queued die with the process; the kernel drops
	 * every cap of an exiting process anyway. */
	capos_stdout_flush();
	capos_sys_exit(code);
}

/* Every program linked with the runtime carries the ABI it was built for;
 * the kernel's loader refuses a binary without it. */
CAPOS_ELFNOTE_ABI_DEFINE(capos_runtime_abi_note);
