/*
 * Multiboot2 entry.  The loader leaves us in 32-bit protected mode with
 * paging off, EAX = boot magic and EBX = physical address of the boot
 * information.  We check that the CPU can run 64-bit code, build early page
 * tables (identity map, direct map at PHYS_MAP_BASE and the kernel image at
 * KERNEL_VMA, all with 2 MiB pages over the first 4 GiB), enter long mode
 * and call kmain(magic, info_phys, entry_tsc) on the boot stack in the higher
 * half; entry_tsc is the TSC read at the first instruction.
 * paging.c replaces these tables with fine-grained ones.
 */
#include "arch/x86_64/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386	 0

#define EFER_MSR  0xc0000080
#define EFER_LME  (1 << 8)
#define EFER_NXE  (1 << 11)
#define CR0_PE	  (1 << 0)
#define CR0_WP	  (1 << 16)
#define CR0_PG	  (1 << 31)
#define CR4_PAE	  (1 << 5)
#define PTE_P	  0x1
#define PTE_W	  0x2
#define PTE_PS	  0x80

#define PHYS(sym) ((sym) - KERNEL_VMA)

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.global _start32
_start32:
	/* The entry TSC first (make bench counts boot from here); rdtsc
	 * clobbers EAX, so the magic is saved before it. */
	movl %eax, boot_magic
	rdtsc
	movl %eax, boot_entry_tsc
	movl %edx, boot_entry_tsc + 4
	cli
	cld
	movl $PHYS(boot_stack_top), %esp
	/* cpuid and rep stos clobber registers: keep the loader's values. */
	movl %ebx, boot_info

	/* Long mode needs CPUID leaf 0x80000001 with the LM bit. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	movl %edx, %ebp		/* keep the feature bits: NX is bit 20 */

	/* Zero .bss; the early page tables live there.  Four bytes a store
	 * (the linker script page-aligns both ends): an emulator counts a
	 * rep store once per iteration, and .bss is hundreds of KiB. */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* The four page directories map 0..4 GiB with 2 MiB pages. */
	movl $PHYS(early_pd), %edi
	movl $(PTE_P | PTE_W | PTE_PS), %eax
	xorl %edx, %edx
	movl $2048, %ecx
2:	movl %eax, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	adcl $0, %edx
	addl $8, %edi
	loop 2b

	/* PDPT for the low and direct maps: four PDs. */
	movl $PHYS(early_pdpt_low), %edi
	movl $PHYS(early_pd), %eax
	orl $(PTE_P | PTE_W), %eax
	movl $4, %ecx
3:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 3b

	/* PDPT for the kernel image: entry 510 is -2 GiB, the first GiB. */
	movl $PHYS(early_pdpt_high), %edi
	movl $PHYS(early_pd), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, 510 * 8(%edi)

	movl $PHYS(early_pml4), %edi
	movl $PHYS(early_pdpt_low), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, (%edi)			/* identity, for this code */
	movl %eax, PML4_INDEX_PHYS_MAP * 8(%edi)	/* direct map */
	movl $PHYS(early_pdpt_high), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, 511 * 8(%edi)		/* kernel image */

	movl %edi, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4

	movl $EFER_MSR, %ecx
	rdmsr
	orl $EFER_LME, %eax
	testl $(1 << 20), %ebp
	jz 4f
	orl $EFER_NXE, %eax
4:	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE | CR0_WP), %eax
	movl %eax, %cr0

	lgdt early_gdt_ptr
	ljmp $0x08, $long_mode_low

no_long_mode:
	/* Say why on COM1, then ask QEMU to exit with the panic code. */
	movl $no_lm_msg, %esi
5:	lodsb
	testb %al, %al
	jz 6f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 5b
6:	movw $0xf4, %dx
	movb $0x12, %al
	outb %al, %dx
7:	hlt
	jmp 7b

	.code64
long_mode_low:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movabsq $long_mode_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
early_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
early_gdt_end:
early_gdt_ptr:
	.word early_gdt_end - early_gdt - 1
	.long early_gdt
	.balign 8
boot_entry_tsc:
	.quad 0
	.balign 4
boot_magic:
	.long 0
boot_info:
	.long 0
no_lm_msg:
	.asciz "capOS: this CPU cannot run 64-bit code (no long mode); halting\r\n"

	.text
	.code64
long_mode_high:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic, %edi		/* 32-bit loads zero-extend */
	movl boot_info, %esi
	movq boot_entry_tsc, %rdx
	call kmain
8:	cli
	hlt
	jmp 8b

	.bss
	.balign 4096
	.global early_pml4
early_pml4:
	.skip 4096
early_pdpt_low:
	.skip 4096
early_pdpt_high:
	.skip 4096
early_pd:
	.skip 4096 * 4
	.global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
