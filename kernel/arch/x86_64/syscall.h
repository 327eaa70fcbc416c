#ifndef ARCH_X86_64_SYSCALL_H
#define ARCH_X86_64_SYSCALL_H

struct trapframe;

void syscall_init(void);
/* Called from the SYSCALL entry with the saved user registers. */
void syscall_dispatch(struct trapframe *tf);

#endif
