/*
 * The capability ring: one 4 KiB page shared between a process and the
 * kernel, io_uring style.
 *
 *   offset    size  what
 *   0         256   struct capos_ring_header (four 64-byte cache lines)
 *   256      1024   16 submission entries (struct capos_sqe, 64 bytes)
 *   1280     1024   32 completion entries (struct capos_cqe, 32 bytes)
 *   2304     1792   reserved, zero
 *
 * Userspace writes an SQE with plain stores, then publishes it by storing
 * sq_tail + 1 (release).  The kernel copies each SQE out of the page before
 * looking at it, consumes it, and publishes sq_head.  For completions the
 * roles swap: the kernel writes a CQE and publishes cq_tail; userspace reads
 * it and publishes cq_head.
 *
 * Indices are free-running u32 counters; an entry's slot is
 * index & (entries - 1).  A queue holds tail - head entries, which is
 * never more than its size: anything else means userspace scribbled over
 * its index, and the kernel reports it (status) instead of trusting it.
 *
 * The kernel keeps its own copy of sq_head, cq_tail, the sizes and the
 * offsets; it only ever reads sq_tail and cq_head back from the page.
 */
#ifndef CAPOS_RING_H
#define CAPOS_RING_H

#include <stddef.h>
#include <stdint.h>

#include <capos/capid.h>

/* "CRNG" as bytes in memory, little-endian. */
#define CAPOS_RING_MAGIC 0x474e5243u

#define CAPOS_RING_PAGE_SIZE   4096u
#define CAPOS_RING_CACHE_LINE  64u
#define CAPOS_RING_SQ_ENTRIES  16u
#define CAPOS_RING_CQ_ENTRIES  32u
#define CAPOS_RING_SQE_SIZE    64u
#define CAPOS_RING_CQE_SIZE    32u
#define CAPOS_RING_HEADER_SIZE 256u
#define CAPOS_RING_SQE_OFFSET  CAPOS_RING_HEADER_SIZE
#define CAPOS_RING_CQE_OFFSET                                                  \
	(CAPOS_RING_SQE_OFFSET + CAPOS_RING_SQ_ENTRIES * CAPOS_RING_SQE_SIZE)
#define CAPOS_RING_USED_SIZE                                                   \
	(CAPOS_RING_CQE_OFFSET + CAPOS_RING_CQ_ENTRIES * CAPOS_RING_CQE_SIZE)

/* Bits of capos_ring_header.status, set by the kernel when it found an
 * index it cannot trust.  The kernel clears a bit again once the indices
 * it refers to are consistent. */
#define CAPOS_RING_STATUS_SQ_CORRUPT (1u << 0) /* sq_tail - sq_head > 16 */
#define CAPOS_RING_STATUS_CQ_CORRUPT (1u << 1) /* cq_tail - cq_head > 32 */

/* --- Opcodes ----------------------------------------------------------- */

/* 0 is deliberately invalid: a zeroed SQE must not do anything. */
#define CAPOS_OP_INVALID 0
/* Invoke method `method` of `cap` with params, receive results. */
#define CAPOS_OP_CALL 1
/* Wait on an endpoint `cap` for the next call; the call id lands in aux0. */
#define CAPOS_OP_RECV 2
/* Answer call `call_id` received on endpoint `cap`. */
#define CAPOS_OP_RETURN 3
/* Drop `cap` from the table. */
#define CAPOS_OP_RELEASE 4
/* Complete at once with result 0 (ring round-trip measurement, wake-ups). */
#define CAPOS_OP_NOP 5
/* Wait on a 32-bit user word while it holds park_value (ParkSpace `cap`). */
#define CAPOS_OP_PARK 6
/* Wake up to unpark_count threads parked on a word (ParkSpace `cap`). */
#define CAPOS_OP_UNPARK 7
/* One past the highest number any opcode of this ABI version uses. */
#define CAPOS_OP_COUNT 8

/* --- SQE flags --------------------------------------------------------- */

