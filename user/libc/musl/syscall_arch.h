/*
 * capOS: musl's system calls are plain function calls into the shim
 * (user/libc/shim/syscall.c), which answers each Linux system call number
 * with the capabilities of the process's CapSet.  Replaces musl's
 * arch/x86_64/syscall_arch.h, whose SYSCALL instructions would reach the
 * capOS kernel (it has two system calls, cap_enter and exit) instead.
 */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long __capos_syscall(long, long, long, long, long, long, long);

static __inline long
__syscall0(long n)
{
	return __capos_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long
__syscall1(long n, long a1)
{
	return __capos_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long
__syscall2(long n, long a1, long a2)
{
	return __capos_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long
__syscall3(long n, long a1, long a2, long a3)
{
	return __capos_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long
__syscall4(long n, long a1, long a2, long a3, long a4)
{
	return __capos_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long
__syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __capos_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long
__syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __capos_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO: the clocks are capabilities too. */
#define IPC_64 0
