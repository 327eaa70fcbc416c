/*
 * User virtual addresses.  A user address is a number the kernel must
 * never use as a pointer: it names memory in some process's address
 * space, which may be unmapped, read-only or hostile.  uaddr_t wraps it in
 * a one-member struct so the compiler refuses to dereference it, add it
 * to a pointer, compare it with an integer, or pass it where a kernel
 * pointer, a physical address or any plain integer is expected.
 *
 * The rules (docs/architecture.md, "User addresses"):
 *   - a raw value becomes a uaddr_t with uaddr() only where it enters the
 *     kernel from user mode or from the layout the kernel gives a process:
 *     the SQE fields (ipc/sqe.h), the faulting address of a page fault,
 *     the ELF image and <capos/layout.h> while a process is built, and
 *     VirtualMemory's params (kobj/vm.c);
 *   - it moves through the kernel as a uaddr_t (completion records, queued
 *     calls, transfer descriptors' address), offset with uaddr_add();
 *   - its memory is reached only through mm/aspace.h (copy in, copy out,
 *     check, map) and mm/vmspace.h (VirtualMemory's regions), the only
 *     places that look at the number inside (UADDR_RAW, defined by
 *     mm/aspace.c and mm/vmspace.c alone).
 * At -O2 the struct costs nothing: it is passed and returned in a
 * register like the integer it holds.
 */
#ifndef MM_UADDR_H
#define MM_UADDR_H

#include <stdint.h>

typedef struct {
	uint64_t va;
} uaddr_t;

/* A raw user address entering the kernel (see the rules above). */
static inline uaddr_t
uaddr(uint64_t va)
{
	return (uaddr_t){va};
}

/* The address off bytes further on (no check: the copy functions range
 * check whatever they are given, wrap-around included). */
static inline uaddr_t
uaddr_add(uaddr_t u, uint64_t off)
{
	return (uaddr_t){u.va + off};
}

/* The number inside, for the address-space code only. */
/* Whether two user addresses are the same (the number stays inside). */
static inline int
uaddr_eq(uaddr_t a, uaddr_t b)
{
	return a.va == b.va;
}

#ifdef UADDR_RAW
static inline uint64_t
uaddr_raw(uaddr_t u)
{
	return u.va;
}
#endif

#endif
