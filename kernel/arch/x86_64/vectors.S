/*
 * Entry stubs for all 256 vectors.  Each pushes a zero where the CPU does
 * not push an error code, then its vector number, so every frame has the
 * same shape (struct trapframe), and jumps to the common path that saves
 * the general registers and calls trap_dispatch(frame).  Every stub fits
 * in 16 bytes (at most 2 + 5 + 5), so stub n is at vector_stubs + 16 * n;
 * the .org below fails the build if one ever grows past its slot.
 */
#include "arch/x86_64/frame.h"
#include "arch/x86_64/trap.h"

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
	cld
	movq %rsp, %rdi
	call trap_dispatch
	.global trap_return
trap_return:
	POP_GPRS
	addq $16, %rsp			/* vector and error */
	testb $3, 8(%rsp)		/* cs */
	jz 2f
	swapgs
2:	iretq

