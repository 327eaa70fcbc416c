/*
 * The two system calls.  The number is in RAX, arguments in RDI and RSI,
 * the result goes back in RAX.  An unknown number returns KERR_NOSYS
 * and changes nothing else.
 */
#include "core/kernel.h"
#include "core/counters.h"
#include "core/klock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "ipc/ring.h"
#include "proc/process.h"
#include "proc/sched.h"

#include "core/kerr.h"
#include <capos/syscall.h>

/*
 * SYSCALL entry leaves interrupts off (SFMASK).  cap_enter, the common
 * call, runs with them off and turns them on where it does work
 * (ipc/ring.c); the others run with them on.
 */
void
syscall_dispatch(struct trapframe *tf)
{
	klock_enter();
	if (__builtin_expect(tf->rax == CAPOS_SYS_CAP_ENTER, 1)) {
		tf->rax = (uint64_t)kerr_result(cap_enter(tf->rdi, tf->rsi));
	} else {
		sti();
		if (tf->rax == CAPOS_SYS_EXIT)
			process_exit_current((int)(int32_t)tf->rdi);
		kcounters.syscalls_unknown++;
		tf->rax = (uint64_t)(int64_t)kerr_to_abi(KERR_NOSYS);
		cli();
	}
	process_check_killed();
	sched_preempt_point();
	cli();
	klock_leave_to_user();
}