/*
 * RETURN only: the payload (params_addr/params_len) is a serialized
 * CapException, and the caller's CQE completes with CAPOS_E_APP_EXCEPTION.
 */
#define CAPOS_SQE_F_EXCEPTION (1u << 0)
/* Every flag this ABI version knows.  Any other bit is CAPOS_E_BAD_FLAGS, so
 * new flags can be added later without old kernels misreading them.
 * Planned: a SYNC bit on RELEASE (risk R6). */
#define CAPOS_SQE_FLAGS_KNOWN (CAPOS_SQE_F_EXCEPTION)

/* CQE flags: none defined yet; the kernel writes 0. */
#define CAPOS_CQE_FLAGS_KNOWN 0u

/* --- Per-call limits, checked before anything is copied ----------------- */

/* Bytes of params (or of a RETURN payload) one SQE may send. */
#define CAPOS_PARAMS_MAX (64u * 1024u)
/* Bytes of result buffer one SQE may offer. */
#define CAPOS_RESULT_MAX (64u * 1024u)
/* Transfer descriptors one CALL or RETURN may carry: enough for a spawn
 * granting 32 distinct caps, or a session's bundle of caps in one answer.
 * The kernel sizes its copies by it (ipc/transfer.h), but copies only the
 * descriptors an SQE names. */
#define CAPOS_XFER_MAX 32u

/* --- PARK / UNPARK ----------------------------------------------------- */

/* PARK's timeout_ns that never expires. */
#define CAPOS_PARK_NO_TIMEOUT UINT64_MAX
/* PARK results (CQE result >= 0; a timeout is CAPOS_E_TIMED_OUT). */
#define CAPOS_PARK_WOKEN         0 /* an UNPARK on the word woke it */
#define CAPOS_PARK_VALUE_CHANGED 1 /* the word did not hold park_value */
/* The alignment of a parking word. */
#define CAPOS_PARK_WORD_ALIGN 4u

/* --- Entries ----------------------------------------------------------- */

/*
 * Submission entry.  Which fields an opcode reads:
 *
 *            cap  method  params  result  iface/call_id  xfer  flags
 *   CALL      x     x       x       x      interface_id  x      -
 *   RECV      x     -       -       x           -         -      -
 *   RETURN    x     -       x       -        call_id      x      EXCEPTION
 *   RELEASE   x     -       -       -           -         -      -
 *   NOP       -     -       -       -           -         -      -
 *
 * PARK and UNPARK name a word instead of a message: word_addr (in
 * params_addr's place) is the user address of a 32-bit word, 4-byte
 * aligned; PARK reads park_value (params_len's place) and timeout_ns
 * (call_id's place), UNPARK reads unpark_count (params_len's place):
 *
 *            cap  word_addr  value/count  timeout_ns
 *   PARK      x       x       park_value      x
 *   UNPARK    x       x      unpark_count     -
 *
 * Every field marked "-" and `reserved` must be zero.  params_* is always
 * the message this SQE sends (CALL params, RETURN results); result_* is
 * the buffer its completion fills (CALL results, RECV message).
 *
 * A CALL names its method by (interface_id, method): the Cap'n Proto id of
 * the interface that declares the method, and its ordinal there.  An
 * object answers its own interface and every interface it extends; any
 * other id gets the `unimplemented` exception (docs/abi.md 3.1).
 */
struct capos_sqe {
	uint8_t opcode;
	uint8_t flags;
	uint16_t method;    /* CALL: method ordinal in the cap's interface */
	capos_capid_t cap;  /* target capability */
	uint64_t user_data; /* echoed in the CQE */
	union {
		uint64_t params_addr; /* user address of the outgoing message */
		uint64_t word_addr;   /* PARK, UNPARK: the 32-bit word */
	};
	union {
		uint32_t params_len;   /* <= CAPOS_PARAMS_MAX */
		uint32_t park_value;   /* PARK: park while the word holds it */
		uint32_t unpark_count; /* UNPARK: wake at most this many */
	};
	uint32_t result_len;  /* <= CAPOS_RESULT_MAX */
	uint64_t result_addr; /* user address of the completion's buffer */
	union {
		uint64_t interface_id; /* CALL: the method's interface */
		uint64_t call_id;      /* RETURN: the call being answered */
		uint64_t timeout_ns;   /* PARK: CAPOS_PARK_NO_TIMEOUT, or ns */
	};
	uint64_t xfer_addr;  /* user address of struct capos_xfer[] */
	uint32_t xfer_count; /* <= CAPOS_XFER_MAX */
	uint32_t reserved;   /* must be 0 */
};

