/*
 * The capOS kernel/user ABI in one include: shared by the kernel, the
 * userspace runtime and host tests, freestanding (only <stdint.h> and
 * <stddef.h>).  docs/abi.md describes every piece and the rules by which
 * it may change.
 */
#ifndef CAPOS_ABI_H
#define CAPOS_ABI_H

#include <capos/version.h>
#include <capos/capid.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/ring.h>
#include <capos/capset.h>
#include <capos/syscall.h>
#include <capos/elfnote.h>

#endif
