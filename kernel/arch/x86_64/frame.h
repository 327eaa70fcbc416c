/*
 * Assembler macros that save and restore the general registers in the
 * order of struct trapframe (trap.h), shared by the interrupt stubs and
 * the SYSCALL entry so the two frames can never drift apart.
 */
#ifndef ARCH_X86_64_FRAME_H
#define ARCH_X86_64_FRAME_H

#ifdef __ASSEMBLER__
/* clang-format would rewrite this assembly as if it were C. */
/* clang-format off */
.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm
/* clang-format on */
#endif

#endif
