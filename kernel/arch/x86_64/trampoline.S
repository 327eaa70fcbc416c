/*
 * The application processors' first instructions.  A startup IPI starts a
 * CPU in real mode at CS:IP = (AP_TRAMPOLINE_PHYS >> 4):0; smpboot.c copies
 * this blob to that page and fills its parameter block (smpboot.h) before
 * each start.  16-bit -> 32-bit protected mode -> long mode on boot.S's
 * early tables (below 4 GiB, so a 32-bit CR3 holds them, and they map
 * this page one to one and the kernel image in the high half), then the
 * jump to ap_long_entry in the kernel image, which loads the kernel's own
 * tables and the stack and calls the C entry.
 *
 * The blob is linked in the kernel image, not at the page it runs from:
 * it finds its page from CS and patches the three addresses that depend
 * on it (the GDT base, the two far jump targets) itself.
 */
#include "arch/x86_64/smpboot.h"

#define CR0_PE   (1 << 0)
#define CR0_PG   (1 << 31)
#define CR4_PAE  (1 << 5)
#define EFER_MSR 0xc0000080

#define SEL_CODE32 0x08
#define SEL_DATA   0x10
#define SEL_CODE64 0x18

/* Offset of a label of the blob in the page. */
#define OFF(sym)   ((sym) - ap_trampoline)
#define PARAM(f)   (OFF(ap_trampoline_params) + (f))

	.section .rodata
	.balign 16
	.global ap_trampoline, ap_trampoline_params, ap_trampoline_end
	.code16
ap_trampoline:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %ebx
	shll $4, %ebx			/* EBX: the page's physical address */
	leal OFF(tr_gdt)(%ebx), %eax
	movl %eax, OFF(tr_gdtr) + 2
	leal OFF(tr_pm32)(%ebx), %eax
	movl %eax, OFF(tr_far32)
	leal OFF(tr_lm64)(%ebx), %eax
	movl %eax, OFF(tr_far64)
	lgdtl OFF(tr_gdtr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_far32)

	.code32
tr_pm32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl PARAM(APB_EARLY_CR3)(%ebx), %eax
	movl %eax, %cr3
	movl $EFER_MSR, %ecx
	movl PARAM(APB_EFER)(%ebx), %eax
	xorl %edx, %edx
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_far64)(%ebx)

	.code64
tr_lm64:
	movl %ebx, %ebx			/* the upper half is undefined here */
	movabsq $ap_long_entry, %rax
	jmp *%rax

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdtr:
	.word tr_gdtr - tr_gdt - 1
	.long 0				/* patched: the page + OFF(tr_gdt) */
tr_far32:
	.long 0				/* patched */
	.word SEL_CODE32
tr_far64:
	.long 0				/* patched */
	.word SEL_CODE64
	.balign 8
ap_trampoline_params:
	.skip APB_SIZE
ap_trampoline_end:

/*
 * In the kernel image, still on the early tables, RBX the start-up page
 * (mapped one to one).  The parameters are read before CR3 changes: the
 * kernel's tables do not map the page there.
 */
	.text
	.code64
ap_long_entry:
	movq PARAM(APB_KERNEL_CR3)(%rbx), %rax
	movq PARAM(APB_STACK)(%rbx), %rsp
	movq PARAM(APB_PERCPU)(%rbx), %rdi
	movq PARAM(APB_ENTRY)(%rbx), %rsi
	movq %rax, %cr3
	xorl %ebp, %ebp
	call *%rsi
1:	cli
	hlt
	jmp 1b
