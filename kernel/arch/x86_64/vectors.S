/*
 * Entry stubs for all 256 vectors.  Each pushes a zero where the CPU does
 * not push an error code, then its vector number, so every frame has the
 * same shape (struct trapframe), and jumps to the common path that saves
 * the general registers and calls trap_dispatch(frame).  Every stub fits
 * in 16 bytes (at most 2 + 5 + 5), so stub n is at vector_stubs + 16 * n;
 * the .org below fails the build if one ever grows past its slot.
 */
#include "arch/x86_64/frame.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/rflags.h"
#include "arch/x86_64/trap.h"

#include <capos/layout.h>

	.text
	.code64

.macro STUB n
	.org vector_stubs + 16 * \n, 0xcc
	.if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

	.balign 16
	.global vector_stubs
vector_stubs:
.altmacro
.set i, 0
.rept NUM_VECTORS
	STUB %i
	.set i, i + 1
.endr
	.org vector_stubs + 16 * NUM_VECTORS, 0xcc

trap_common:
	/* Entered from user mode: switch to the kernel's GS base. */
	testb $3, 24(%rsp)		/* cs, above vector and error */
	jz 1f
	swapgs
1:	PUSH_GPRS
	/*
	 * The kernel's own flags.  An interrupt gate clears IF, TF, NT and
	 * RF but keeps the rest of what the interrupted code had: DF, which
	 * C code assumes clear, and AC, which would turn SMAP off for the
	 * kernel.  The frame keeps the interrupted RFLAGS for the return.
	 */
	pushq $RFLAGS_KERNEL
	popfq
	movq %rsp, %rdi
	call trap_dispatch
	/*
	 * The return to user mode: the thread gets the RFLAGS bits it keeps
	 * (rflags.h), IF and the fixed bit, and the user CS and SS, whatever
	 * the frame held.  IRETQ to a non-canonical RIP would fault in ring
	 * 0, so a frame with a RIP outside user space ends the process.
	 */
	.global trap_return
trap_return:
	testb $3, TF_CS(%rsp)
	jz 2f
	movabsq $CAPOS_USER_END, %rax
	cmpq %rax, TF_RIP(%rsp)
	jae 4f
	movq TF_RFLAGS(%rsp), %rax
	andq $RFLAGS_USER_KEPT, %rax
	orq $RFLAGS_USER_SET, %rax
	movq %rax, TF_RFLAGS(%rsp)
	movq $SEL_UCODE, TF_CS(%rsp)
	movq $SEL_UDATA, TF_SS(%rsp)
2:	POP_GPRS
	addq $16, %rsp			/* vector and error */
	testb $3, 8(%rsp)		/* cs */
	jz 3f
	swapgs
3:	iretq
4:	movq %rsp, %rdi
	call trap_bad_user_return	/* does not return */
	ud2

