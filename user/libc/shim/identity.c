/*
 * Who the process is, and the signal calls musl makes that must not fail.
 *
 *	uname		sysname "capOS", nodename the SystemInfo hostname,
 *			release the SystemInfo version, machine "x86_64"
 *	getpid		the capOS process id; getppid is ENOSYS (a process
 *			does not know its parent)
 *	getuid...	65534 ("nobody"): capOS has no user ids; authority
 *			is the caps a process holds
 *	rt_sigaction, rt_sigprocmask	accepted and remembered: capOS
 *			delivers no signals, so no handler ever runs
 *	sched_getaffinity	the CPUs the kernel runs on (one, today)
 */
#include <signal.h>
#include <sys/utsname.h>

#include "shim.h"

#include "capos.capnp.h"

#define NOBODY 65534

static capos_capid_t sysinfo_cap;
static uint8_t sysinfo_looked;

static void
copy_field(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(((struct utsname *)0)->sysname) && src[i];
	     i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

long
shim_sys_uname(SHIM_ARGS)
{
	struct utsname *u = (struct utsname *)a0;
	capos_capid_t si =
	    shim_cap(capos_SystemInfo_TYPE_ID, &sysinfo_cap, &sysinfo_looked);

	if (shim_user_writable(a0, sizeof(*u)))
		return -EFAULT;
	memset(u, 0, sizeof(*u));
	copy_field(u->sysname, "capOS");
	copy_field(u->nodename, "capos");
	copy_field(u->release, "unknown");
	copy_field(u->version, "capOS");
	copy_field(u->machine, "x86_64");
	if (si) {
		char buf[sizeof(u->nodename)];

		if (!capos_sysinfo_hostname(si, buf, sizeof(buf)))
			copy_field(u->nodename, buf);
		if (!capos_sysinfo_version(si, buf, sizeof(buf)))
			copy_field(u->release, buf);
	}
	return 0;
}

long
shim_sys_getpid(SHIM_ARGS)
{
	return (long)capos_pid();
}

long
shim_sys_getuid(SHIM_ARGS)
{
	return NOBODY;
}

long
shim_sys_geteuid(SHIM_ARGS)
{
	return NOBODY;
}

long
shim_sys_getgid(SHIM_ARGS)
{
	return NOBODY;
}

long
shim_sys_getegid(SHIM_ARGS)
{
	return NOBODY;
}

/* The kernel's struct sigaction, as musl passes it. */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

static struct k_sigaction actions[_NSIG];
static struct capos_mutex action_lock = CAPOS_MUTEX_INIT;
static __thread uint64_t blocked;

long
shim_sys_rt_sigaction(SHIM_ARGS)
{
	const struct k_sigaction *act = (const struct k_sigaction *)a1;
	struct k_sigaction *old = (struct k_sigaction *)a2;

	if (a0 < 1 || a0 >= _NSIG || a3 != sizeof(uint64_t))
		return -EINVAL;
	if ((act && shim_user_readable(a1, sizeof(*act))) ||
	    (old && shim_user_writable(a2, sizeof(*old))))
		return -EFAULT;
	if (act && (a0 == SIGKILL || a0 == SIGSTOP))
		return -EINVAL;
	capos_mutex_lock(&action_lock);
	if (old)
		*old = actions[a0];
	if (act)
		actions[a0] = *act;
	capos_mutex_unlock(&action_lock);
	return 0;
}

long
shim_sys_rt_sigprocmask(SHIM_ARGS)
{
	const uint64_t *set = (const uint64_t *)a1;
	uint64_t *old = (uint64_t *)a2;
	uint64_t mask;

	if (a3 != sizeof(uint64_t))
		return -EINVAL;
	if ((set && shim_user_readable(a1, sizeof(*set))) ||
	    (old && shim_user_writable(a2, sizeof(*old))))
		return -EFAULT;
	mask = blocked;
	if (set) {
		switch (a0) {
		case SIG_BLOCK:
			blocked |= *set;
			break;
		case SIG_UNBLOCK:
			blocked &= ~*set;
			break;
		case SIG_SETMASK:
			blocked = *set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (old)
		*old = mask;
	return 0;
}

long
shim_sys_sched_getaffinity(SHIM_ARGS)
{
	unsigned long len = (unsigned long)a1;

	if (len < sizeof(unsigned long) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (shim_user_writable(a2, len))
		return -EFAULT;
	memset((void *)a2, 0, len);
	*(unsigned long *)a2 = 1;
	return sizeof(unsigned long);
}
