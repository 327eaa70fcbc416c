/*
 * The program's buffers the shim touches for it.  A Linux system call
 * handed a bad pointer answers EFAULT; the shim reads and writes user
 * memory itself, where a bad pointer would end the process with a page
 * fault.  So before touching a buffer it asks whether it may:
 *
 *	the image (text and read-only data readable, data and bss
 *	writable) and the main thread's stack: known from the layout,
 *	answered without a call, which covers stdio's buffers and the
 *	structures programs keep on the stack;
 *	anything else: VirtualMemory.access, the kernel's own answer
 *	(heap, thread stacks, mappings the program made itself).
 *
 * Without a VirtualMemory cap a process has nothing mapped beyond its
 * image and stacks, so any other buffer is EFAULT.  The answer holds
 * when it is given: a program unmapping a buffer while another of its
 * threads passes it to a system call still faults, its own race.
 */
#include "shim.h"

#include "capos.capnp.h"

/* The image's bounds: text and rodata below the TLS template, which
 * starts the data segment (user/user.ld). */
extern const uint8_t __capos_tls_start[], __capos_image_end[];

static capos_capid_t vm_cap;
static uint8_t vm_looked;

static int
inside(unsigned long a, unsigned long len, unsigned long lo, unsigned long hi)
{
	return a >= lo && a < hi && len <= hi - a;
}

static int
known(unsigned long a, unsigned long len, int write)
{
	unsigned long data = (unsigned long)__capos_tls_start;

	if (inside(a, len, CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_SIZE,
	           CAPOS_USER_STACK_TOP) ||
	    inside(a, len, data, (unsigned long)__capos_image_end))
		return 1;
	return !write && inside(a, len, CAPOS_USER_IMAGE_BASE, data);
}

static int
user_access(long addr, unsigned long len, int write)
{
	capos_capid_t cap;
	int readable, writable;

	if (shim_user_range(addr, len))
		return -EFAULT;
	if (len == 0 || known((unsigned long)addr, len, write))
		return 0;
	cap = shim_cap(capos_VirtualMemory_TYPE_ID, &vm_cap, &vm_looked);
	if (!cap)
		return -EFAULT;
	/* The kernel checks at most CAPOS_VM_ACCESS_MAX bytes a call. */
	while (len) {
		unsigned long n =
		    len < CAPOS_VM_ACCESS_MAX ? len : CAPOS_VM_ACCESS_MAX;

		if (capos_vm_access(cap, (uint64_t)addr, n, &readable,
		                    &writable) ||
		    !(write ? writable : readable))
			return -EFAULT;
		addr += (long)n;
		len -= n;
	}
	return 0;
}

int
shim_user_readable(long addr, unsigned long len)
{
	return user_access(addr, len, 0);
}

int
shim_user_writable(long addr, unsigned long len)
{
	return user_access(addr, len, 1);
}
