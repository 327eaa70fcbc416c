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

/*
 * Entry of a thread started by capos_thread_create: RDI = its ring page,
 * RSI = its struct capos_thread, RSP = the 16-byte aligned stack top (the
 * thread entry ABI); capos_thread_start takes the first two unchanged.
 */
	.text
	.global capos_thread_entry
capos_thread_entry:
	xorl %ebp, %ebp
	call capos_thread_start
	ud2
