/*
 * The table: Linux system call number -> handler.  A number with no
 * handler (open, fork, execve, sockets, signals being delivered...) is
 * ENOSYS, never a crash, and is counted per number, so what programs miss
 * is visible: capos_libc_unsupported() reads the counts, and the exit
 * path logs them (start.c).
 */
#include "shim.h"

#include "capos_libc.h"
#include "capos.capnp.h"

#define HANDLER_ENTRY(name) [SYS_##name] = shim_sys_##name,
static const shim_handler table[CAPOS_LIBC_SYSCALLS] = {
    SHIM_HANDLERS(HANDLER_ENTRY)};
#undef HANDLER_ENTRY

/* Counts of calls answered ENOSYS; the last slot takes every number
 * outside the table. */
static uint32_t unsupported[CAPOS_LIBC_SYSCALLS + 1];

long
shim_unsupported(long n, long err)
{
	unsigned long i = (unsigned long)n;

	if (i > CAPOS_LIBC_SYSCALLS)
		i = CAPOS_LIBC_SYSCALLS;
	__atomic_add_fetch(&unsupported[i], 1, __ATOMIC_RELAXED);
	return err;
}

long
__capos_syscall(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	unsigned long i = (unsigned long)n;

	if (i < CAPOS_LIBC_SYSCALLS && table[i])
		return table[i](a0, a1, a2, a3, a4, a5);
	return shim_unsupported(n, -ENOSYS);
}

unsigned long
capos_libc_unsupported(long n)
{
	unsigned long i = (unsigned long)n;

	if (i > CAPOS_LIBC_SYSCALLS)
		i = CAPOS_LIBC_SYSCALLS;
	return __atomic_load_n(&unsupported[i], __ATOMIC_RELAXED);
}

int
capos_libc_supported(long n)
{
	unsigned long i = (unsigned long)n;

	return i < CAPOS_LIBC_SYSCALLS && table[i] != 0;
}

long
shim_errno(int err)
{
	switch (err) {
	case 0:
		return 0;
	case CAPOS_E_QUOTA:
		return -ENOMEM;
	case CAPOS_E_BAD_CAP:
		return -EBADF;
	case CAPOS_E_BAD_BUFFER:
		return -EFAULT;
	case CAPOS_E_TIMED_OUT:
		return -ETIMEDOUT;
	case CAPOS_E_CANCELLED:
		return -ECANCELED;
	case CAPOS_E_TOO_LONG:
		return -EINVAL;
	case CAPOS_E_NOSYS:
	case CAPOS_E_NOT_SUPPORTED:
		return -ENOSYS;
	case CAPOS_E_APP_EXCEPTION:
		switch (capos_last_exception()->type) {
		case capos_ExceptionType_overloaded:
			return -EAGAIN;
		case capos_ExceptionType_disconnected:
			return -EPIPE;
		case capos_ExceptionType_unimplemented:
			return -ENOSYS;
		case capos_ExceptionType_invalidArgument:
			return -EINVAL;
		default:
			return -EIO;
		}
	case CAPOS_E_DISCONNECTED:
		return -EPIPE;
	default:
		return -EIO;
	}
}

capos_capid_t
shim_cap(uint64_t interface_id, capos_capid_t *cache, uint8_t *looked)
{
	capos_capid_t cap;

	if (__atomic_load_n(looked, __ATOMIC_ACQUIRE))
		return *cache;
	if (capos_capset_find_interface(interface_id, &cap))
		cap = 0;
	*cache = cap;
	__atomic_store_n(looked, 1, __ATOMIC_RELEASE);
	return cap;
}

int
shim_user_range(long addr, unsigned long len)
{
	unsigned long a = (unsigned long)addr;

	if (len == 0)
		return 0;
	if (a == 0 || a + len < a || a < CAPOS_USER_BASE ||
	    a + len > CAPOS_USER_END)
		return -EFAULT;
	return 0;
}
