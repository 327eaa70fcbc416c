/*
 * entryprobe: a Multiboot2 "kernel" whose first instruction reads the TSC.
 * It prints "BENCH_PROBE entry_tsc <16 hex digits>" on COM1 and leaves
 * QEMU through isa-debug-exit with the pass code (status 33).
 *
 * make bench boots it from an image that carries the same modules (and a
 * stripped copy of the kernel, so GRUB reads about as many bytes) as the
 * benchmark image.  Firmware and GRUB then run the same path, so its TSC
 * is, to within GRUB's parsing of two ELF headers, the TSC at which the
 * real kernel is entered.  capOS boot time from kernel entry is the
 * ringbench program's first TSC minus this one.
 */
#define MB2_MAGIC 0xe85250d6
#define COM1	  0x3f8
#define EXIT_PORT 0xf4

	.text
	.code32
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	.short 0, 0			/* end tag */
	.long 8
mb2_header_end:

	.global _start
_start:
	lfence
	rdtsc
	/* GRUB leaves ESP undefined: take our own stack after the read. */
	movl $stack_top, %esp
	movl %eax, %edi
	movl %edx, %esi
	movl $message, %ebx
1:	movb (%ebx), %al
	testb %al, %al
	jz 2f
	call putc
	incl %ebx
	jmp 1b
2:	movl %esi, %ebx
	call hex32
	movl %edi, %ebx
	call hex32
	movb $'\n', %al
	call putc
	movb $0x10, %al			/* QEMU exits with (0x10 << 1) | 1 */
	movw $EXIT_PORT, %dx
	outb %al, %dx
3:	cli
	hlt
	jmp 3b

/* QEMU's UART takes a byte at once: no need to poll the line status. */
putc:
	movw $COM1, %dx
	outb %al, %dx
	ret

/* Prints EBX as eight hex digits. */
hex32:
	movl $8, %ecx
1:	roll $4, %ebx
	movb %bl, %al
	andb $0xf, %al
	cmpb $10, %al
	jb 2f
	addb $('a' - '0' - 10), %al
2:	addb $'0', %al
	pushl %ecx
	call putc
	popl %ecx
	loop 1b
	ret

message:
	.asciz "BENCH_PROBE entry_tsc "

	.bss
	.align 16
	.space 256
stack_top:

	.section .note.GNU-stack, "", @progbits
