/*
 * The whole syscall surface: two calls.  Every other operation is a ring
 * opcode or a method of a capability; new operations never add syscalls.
 *
 * Register convention (the SYSCALL instruction):
 *   RAX  syscall number
 *   RDI  argument 0
 *   RSI  argument 1
 *   RAX  return value (>= 0 success, < 0 a code from <capos/errors.h>)
 *   RCX, R11  clobbered: on return RCX holds the address after SYSCALL and
 *             R11 the RFLAGS the thread returns with (docs/abi.md 1)
 * Every other register, including RDX, R8-R10 and the vector state, is
 * preserved.
 *
 * An unknown number returns CAPOS_E_NOSYS and changes nothing.
 */
#ifndef CAPOS_SYSCALL_H
#define CAPOS_SYSCALL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * cap_enter(min_complete, timeout_ns)
 *
 * Processes the pending SQEs (a bounded batch per pass), then blocks until
 * at least min_complete CQEs are available or timeout_ns nanoseconds have
 * passed, and returns the number of CQEs available (which is below
 * min_complete only on timeout).  min_complete 0 never blocks.
 * Errors: CAPOS_E_BAD_ARG (min_complete > CAPOS_RING_CQ_ENTRIES),
 * CAPOS_E_RING_CORRUPT (see the ring's status word).
 */
#define CAPOS_SYS_CAP_ENTER 1
/* exit(code): ends the process with the low 32 bits of code; no return. */
#define CAPOS_SYS_EXIT 2
/* One past the highest syscall number. */
#define CAPOS_SYS_COUNT 3

/* cap_enter's timeout_ns value that waits without a deadline. */
#define CAPOS_TIMEOUT_INFINITE 0xffffffffffffffff

/*
 * Userspace wrappers.  The kernel build defines CAPOS_KERNEL so that kernel
 * code cannot issue SYSCALL by mistake.
 */
#if !defined(CAPOS_KERNEL) && !defined(__ASSEMBLER__) && defined(__x86_64__)
static inline int64_t
capos_sys_cap_enter(uint32_t min_complete, uint64_t timeout_ns)
{
	int64_t ret;

	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"((uint64_t)CAPOS_SYS_CAP_ENTER),
	                   "D"((uint64_t)min_complete), "S"(timeout_ns)
	                 : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((noreturn)) void
capos_sys_exit(int32_t code)
{
	__asm__ volatile("syscall"
	                 :
	                 : "a"((uint64_t)CAPOS_SYS_EXIT),
	                   "D"((uint64_t)(int64_t)code)
	                 : "rcx", "r11", "memory");
	__builtin_unreachable();
}
#endif

#endif
