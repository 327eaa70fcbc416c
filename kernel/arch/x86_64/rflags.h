/*
 * RFLAGS bits, and the values the kernel decides: what it runs with and
 * what a thread returns to user mode with (docs/abi.md, section 1).
 * Usable from assembly.
 */
#ifndef ARCH_X86_64_RFLAGS_H
#define ARCH_X86_64_RFLAGS_H

#ifdef __ASSEMBLER__
#define RFLAGS_BIT(n) (1 << (n))
#else
#define RFLAGS_BIT(n) (1ul << (n))
#endif

#define RFLAGS_CF    RFLAGS_BIT(0)
#define RFLAGS_FIXED RFLAGS_BIT(1) /* always reads as 1 */
#define RFLAGS_PF    RFLAGS_BIT(2)
#define RFLAGS_AF    RFLAGS_BIT(4)
#define RFLAGS_ZF    RFLAGS_BIT(6)
#define RFLAGS_SF    RFLAGS_BIT(7)
#define RFLAGS_TF    RFLAGS_BIT(8)
#define RFLAGS_IF    RFLAGS_BIT(9)
#define RFLAGS_DF    RFLAGS_BIT(10)
#define RFLAGS_OF    RFLAGS_BIT(11)
#define RFLAGS_IOPL  (RFLAGS_BIT(12) | RFLAGS_BIT(13))
#define RFLAGS_NT    RFLAGS_BIT(14)
#define RFLAGS_RF    RFLAGS_BIT(16)
#define RFLAGS_VM    RFLAGS_BIT(17)
#define RFLAGS_AC    RFLAGS_BIT(18)
#define RFLAGS_VIF   RFLAGS_BIT(19)
#define RFLAGS_VIP   RFLAGS_BIT(20)
#define RFLAGS_ID    RFLAGS_BIT(21)

/*
 * The bits a thread keeps across every kernel entry, as it had them: the
 * arithmetic flags, TF, DF, AC and ID.  Everything else a thread returns
 * with is decided here: IF and the fixed bit set; IOPL, NT, RF, VM, VIF
 * and VIP clear.
 */
#define RFLAGS_USER_KEPT                                                       \
	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF |           \
	 RFLAGS_TF | RFLAGS_DF | RFLAGS_OF | RFLAGS_AC | RFLAGS_ID)
#define RFLAGS_USER_SET (RFLAGS_IF | RFLAGS_FIXED)

/*
 * The kernel runs with exactly RFLAGS_KERNEL (plus IF where it enables
 * interrupts): SYSCALL clears every bit in RFLAGS_SYSCALL_MASK, and the
 * interrupt entry loads RFLAGS_KERNEL, so no flag a user set (DF, AC, NT,
 * TF, ...) reaches kernel code.
 */
#define RFLAGS_KERNEL RFLAGS_FIXED
/* Flags kernel code never runs with (IF aside, which it turns on). */
#define RFLAGS_KERNEL_CLEAR                                                    \
	(RFLAGS_TF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC)
#define RFLAGS_SYSCALL_MASK                                                    \
	(RFLAGS_USER_KEPT | RFLAGS_IF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF |  \
	 RFLAGS_VM | RFLAGS_VIF | RFLAGS_VIP)

#endif
