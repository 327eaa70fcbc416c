/*
 * Error codes of the kernel/user ABI.
 *
 * A CQE's result is >= 0 on success (bytes written to the result buffer)
 * and negative on failure.  Syscalls return the same codes in RAX.
 *
 * Two kinds of negative values exist, kept in separate ranges so a caller
 * can tell them apart with one comparison:
 *
 *   -1 .. -63   transport errors: the invocation itself failed (bad SQE,
 *               bad buffer, stale cap, ...).  No method ran, or the call
 *               could not be delivered or finished.  Mechanical, small.
 *   -64 ..      completion kinds that are not transport failures: the
 *               method ran and answered with an exception, or answered
 *               with more bytes than the result buffer holds.
 *
 * Codes are append-only: a code keeps its number and meaning forever; a new
 * code takes the next free number in its range and bumps CAPOS_ABI_MINOR.
 * Callers must treat an unknown negative code in the transport range as a
 * generic transport failure.
 */
#ifndef CAPOS_ERRORS_H
#define CAPOS_ERRORS_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define CAPOS_OK 0

/* --- Transport errors --------------------------------------------------- */

/* Opcode 0 (a zeroed SQE) or a number no ABI version defines. */
#define CAPOS_E_BAD_OPCODE (-1)
/* Opcode defined for a later feature (PARK, UNPARK); not served yet. */
#define CAPOS_E_RESERVED_OP (-2)
/* An unknown SQE flag bit, or a known flag on an opcode it does not apply
 * to. */
#define CAPOS_E_BAD_FLAGS (-3)
/* A reserved field, or a field the opcode does not use, is nonzero.  Kept
 * strict so those fields can gain a meaning later without old binaries
 * sending garbage in them. */
#define CAPOS_E_BAD_FIELD (-4)
/* The cap id is 0, forged (generation 0), out of the table's range, names a
 * free slot, or is stale (generation no longer matches). */
#define CAPOS_E_BAD_CAP (-5)
/* A buffer is not valid user memory: NULL, below CAPOS_USER_BASE, reaching
 * kernel space, wrapping around, unmapped, not writable where written, or a
 * nonzero address with a zero length. */
#define CAPOS_E_BAD_BUFFER (-6)
/* A length is over its named limit (CAPOS_PARAMS_MAX, CAPOS_RESULT_MAX). */
#define CAPOS_E_TOO_LONG (-7)
/* The capability does not serve this opcode, e.g. RECV on a cap that is not
 * an endpoint, or RETURN through a client facet. */
#define CAPOS_E_NOT_SUPPORTED (-8)
/* A transfer descriptor is malformed: unknown mode, reserved bits set, a
 * malformed cap id (generation 0), a cap listed twice, or not transferable
 * in that mode; or more than CAPOS_XFER_MAX descriptors.  A well-formed id
 * that names no live cap is CAPOS_E_BAD_CAP, as everywhere else. */
#define CAPOS_E_BAD_XFER (-9)
/* A resource limit of the process (cap slots, outstanding calls, queue
 * depth, scratch bytes, ...) would be exceeded.  Checked before any side
 * effect: nothing happened. */
#define CAPOS_E_QUOTA (-10)
/* RETURN names a call id that is not in flight on this endpoint. */
#define CAPOS_E_BAD_CALL_ID (-11)
/* The object behind the capability is gone (its server exited or it was
 * revoked).  Retrying through the same cap cannot succeed. */
#define CAPOS_E_DISCONNECTED (-12)
/* A deadline passed before the operation completed. */
#define CAPOS_E_TIMED_OUT (-13)
/* The operation was abandoned before completion: the holder released the
 * cap the SQE named, or its process is going away (docs/abi.md 3.3). */
#define CAPOS_E_CANCELLED (-14)
/* Syscall return only: no syscall has this number.  Nothing changed. */
#define CAPOS_E_NOSYS (-15)
/* An argument is out of range: a syscall's (cap_enter's min_complete
 * above the completion queue size), or one libcapos refuses before
 * anything reaches the kernel (a user_data of 0 or with the runtime's
 * tag bit, a buffer too small for what it must hold).  Nothing changed. */
#define CAPOS_E_BAD_ARG (-16)
/* cap_enter return only: the ring header is corrupt (see the ring's status
 * word); no SQE was consumed until userspace repairs its indices. */
#define CAPOS_E_RING_CORRUPT (-17)

/* The most negative transport code; everything in [-63, -1] is transport. */
#define CAPOS_E_TRANSPORT_LAST (-63)

/* --- Non-transport completion kinds ------------------------------------- */

/* The method raised an exception: the result buffer holds a serialized
 * CapException (schema/capos.capnp) of aux0 bytes. */
#define CAPOS_E_APP_EXCEPTION (-64)
/* The answer did not fit the result buffer; aux0 holds the bytes it needs.
 * Nothing was written. */
#define CAPOS_E_TRUNCATED (-65)

#ifndef __ASSEMBLER__
static inline int
capos_error_is_transport(int32_t code)
{
	return code < 0 && code >= CAPOS_E_TRANSPORT_LAST;
}

/*
 * Stable symbolic name of a code, for logs and test output.  Returns
 * "CAPOS_E_UNKNOWN" for a code this header does not know (for instance one
 * added by a newer kernel).
 */
static inline const char *
capos_error_name(int32_t code)
{
	switch (code) {
	case CAPOS_OK:
		return "CAPOS_OK";
	case CAPOS_E_BAD_OPCODE:
		return "CAPOS_E_BAD_OPCODE";
	case CAPOS_E_RESERVED_OP:
		return "CAPOS_E_RESERVED_OP";
	case CAPOS_E_BAD_FLAGS:
		return "CAPOS_E_BAD_FLAGS";
	case CAPOS_E_BAD_FIELD:
		return "CAPOS_E_BAD_FIELD";
	case CAPOS_E_BAD_CAP:
		return "CAPOS_E_BAD_CAP";
	case CAPOS_E_BAD_BUFFER:
		return "CAPOS_E_BAD_BUFFER";
	case CAPOS_E_TOO_LONG:
		return "CAPOS_E_TOO_LONG";
	case CAPOS_E_NOT_SUPPORTED:
		return "CAPOS_E_NOT_SUPPORTED";
	case CAPOS_E_BAD_XFER:
		return "CAPOS_E_BAD_XFER";
	case CAPOS_E_QUOTA:
		return "CAPOS_E_QUOTA";
	case CAPOS_E_BAD_CALL_ID:
		return "CAPOS_E_BAD_CALL_ID";
	case CAPOS_E_DISCONNECTED:
		return "CAPOS_E_DISCONNECTED";
	case CAPOS_E_TIMED_OUT:
		return "CAPOS_E_TIMED_OUT";
	case CAPOS_E_CANCELLED:
		return "CAPOS_E_CANCELLED";
	case CAPOS_E_NOSYS:
		return "CAPOS_E_NOSYS";
	case CAPOS_E_BAD_ARG:
		return "CAPOS_E_BAD_ARG";
	case CAPOS_E_RING_CORRUPT:
		return "CAPOS_E_RING_CORRUPT";
	case CAPOS_E_APP_EXCEPTION:
		return "CAPOS_E_APP_EXCEPTION";
	case CAPOS_E_TRUNCATED:
		return "CAPOS_E_TRUNCATED";
	default:
		return "CAPOS_E_UNKNOWN";
	}
}
#endif /* !__ASSEMBLER__ */

#endif
