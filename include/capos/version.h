/*
 * capOS ABI version.  One number pair names the whole kernel/user contract:
 * the ring page, the SQE/CQE layout, opcodes, flags, error codes, the
 * CapSet page, syscall numbers and the user address layout.
 *
 * The minor version grows when something is appended that an older binary
 * can ignore (a new opcode, flag, error code, field meaning for a reserved
 * field).  The major version grows when an existing meaning changes; a
 * binary whose major differs from the kernel's is refused at load time.
 * docs/abi.md, "ABI evolution policy", has the full rules.
 */
#ifndef CAPOS_VERSION_H
#define CAPOS_VERSION_H

#define CAPOS_ABI_MAJOR 4 /* 4: the RECV header grew to 64 bytes (badge) */
#define CAPOS_ABI_MINOR 0

#endif