/*
 * Completion entry.  result >= 0: success, bytes written to the result
 * buffer; result < 0: a code from <capos/errors.h>.
 *
 *   opcode / result          aux0                          aux1
 *   CALL ok                  number of result-cap records  0
 *   RECV ok                  call id (for RETURN)          0
 *   any, APP_EXCEPTION       CapException length in bytes  0
 *   any, TRUNCATED           bytes the result needed       0
 *   PARK                     0                             0
 *     result CAPOS_PARK_WOKEN, CAPOS_PARK_VALUE_CHANGED or TIMED_OUT
 *   UNPARK ok: result = number of threads woken
 *   anything else            0                             0
 *
 * Result-cap records (struct capos_cap_record) follow the result payload
 * in the result buffer, starting at the next 8-byte boundary.
 */
struct capos_cqe {
	uint64_t user_data;
	int32_t result;
	uint32_t flags;
	uint64_t aux0;
	uint64_t aux1;
};

/* Transfer modes of a descriptor. */
#define CAPOS_XFER_COPY 1u /* sender keeps its cap */
#define CAPOS_XFER_MOVE 2u /* sender's cap is removed when the call commits */

/* A capability sent along with a CALL or RETURN. */
struct capos_xfer {
	capos_capid_t cap; /* the sender's cap */
	uint32_t mode;     /* CAPOS_XFER_COPY or CAPOS_XFER_MOVE */
	uint64_t reserved; /* must be 0 */
};

/* A capability received: a result cap after a CALL's payload, or a
 * transferred cap after a RECV's message. */
struct capos_cap_record {
	capos_capid_t cap;     /* the new id in the receiver's table */
	uint32_t reserved;     /* 0 */
	uint64_t interface_id; /* Cap'n Proto interface id of the object */
};

/*
 * The message a RECV completes with, at the start of its result buffer:
 * this header, then the call's params (params_len bytes), then, at the
 * next 8-byte boundary (caps_offset from the start of the header), ncaps
 * struct capos_cap_record for the caps the caller transferred, already
 * installed in the receiver's table.  CQE: result = total bytes written,
 * aux0 = call_id.
 *
 * session is an opaque reference to the caller's session, the same for
 * every call from one caller process to any endpoint of the receiving
 * service, different for another service (so two services cannot
 * correlate a caller); it is metadata, never authority.
 */
struct capos_recv_header {
	uint64_t call_id;       /* pass to RETURN */
	uint64_t session[2];    /* opaque caller session reference */
	uint64_t session_epoch; /* changes when the reference is reissued */
	uint16_t method;        /* method ordinal the caller invoked */
	uint16_t reserved0;     /* 0 */
	uint32_t params_len;
	uint32_t ncaps;
	uint32_t caps_offset;
	uint64_t interface_id; /* the interface the caller named */
	uint64_t badge;        /* the facet's badge (Endpoint.client), or 0 */
};

/* The header: four cache lines, so the words each side writes never share
 * a line with the words the other side writes (except line 3, whose two
 * writers touch it once per completion batch). */
