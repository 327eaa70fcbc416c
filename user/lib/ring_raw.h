/*
 * Raw ring use, where the runtime's ring state cannot serve: threads that
 * test programs spawn without the runtime (each drives its own ring page,
 * RDI at its entry, the thread entry ABI), and the C library's switch of
 * the TLS block the runtime's state lives in (user/libc/shim/tls.c).
 */
#ifndef CAPOS_RING_RAW_H
#define CAPOS_RING_RAW_H

#include <capos/abi.h>

/* An entry point NAME that calls FN(ring, arg, slot): at entry RSP is
 * stackTop (16-byte aligned), so the call leaves FN's frame as SysV
 * wants it, and RDI, RSI, RDX are already its three arguments. */
#define THREAD_RAW_ENTRY(name, fn)                                             \
	__asm__(".text\n.globl " #name "\n" #name ":\n"                        \
	        "\txor %ebp, %ebp\n\tcall " #fn "\n\tud2\n");                  \
	void name(void)

static inline void
raw_push(struct capos_ring_page *r, const struct capos_sqe *sqe)
{
	struct capos_ring_header *h = &r->hdr;

	while (h->sq_tail - __atomic_load_n(&h->sq_head, __ATOMIC_ACQUIRE) >=
	       CAPOS_RING_SQ_ENTRIES)
		capos_sys_cap_enter(0, 0);
	r->sq[h->sq_tail % CAPOS_RING_SQ_ENTRIES] = *sqe;
	__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
}

/* The next CQE, waiting in cap_enter for it. */
static inline struct capos_cqe
raw_reap(struct capos_ring_page *r)
{
	struct capos_ring_header *h = &r->hdr;
	uint32_t head = h->cq_head;
	struct capos_cqe cqe;

	while (__atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE) == head)
		capos_sys_cap_enter(1, CAPOS_TIMEOUT_INFINITE);
	cqe = r->cq[head % CAPOS_RING_CQ_ENTRIES];
	__atomic_store_n(&h->cq_head, head + 1, __ATOMIC_RELEASE);
	return cqe;
}

/* Queues a CALL with framed params (or none) and a result buffer (or
 * none). */
static inline void
raw_call_result(struct capos_ring_page *r, capos_capid_t cap, uint64_t iface,
                uint16_t method, uint64_t ud, const void *params, uint32_t len,
                void *result, uint32_t result_len)
{
	struct capos_sqe sqe = {
	    .opcode = CAPOS_OP_CALL,
	    .cap = cap,
	    .method = method,
	    .interface_id = iface,
	    .user_data = ud,
	    .params_addr = len ? (uint64_t)(uintptr_t)params : 0,
	    .params_len = len,
	    .result_addr = result_len ? (uint64_t)(uintptr_t)result : 0,
	    .result_len = result_len,
	};

	raw_push(r, &sqe);
}

/* The same with no result buffer (the answer is empty). */
static inline void
raw_call(struct capos_ring_page *r, capos_capid_t cap, uint64_t iface,
         uint16_t method, uint64_t ud, const void *params, uint32_t len)
{
	raw_call_result(r, cap, iface, method, ud, params, len, NULL, 0);
}

#endif
