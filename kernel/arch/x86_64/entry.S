/*
 * SYSCALL entry, the first entry of a thread, and the context switch.
 *
 * SYSCALL leaves the user RIP in RCX and RFLAGS in R11 and does not switch
 * stacks.  The entry switches to the thread's kernel stack and builds the
 * same struct trapframe an interrupt builds (vector SYSCALL_VECTOR), so the
 * return to user mode is one path for both: trap_return in vectors.S.
 * SFMASK (syscall.c) clears every flag on entry, so the kernel starts with
 * RFLAGS = RFLAGS_KERNEL whatever the user had.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/frame.h"
#include "arch/x86_64/rflags.h"
#include "arch/x86_64/trap.h"

#include <capos/layout.h>

	.text
	.code64
	.global syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KERNEL_RSP, %rsp
	pushq $SEL_UDATA		/* ss */
	pushq %gs:PERCPU_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $SEL_UCODE		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error */
	pushq $VEC_SYSCALL		/* vector */
	/*
	 * The registers the C code may change: RAX (the number, then the
	 * result) and the argument and scratch registers, restored on the
	 * way out because the ABI preserves them.  RCX and R11 are the RIP
	 * and RFLAGS slots above, and RBX, RBP and R12-R15 stay in the
	 * registers (the C code preserves them, and a switch to another
	 * thread saves them in switch_context): their slots are written
	 * only when the frame leaves through trap_return (below), so every
	 * frame that reaches it is whole.  SFMASK has cleared DF.
	 */
	pushq %rax
	subq $16, %rsp			/* rbx, rcx */
	pushq %rdx
	pushq %rsi
	pushq %rdi
	subq $8, %rsp			/* rbp */
	pushq %r8
	pushq %r9
	pushq %r10
	subq $40, %rsp			/* r11, r12-r15 */
	movq %rsp, %rdi
	call syscall_dispatch
	cli
	/*
	 * The RFLAGS the thread returns with: the bits it keeps as it had
	 * them, IF and the fixed bit set, nothing else (rflags.h).  RCX and
	 * R11 come back as SYSRET sets them, the return RIP and that RFLAGS,
	 * whichever path returns.
	 */
	movq TF_RFLAGS(%rsp), %r11
	andq $RFLAGS_USER_KEPT, %r11
	orq $RFLAGS_USER_SET, %r11
	movq TF_RIP(%rsp), %rcx
	/*
	 * Fast return with SYSRET when the frame still describes a plain
	 * return to user code.  SYSRET to a non-canonical RIP faults in
	 * ring 0 on Intel CPUs, so RIP must lie below the user end; any
	 * other frame (a signal-like redirect later, a modified CS) takes
	 * the general IRET path, which checks it again and swaps GS back
	 * because the saved CS is a user one.  SYSRET itself loads CS and
	 * SS from STAR and does not check RSP, which stays the user's.
	 */
	movabsq $CAPOS_USER_END, %rax
	cmpq %rax, %rcx
	jae 1f
	cmpq $SEL_UCODE, TF_CS(%rsp)
	jne 1f
	addq $40, %rsp			/* r15-r12, r11 */
	popq %r10
	popq %r9
	popq %r8
	addq $8, %rsp			/* rbp */
	popq %rdi
	popq %rsi
	popq %rdx
	addq $16, %rsp			/* rcx, rbx */
	popq %rax
	/* Now at vector: rsp is at +40; rcx and r11 hold rip and rflags. */
	movq 40(%rsp), %rsp
	swapgs
	sysretq
	/* The general path: the whole frame, as an interrupt leaves it. */
1:	movq %r11, TF_RFLAGS(%rsp)
	movq %r11, TF_R11(%rsp)
	movq %rcx, TF_RCX(%rsp)
	movq %rbx, TF_RBX(%rsp)
	movq %rbp, TF_RBP(%rsp)
	movq %r12, TF_R12(%rsp)
	movq %r13, TF_R13(%rsp)
	movq %r14, TF_R14(%rsp)
	movq %r15, TF_R15(%rsp)
	jmp trap_return

/*
 * switch_context(uint64_t *save_rsp, uint64_t load_rsp): saves RFLAGS and
 * the callee-saved registers on the current stack, stores its RSP, loads
 * the other thread's and returns on its stack.  Each thread keeps its own
 * kernel RFLAGS, so nothing one thread's flags hold reaches another.
 */
	.global switch_context
switch_context:
	pushfq
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popfq
	ret

/*
 * A new thread's first switch_context "returns" here with r12 = function
 * and r13 = argument.  Kernel threads run the function; user threads have
 * a trapframe above this and leave through trap_return, giving up the
 * kernel lock on the way (core/klock.h).
 */
	.global thread_trampoline
thread_trampoline:
	call sched_thread_started
	movq %r13, %rdi
	call *%r12
	cli
	call sched_thread_leaves
	jmp trap_return