struct capos_ring_header {
	/* Line 0: written by the kernel at setup, never changed after.  The
	 * kernel does not read it back. */
	uint32_t magic;      /* CAPOS_RING_MAGIC */
	uint16_t abi_major;  /* CAPOS_ABI_MAJOR of the kernel */
	uint16_t abi_minor;  /* CAPOS_ABI_MINOR of the kernel */
	uint32_t sq_entries; /* CAPOS_RING_SQ_ENTRIES */
	uint32_t cq_entries; /* CAPOS_RING_CQ_ENTRIES */
	uint32_t sqe_offset; /* CAPOS_RING_SQE_OFFSET */
	uint32_t cqe_offset; /* CAPOS_RING_CQE_OFFSET */
	uint8_t pad0[40];

	/* Line 1: kernel writes. */
	uint32_t sq_head;
	uint8_t pad1[60];

	/* Line 2: user writes. */
	uint32_t sq_tail;
	uint8_t pad2[60];

	/* Line 3: completion indices and kernel diagnostics. */
	uint32_t cq_head;     /* user writes */
	uint32_t cq_tail;     /* kernel writes */
	uint32_t cq_overflow; /* kernel: completions it could not post */
	uint32_t status;      /* kernel: CAPOS_RING_STATUS_* */
	uint8_t pad3[48];
};

struct capos_ring_page {
	struct capos_ring_header hdr;
	struct capos_sqe sq[CAPOS_RING_SQ_ENTRIES];
	struct capos_cqe cq[CAPOS_RING_CQ_ENTRIES];
	uint8_t reserved[CAPOS_RING_PAGE_SIZE - CAPOS_RING_USED_SIZE];
};

/* --- Layout pins ------------------------------------------------------- */

_Static_assert((CAPOS_RING_SQ_ENTRIES & (CAPOS_RING_SQ_ENTRIES - 1)) == 0,
               "SQ size is a power of two");
_Static_assert((CAPOS_RING_CQ_ENTRIES & (CAPOS_RING_CQ_ENTRIES - 1)) == 0,
               "CQ size is a power of two");

_Static_assert(sizeof(struct capos_sqe) == CAPOS_RING_SQE_SIZE, "SQE size");
_Static_assert(offsetof(struct capos_sqe, opcode) == 0, "sqe.opcode");
_Static_assert(offsetof(struct capos_sqe, flags) == 1, "sqe.flags");
_Static_assert(offsetof(struct capos_sqe, method) == 2, "sqe.method");
_Static_assert(offsetof(struct capos_sqe, cap) == 4, "sqe.cap");
_Static_assert(offsetof(struct capos_sqe, user_data) == 8, "sqe.user_data");
_Static_assert(offsetof(struct capos_sqe, params_addr) == 16,
               "sqe.params_addr");
_Static_assert(offsetof(struct capos_sqe, params_len) == 24, "sqe.params_len");
_Static_assert(offsetof(struct capos_sqe, result_len) == 28, "sqe.result_len");
_Static_assert(offsetof(struct capos_sqe, result_addr) == 32,
               "sqe.result_addr");
_Static_assert(offsetof(struct capos_sqe, call_id) == 40, "sqe.call_id");
_Static_assert(offsetof(struct capos_sqe, interface_id) == 40,
               "sqe.interface_id");
_Static_assert(offsetof(struct capos_sqe, word_addr) == 16, "sqe.word_addr");
_Static_assert(offsetof(struct capos_sqe, park_value) == 24, "sqe.park_value");
_Static_assert(offsetof(struct capos_sqe, unpark_count) == 24,
               "sqe.unpark_count");
_Static_assert(offsetof(struct capos_sqe, timeout_ns) == 40, "sqe.timeout_ns");
_Static_assert(offsetof(struct capos_sqe, xfer_addr) == 48, "sqe.xfer_addr");
_Static_assert(offsetof(struct capos_sqe, xfer_count) == 56, "sqe.xfer_count");
_Static_assert(offsetof(struct capos_sqe, reserved) == 60, "sqe.reserved");

_Static_assert(sizeof(struct capos_cqe) == CAPOS_RING_CQE_SIZE, "CQE size");
_Static_assert(offsetof(struct capos_cqe, user_data) == 0, "cqe.user_data");
_Static_assert(offsetof(struct capos_cqe, result) == 8, "cqe.result");
_Static_assert(offsetof(struct capos_cqe, flags) == 12, "cqe.flags");
_Static_assert(offsetof(struct capos_cqe, aux0) == 16, "cqe.aux0");
_Static_assert(offsetof(struct capos_cqe, aux1) == 24, "cqe.aux1");

