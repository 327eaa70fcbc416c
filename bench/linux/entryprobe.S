/*
 * entryprobe: a stand-in for a Linux bzImage whose setup code (the first
 * kernel instruction QEMU's -kernel loader runs, in real mode at file
 * offset 0x200) reads the TSC.  It prints "BENCH_PROBE entry_tsc <16 hex
 * digits>" on COM1 and leaves QEMU through isa-debug-exit (status 33).
 *
 * Booted with the same command line, initramfs and QEMU flags as the
 * benchmark kernel, the firmware runs the same path (QEMU hands the kernel
 * and initramfs over by fw_cfg DMA, which costs no guest instructions), so
 * this TSC is the one at which the real kernel's setup code starts.  Linux
 * boot time from kernel entry is /init's first TSC minus this one; it
 * includes the decompression of vmlinuz, which is part of Linux's boot.
 *
 * Boot protocol fields (Documentation/x86/boot.rst) are the few QEMU's
 * loader reads: setup_sects, the "HdrS" signature, the version, and the
 * loaded-high flag and the highest initramfs address.
 */
#define COM1	  0x3f8
#define EXIT_PORT 0xf4

	.code16
	.text
	.global _start
_start:
	.org 0x1f1
setup_sects:
	.byte 1				/* one 512-byte setup sector */
	.org 0x1fe
	.short 0xaa55
	/* 0x200: the real-mode entry, CS = setup segment, IP = 0. */
	.byte 0xeb, start - 0f		/* jmp start */
0:	.ascii "HdrS"			/* 0x202 */
	.short 0x0206			/* 0x206: protocol version */
	.org 0x211
	.byte 0x01			/* loadflags: LOADED_HIGH (bzImage) */
	.org 0x22c
	.long 0x7fffffff		/* initrd_addr_max, as Linux has */
	.org 0x270

start:
	lfence
	rdtsc
	movl %eax, %edi
	movl %edx, %esi
	/* DS is the setup segment (0x1000): QEMU's loader sets it. */
	movw $(message - 0x200), %bx
1:	movb %cs:(%bx), %al
	testb %al, %al
	jz 2f
	call putc
	incw %bx
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

putc:
	movw $COM1, %dx
	outb %al, %dx
	ret

hex32:
	movw $8, %cx
1:	roll $4, %ebx
	movb %bl, %al
	andb $0xf, %al
	cmpb $10, %al
	jb 2f
	addb $('a' - '0' - 10), %al
2:	addb $'0', %al
	call putc
	loop 1b
	ret

message:
	.asciz "BENCH_PROBE entry_tsc "

	/* The protected-mode part: QEMU wants one after the setup sectors. */
	.org 0x400
	.space 512

	.section .note.GNU-stack, "", @progbits
