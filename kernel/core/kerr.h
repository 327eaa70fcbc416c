/*
 * Errors in the kernel: one enum, and one function that turns it into
 * the codes of the kernel/user ABI (<capos/errors.h>).
 *
 * Every kernel function that can fail returns KERR_OK (0) or a negative
 * enum kerr; one that also answers a count (bytes of a result, CQEs
 * ready) returns it as a non-negative int alongside.  Nothing else: no
 * -1, no per-module enum, no raw ABI code.  Two kinds of kinds exist:
 *
 *   - those that are an ABI code as they are (KERR_BAD_CAP is
 *     CAPOS_E_BAD_CAP): what a program sees is exactly what happened,
 *     and the pure libraries that check ABI structures (lib/ring) answer
 *     in them directly;
 *   - the kernel's own (KERR_NOMEM, KERR_BAD_ADDR, ...), numbered from
 *     KERR_KERNEL_FIRST down, far below any ABI code, which tell the
 *     kernel more than a program needs to know.
 *
 * kerr_to_abi is where a kind becomes the code a program sees; it runs
 * only at the boundary, where a CQE's result is set (kerr_result) and
 * where a system call returns.  KCALL_PENDING (kobj/kobject.h) is not an
 * error but "completes later", and never reaches it.
 */
#ifndef CORE_KERR_H
#define CORE_KERR_H

#include <stdint.h>

#include <capos/errors.h>

#include "cap/captable.h"

#define KERR_KERNEL_FIRST (-1000)

enum kerr {
	KERR_OK = CAPOS_OK,

	/* ABI codes as they are (their meaning: <capos/errors.h>). */
	KERR_BAD_OPCODE = CAPOS_E_BAD_OPCODE,
	KERR_RESERVED_OP = CAPOS_E_RESERVED_OP,
	KERR_BAD_FLAGS = CAPOS_E_BAD_FLAGS,
	KERR_BAD_FIELD = CAPOS_E_BAD_FIELD,
	KERR_BAD_CAP = CAPOS_E_BAD_CAP,
	KERR_BAD_BUFFER = CAPOS_E_BAD_BUFFER,
	KERR_TOO_LONG = CAPOS_E_TOO_LONG,
	KERR_NOT_SUPPORTED = CAPOS_E_NOT_SUPPORTED,
	KERR_BAD_XFER = CAPOS_E_BAD_XFER,
	KERR_QUOTA = CAPOS_E_QUOTA, /* a limit of the process: its
					    * frames, cap slots, calls... */
	KERR_BAD_CALL_ID = CAPOS_E_BAD_CALL_ID,
	KERR_DISCONNECTED = CAPOS_E_DISCONNECTED,
	KERR_TIMED_OUT = CAPOS_E_TIMED_OUT,
	KERR_CANCELLED = CAPOS_E_CANCELLED,
	KERR_NOSYS = CAPOS_E_NOSYS,
	KERR_BAD_ARG = CAPOS_E_BAD_ARG,
	KERR_RING_CORRUPT = CAPOS_E_RING_CORRUPT,
	KERR_EXCEPTION = CAPOS_E_APP_EXCEPTION,
	KERR_TRUNCATED = CAPOS_E_TRUNCATED,

	/* The kernel's own kinds. */
	KERR_NOMEM = KERR_KERNEL_FIRST, /* no frame or kernel heap left */
	KERR_BAD_ADDR = KERR_KERNEL_FIRST - 1,   /* outside the user half,
						* wrapping, or unaligned */
	KERR_NOT_MAPPED = KERR_KERNEL_FIRST - 2, /* a page is not mapped or
						  * lacks the permission */
	KERR_EXISTS = KERR_KERNEL_FIRST - 3,  /* already mapped (by a page, or
					      * inside a 2 MiB mapping) */
	KERR_BAD_ELF = KERR_KERNEL_FIRST - 4, /* not a loadable executable */
};

#define KERR_KERNEL_LAST KERR_BAD_ELF

/*
 * The ABI code a program sees for a kind.  The ABI's own kinds are
 * themselves; the kernel's are what they mean to the program: memory
 * the kernel cannot find is a limit reached (as any resource is), a bad
 * or unmapped user address a bad buffer, the rest a bad argument.
 * Every kind is listed, so a new one cannot be left without an answer
 * (-Wswitch).
 */
static inline int32_t
kerr_to_abi(enum kerr e)
{
	switch (e) {
	case KERR_OK:
	case KERR_BAD_OPCODE:
	case KERR_RESERVED_OP:
	case KERR_BAD_FLAGS:
	case KERR_BAD_FIELD:
	case KERR_BAD_CAP:
	case KERR_BAD_BUFFER:
	case KERR_TOO_LONG:
	case KERR_NOT_SUPPORTED:
	case KERR_BAD_XFER:
	case KERR_QUOTA:
	case KERR_BAD_CALL_ID:
	case KERR_DISCONNECTED:
	case KERR_TIMED_OUT:
	case KERR_CANCELLED:
	case KERR_NOSYS:
	case KERR_BAD_ARG:
	case KERR_RING_CORRUPT:
	case KERR_EXCEPTION:
	case KERR_TRUNCATED:
		return (int32_t)e;
	case KERR_NOMEM:
		return CAPOS_E_QUOTA;
	case KERR_BAD_ADDR:
	case KERR_NOT_MAPPED:
		return CAPOS_E_BAD_BUFFER;
	case KERR_EXISTS:
	case KERR_BAD_ELF:
		return CAPOS_E_BAD_ARG;
	}
	/* Not a kind: a broken invariant, answered as generically as the
	 * ABI allows rather than leaked. */
	return CAPOS_E_BAD_ARG;
}

/* A CQE's or a system call's result: a count as it is, a kind as its
 * ABI code. */
static inline int64_t
kerr_result(int64_t r)
{
	return r >= 0 ? r : kerr_to_abi((enum kerr)r);
}

/* The kind of a capability-table result (lib/cap, a pure library with
 * its own finer codes). */
static inline enum kerr
kerr_from_cap(int result)
{
	switch (result) {
	case CAP_OK:
		return KERR_OK;
	case CAP_E_FULL:
		/* The slot budget is a resource limit like any other. */
		return KERR_QUOTA;
	case CAP_E_NOT_TRANSFERABLE:
		return KERR_BAD_XFER;
	default:
		/* Forged, out of range, free, stale, reserved: the id does
		 * not name a usable capability. */
		return KERR_BAD_CAP;
	}
}

#endif
