/*
 * The user addresses an SQE carries, typed (mm/uaddr.h) as they are read
 * from the kernel's copy of the SQE: this is where the ring's raw numbers
 * become user addresses, and past it the kernel holds them only as
 * uaddr_t.  The ABI struct itself keeps plain uint64_t fields.
 */
#ifndef IPC_SQE_H
#define IPC_SQE_H

#include <capos/ring.h>

#include "mm/uaddr.h"

static inline uaddr_t
sqe_params_addr(const struct capos_sqe *sqe)
{
	return uaddr(sqe->params_addr);
}

static inline uaddr_t
sqe_result_addr(const struct capos_sqe *sqe)
{
	return uaddr(sqe->result_addr);
}

/* PARK, UNPARK: the 32-bit word. */
static inline uaddr_t
sqe_word_addr(const struct capos_sqe *sqe)
{
	return uaddr(sqe->word_addr);
}

static inline uaddr_t
sqe_xfer_addr(const struct capos_sqe *sqe)
{
	return uaddr(sqe->xfer_addr);
}

#endif