_Static_assert(sizeof(struct capos_xfer) == 16, "xfer size");
_Static_assert(offsetof(struct capos_xfer, cap) == 0, "xfer.cap");
_Static_assert(offsetof(struct capos_xfer, mode) == 4, "xfer.mode");
_Static_assert(offsetof(struct capos_xfer, reserved) == 8, "xfer.reserved");

_Static_assert(sizeof(struct capos_cap_record) == 16, "cap record size");
_Static_assert(sizeof(struct capos_recv_header) == 64, "recv header size");
_Static_assert(offsetof(struct capos_recv_header, call_id) == 0,
               "recv.call_id");
_Static_assert(offsetof(struct capos_recv_header, session) == 8,
               "recv.session");
_Static_assert(offsetof(struct capos_recv_header, session_epoch) == 24,
               "recv.session_epoch");
_Static_assert(offsetof(struct capos_recv_header, method) == 32, "recv.method");
_Static_assert(offsetof(struct capos_recv_header, params_len) == 36,
               "recv.params_len");
_Static_assert(offsetof(struct capos_recv_header, ncaps) == 40, "recv.ncaps");
_Static_assert(offsetof(struct capos_recv_header, caps_offset) == 44,
               "recv.caps_offset");
_Static_assert(offsetof(struct capos_recv_header, interface_id) == 48,
               "recv.interface_id");
_Static_assert(offsetof(struct capos_recv_header, badge) == 56, "recv.badge");
_Static_assert(offsetof(struct capos_cap_record, cap) == 0, "rec.cap");
_Static_assert(offsetof(struct capos_cap_record, reserved) == 4,
               "rec.reserved");
_Static_assert(offsetof(struct capos_cap_record, interface_id) == 8,
               "rec.interface_id");

_Static_assert(sizeof(struct capos_ring_header) == CAPOS_RING_HEADER_SIZE,
               "ring header size");
_Static_assert(offsetof(struct capos_ring_header, magic) == 0, "magic");
_Static_assert(offsetof(struct capos_ring_header, abi_major) == 4, "abi_major");
_Static_assert(offsetof(struct capos_ring_header, abi_minor) == 6, "abi_minor");
_Static_assert(offsetof(struct capos_ring_header, sq_entries) == 8,
               "sq_entries");
_Static_assert(offsetof(struct capos_ring_header, cq_entries) == 12,
               "cq_entries");
_Static_assert(offsetof(struct capos_ring_header, sqe_offset) == 16,
               "sqe_offset");
_Static_assert(offsetof(struct capos_ring_header, cqe_offset) == 20,
               "cqe_offset");
_Static_assert(offsetof(struct capos_ring_header, sq_head) == 64, "sq_head");
_Static_assert(offsetof(struct capos_ring_header, sq_tail) == 128, "sq_tail");
_Static_assert(offsetof(struct capos_ring_header, cq_head) == 192, "cq_head");
_Static_assert(offsetof(struct capos_ring_header, cq_tail) == 196, "cq_tail");
_Static_assert(offsetof(struct capos_ring_header, cq_overflow) == 200,
               "cq_overflow");
_Static_assert(offsetof(struct capos_ring_header, status) == 204, "status");

_Static_assert(sizeof(struct capos_ring_page) == CAPOS_RING_PAGE_SIZE,
               "ring is one page");
_Static_assert(offsetof(struct capos_ring_page, sq) == CAPOS_RING_SQE_OFFSET,
               "SQ array offset");
_Static_assert(offsetof(struct capos_ring_page, cq) == CAPOS_RING_CQE_OFFSET,
               "CQ array offset");
_Static_assert(CAPOS_RING_CQE_OFFSET == 1280, "CQ array at 256 + 1024");

#endif
