/*
 * The smallest capOS program: checks the entry registers it was given,
 * submits one NOP through the ring and exits with a code that says which
 * check failed (0 = all good).  Uses no runtime, so it tests the kernel's
 * process, ring and syscall paths on their own.
 */
#include <stdint.h>

#include <capos/capset.h>
#include <capos/elfnote.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/ring.h>
#include <capos/syscall.h>

CAPOS_ELFNOTE_ABI_DEFINE(capos_abi_note);

static __thread uint64_t tls_counter = 41;
static uint64_t bss_word;

void __attribute__((noreturn))
capos_start(struct capos_ring_page *ring, uint64_t pid,
            struct capos_capset_page *capset)
{
	struct capos_sqe *sqe;
	int64_t n;

	if ((uint64_t)(uintptr_t)ring != CAPOS_USER_RING_ADDR)
		capos_sys_exit(1);
	if (pid == 0 || capset->hdr.magic != CAPOS_CAPSET_MAGIC)
		capos_sys_exit(2);
	if (ring->hdr.magic != CAPOS_RING_MAGIC || bss_word != 0)
		capos_sys_exit(3);
	if (++tls_counter != 42)
		capos_sys_exit(4);

	sqe = &ring->sq[ring->hdr.sq_tail % CAPOS_RING_SQ_ENTRIES];
	*sqe = (struct capos_sqe){.opcode = CAPOS_OP_NOP, .user_data = 77};
	__atomic_store_n(&ring->hdr.sq_tail, ring->hdr.sq_tail + 1,
	                 __ATOMIC_RELEASE);
	n = capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
	if (n != 1)
		capos_sys_exit(5);
	if (ring->cq[0].user_data != 77 || ring->cq[0].result != 0)
		capos_sys_exit(6);
	capos_sys_exit(0);
}
