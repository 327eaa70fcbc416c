/*
 * cpu_step: sets the trap flag and makes a system call.  The kernel runs
 * with TF clear (SFMASK), the call completes, and TF comes back with the
 * rest of the user's RFLAGS, so the single-step trap (#DB) is taken in
 * user mode right after the return: it must end this process with
 * 128 + 1, never reach the kernel.
 */
#include "capos.h"

int
main(void)
{
	uint64_t rax = CAPOS_SYS_CAP_ENTER;

	printf("cpu_step: SYSCALL with TF set\n");
	__asm__ volatile("pushfq\n\t"
	                 "orq $0x100, (%%rsp)\n\t"
	                 "popfq\n\t"
	                 "syscall\n\t"
	                 "nop\n\t"
	                 "pushfq\n\t"
	                 "andq $~0x100, (%%rsp)\n\t"
	                 "popfq"
	                 : "+a"(rax)
	                 : "D"(0ull), "S"(0ull)
	                 : "rcx", "r11", "memory", "cc");
	printf("cpu_step: still running: TF was lost in the system call\n");
	return 0;
}
