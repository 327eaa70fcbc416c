/*
 * Process entry.  The kernel starts us with RDI = ring page, RSI =
 * process id, RDX = CapSet page and a 16-byte aligned stack; capos_start
 * takes them as its arguments unchanged.
 */
	.section .text.start, "ax"
	.global _start
_start:
	xorl %ebp, %ebp		/* ends frame-pointer backtraces */
	andq $-16, %rsp
	call capos_start
	ud2			/* capos_start does not return */
