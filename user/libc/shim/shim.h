/*
 * The system-call shim: every Linux system call musl makes arrives at
 * __capos_syscall (user/libc/musl/syscall_arch.h) and is answered here
 * with the capabilities of the process's CapSet, one file per family:
 *
 *	syscall.c	the table, the ENOSYS answer and its counters
 *	start.c		process start (argv, auxv) and exit
 *	io.c		file descriptors 0-2 on StdIO or Console
 *	memory.c	mmap, munmap, mprotect, brk on VirtualMemory
 *	chunks.c	small mappings sharing reservations
 *	tls.c		the TLS pointer, which the runtime's own state lives in
 *	thread.c	clone, futex, thread exit on ThreadSpawner and ParkSpace
 *	time.c		clocks and sleeps on Timer and WallClock
 *	random.c	getrandom on EntropySource
 *	identity.c	uname, ids and the signal calls that must not fail
 *	usermem.c	whether a buffer the program passed may be touched
 *
 * A handler takes the six raw arguments and returns the value or a
 * negative errno, as the Linux system call would.
 */
#ifndef CAPOS_LIBC_SHIM_H
#define CAPOS_LIBC_SHIM_H

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "capos.h"

#define SHIM_ARGS long a0, long a1, long a2, long a3, long a4, long a5

typedef long (*shim_handler)(SHIM_ARGS);

/* Where every system call of musl arrives (syscall_arch.h). */
long __capos_syscall(long n, long a0, long a1, long a2, long a3, long a4,
                     long a5);

/* The negative errno a libcapos error stands for (a capability
 * exception by its type). */
long shim_errno(int capos_err);

/* The process's cap implementing interface_id, found once and kept;
 * 0 when the CapSet has none. */
capos_capid_t shim_cap(uint64_t interface_id, capos_capid_t *cache,
                       uint8_t *looked);

/* Counts system call n among the unsupported ones (as the table does for
 * numbers it has no handler for) and returns err: for the calls that
 * answer an errno a caller expects rather than ENOSYS. */
long shim_unsupported(long n, long err);

/* A user buffer the shim will read or write: a range outside the user
 * half [CAPOS_USER_BASE, CAPOS_USER_END), NULL among them, or one that
 * wraps, is EFAULT before any capability is called (the kernel checks
 * the rest). */
int shim_user_range(long addr, unsigned long len);

/* A buffer the shim will read (readable) or write (writable) for the
 * program: 0 when touching all of it cannot fault, else -EFAULT, as
 * Linux answers a bad pointer (usermem.c).  Length 0 is always 0. */
int shim_user_readable(long addr, unsigned long len);
int shim_user_writable(long addr, unsigned long len);

/* Pages for a small anonymous mapping from the shared reservations
 * (chunks.c), or 0; and back: whether [addr, +pages) lay in one (its
 * pages are then decommitted and free again). */
uint64_t shim_chunk_alloc(capos_capid_t vm, uint64_t pages);
bool shim_chunk_free(capos_capid_t vm, uint64_t addr, uint64_t pages);

/* Every handler, by family; syscall.c makes the table from this list. */
/* clang-format off */
#define SHIM_HANDLERS(X) \
	/* io.c */ \
	X(read) X(write) X(readv) X(writev) X(pread64) X(pwrite64) \
	X(ioctl) X(close) X(lseek) X(fstat) X(fcntl) X(dup) X(dup3) \
	X(poll) X(open) X(openat) X(unlink) X(rmdir) X(rename) \
	/* memory.c */ \
	X(mmap) X(munmap) X(mprotect) X(brk) X(madvise) \
	/* tls.c, thread.c, start.c */ \
	X(arch_prctl) X(set_tid_address) X(set_robust_list) X(futex) \
	X(gettid) X(exit) X(exit_group) X(sched_yield) \
	/* time.c */ \
	X(clock_gettime) X(clock_getres) X(clock_nanosleep) X(nanosleep) \
	X(gettimeofday) X(time) \
	/* random.c, identity.c */ \
	X(getrandom) X(uname) X(getpid) X(getuid) X(geteuid) X(getgid) \
	X(getegid) X(rt_sigaction) X(rt_sigprocmask) X(sched_getaffinity)
/* clang-format on */

#define SHIM_DECLARE(name) long shim_sys_##name(SHIM_ARGS);
SHIM_HANDLERS(SHIM_DECLARE)
#undef SHIM_DECLARE

#endif
