#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

/*
 * Segment selectors.  The order kernel code, kernel data, user data, user
 * code is the one SYSCALL/SYSRET require: STAR's SYSRET base is
 * SEL_KDATA, so SYSRET loads SS = base + 8 and CS = base + 16.
 */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA (0x18 | 3)
#define SEL_UCODE (0x20 | 3)
#define SEL_TSS   0x28

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define GDT_IST_STACKS    3 /* how many of the slots are used */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The boot CPU's GDT and TSS (index 0, static IST stacks). */
void gdt_init(void);
/* Builds and loads CPU cpu's own GDT and TSS, whose IST slots get the
 * given stack tops.  Leaves GS null, its base 0. */
void gdt_init_cpu(uint32_t cpu, const uint64_t ist_tops[GDT_IST_STACKS]);
/* The address of the TSS this CPU has loaded (from its GDTR and TR). */
void *gdt_loaded_tss(void);
/* The stack this CPU switches to on an interrupt from user mode. */
void tss_set_rsp0(uint64_t rsp0);

/*
 * The data segment selectors of a user thread (DS, ES, FS, GS), kept per
 * thread across switches, packed in one word: a user may load null or
 * user selectors into them, and no thread sees what another loaded.  A
 * switch stores the current ones in *save (the thread leaving, or NULL)
 * and loads *load (the thread coming, or NULL) where they differ.
 * Loading FS may reset the FS base, so the caller writes the thread's FS
 * base afterwards; the user GS base is 0 after a GS load.  Interrupts must
 * be off.
 */
void user_selectors_switch(uint64_t *save, const uint64_t *load);
#endif

#endif
