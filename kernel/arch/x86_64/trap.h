/*
 * Interrupt and exception entry: the frame saved by vectors.S and the
 * vector numbers the kernel uses.
 */
#ifndef ARCH_X86_64_TRAP_H
#define ARCH_X86_64_TRAP_H

#define VEC_DIVIDE        0
#define VEC_DEBUG         1
#define VEC_NMI           2
#define VEC_BREAKPOINT    3
#define VEC_INVALID_OP    6
#define VEC_DOUBLE_FAULT  8
#define VEC_GP            13
#define VEC_PAGE_FAULT    14
#define VEC_MACHINE_CHECK 18
#define VEC_IRQ_BASE      32
#define VEC_TIMER         32
#define VEC_COM1          36   /* ISA IRQ 4, through the I/O APIC */
#define VEC_SYSCALL       0x80 /* marks frames built by SYSCALL */
/* Inter-processor interrupts (sched.c registers their handlers): run the
 * scheduler, and flush the TLB for a shootdown (docs/smp.md). */
#define VEC_IPI_RESCHED 0xf0
#define VEC_IPI_TLB     0xf1
#define VEC_SPURIOUS    255
#define NUM_VECTORS     256

/* Offsets into struct trapframe, for the entry code. */
#define TF_R15    (0 * 8)
#define TF_R14    (1 * 8)
#define TF_R13    (2 * 8)
#define TF_R12    (3 * 8)
#define TF_R11    (4 * 8)
#define TF_RBP    (8 * 8)
#define TF_RBX    (13 * 8)
#define TF_RCX    (12 * 8)
#define TF_RIP    (17 * 8) /* after 15 registers, vector and error */
#define TF_CS     (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)
#define TF_SS     (21 * 8)

/* Page-fault error code bits. */
#define PF_PRESENT      (1u << 0)
#define PF_WRITE        (1u << 1)
#define PF_USER         (1u << 2)
#define PF_RESERVED     (1u << 3)
#define PF_INSTR        (1u << 4)
#define PF_PKEY         (1u << 5)
#define PF_SHADOW_STACK (1u << 6)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trapframe) == 22 * 8, "trapframe layout");
/* entry.S and vectors.S reach these by offset. */
_Static_assert(__builtin_offsetof(struct trapframe, r15) == TF_R15,
               "trapframe.r15");
_Static_assert(__builtin_offsetof(struct trapframe, r14) == TF_R14,
               "trapframe.r14");
_Static_assert(__builtin_offsetof(struct trapframe, r13) == TF_R13,
               "trapframe.r13");
_Static_assert(__builtin_offsetof(struct trapframe, r12) == TF_R12,
               "trapframe.r12");
_Static_assert(__builtin_offsetof(struct trapframe, r11) == TF_R11,
               "trapframe.r11");
_Static_assert(__builtin_offsetof(struct trapframe, rbp) == TF_RBP,
               "trapframe.rbp");
_Static_assert(__builtin_offsetof(struct trapframe, rbx) == TF_RBX,
               "trapframe.rbx");
_Static_assert(__builtin_offsetof(struct trapframe, rcx) == TF_RCX,
               "trapframe.rcx");
_Static_assert(__builtin_offsetof(struct trapframe, rip) == TF_RIP,
               "trapframe.rip");
_Static_assert(__builtin_offsetof(struct trapframe, cs) == TF_CS,
               "trapframe.cs");
_Static_assert(__builtin_offsetof(struct trapframe, rflags) == TF_RFLAGS,
               "trapframe.rflags");
_Static_assert(__builtin_offsetof(struct trapframe, rsp) == TF_RSP,
               "trapframe.rsp");
_Static_assert(__builtin_offsetof(struct trapframe, ss) == TF_SS,
               "trapframe.ss");

/* Builds the IDT and loads it on the boot CPU. */
void idt_init(void);
/* Loads the IDT idt_init built on this CPU (application processors). */
void idt_load(void);
/* Called from vectors.S with interrupts off. */
void trap_dispatch(struct trapframe *tf);
void trap_bad_user_return(struct trapframe *tf) __attribute__((noreturn));

typedef void (*irq_handler_fn)(struct trapframe *tf);
void trap_set_irq_handler(unsigned vector, irq_handler_fn fn);

const char *trap_vector_name(unsigned vector);
/* Writes the decoded page-fault error code ("not present, write, user"). */
void trap_decode_pf_error(uint64_t err, char *buf, unsigned size);
#endif

#endif
