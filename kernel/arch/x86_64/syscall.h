#ifndef ARCH_X86_64_SYSCALL_H
#define ARCH_X86_64_SYSCALL_H

struct trapframe;

/* The SYSCALL MSRs and the user-mode CPU state on the boot CPU, the FPU
 * sized and logged once. */
void syscall_init(void);
/* The same MSRs and state on an application processor. */
void syscall_init_cpu(void);
/* Called from the SYSCALL entry with the saved user registers. */
void syscall_dispatch(struct trapframe *tf);

#endif
