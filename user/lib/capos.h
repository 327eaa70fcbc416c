/*
 * libcapos: the native capOS runtime.
 *
 *   - process start-up (_start → capos_start → main → exit);
 *   - a heap (malloc/free) with the kernel heap's misuse checks;
 *   - CapSet lookup by name, checked against the expected interface id;
 *   - the ring client: submissions, completions in any order, releases
 *     queued on drop and flushed with the next submission (or done at once
 *     with capos_release_sync);
 *   - calls with Cap'n Proto params and results, and exception decoding;
 *   - calls that send and receive capabilities, synchronous or in halves,
 *     and the server side of endpoints (RECV/RETURN);
 *   - clients for BootPackage, ProcessSpawner and ProcessHandle;
 *   - clients for the kernel interfaces (Console, Timer, Null) and printf.
 *
 * Errors: functions return 0 or a negative code from <capos/errors.h>;
 * CAPOS_E_APP_EXCEPTION means the call reached its object, which refused
 * it — capos_last_exception() then says why.
 */
#ifndef CAPOS_H
#define CAPOS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/abi.h>

#include "capnp/build.h"
#include "capnp/read.h"

/* The program's entry point, called by the runtime. */
int main(void);

/* --- process ---------------------------------------------------------- */

uint64_t capos_pid(void);
void capos_exit(int code) __attribute__((noreturn));

/* --- heap ------------------------------------------------------------- */

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void free(void *p);

/* --- CapSet ----------------------------------------------------------- */

/*
 * Finds the cap granted under name.  Returns 0 and *cap, CAPOS_E_BAD_CAP
 * when nothing has that name, or CAPOS_E_NOT_SUPPORTED when the cap there
 * implements another interface than interface_id.
 */
int capos_capset_find(const char *name, uint64_t interface_id,
		      capos_capid_t *cap);
/* Number of entries, and entry i, for listing what was granted. */
uint32_t capos_capset_count(void);
const struct capos_capset_entry *capos_capset_entry(uint32_t i);

/* --- the ring --------------------------------------------------------- */

struct capos_ring_page *capos_ring(void);

/*
 * Queues one SQE (copying it into the ring; the caller's buffers must stay
 * alive until its CQE) after any queued releases.  When the SQ is full it
 * first lets the kernel take entries.  Returns 0 or a transport error.
 */
int capos_submit(const struct capos_sqe *sqe);

/*
 * Waits for the CQE with the given user_data, keeping any other CQEs that
 * arrive first for their own waiters.  timeout_ns as for cap_enter;
 * returns 0 and *cqe, or CAPOS_E_TIMED_OUT.
 */
int capos_wait(uint64_t user_data, uint64_t timeout_ns,
	       struct capos_cqe *cqe);

/* A fresh user_data value (never 0). */
uint64_t capos_next_tag(void);

/*
 * CALL: sends params (a framed message, or NULL/0 for none) to method of
 * cap and waits for the answer in result[0, result_cap).  Returns the
 * result length (>= 0), a transport error, CAPOS_E_APP_EXCEPTION (the
 * result holds a CapException; see capos_last_exception) or
 * CAPOS_E_TRUNCATED (result_cap too small).
 */
int capos_call(capos_capid_t cap, uint64_t interface_id, uint16_t method,
	       const void *params,
	       uint32_t params_len, void *result, uint32_t result_cap);

/*
 * Waits for whichever of tags[0, n) completes first (0 entries are
 * skipped); returns 0 with *which and *cqe, or CAPOS_E_TIMED_OUT.  Lets
 * one thread wait on many calls at once (init on every ProcessHandle).
 */
int capos_wait_any(const uint64_t *tags, uint32_t n, uint64_t timeout_ns,
		   uint32_t *which, struct capos_cqe *cqe);

/* Drops a cap: queued, sent with the next submission. */
void capos_release(capos_capid_t cap);
/* Drops a cap now and reports the kernel's answer. */
int capos_release_sync(capos_capid_t cap);
/* Sends queued releases without anything else. */
int capos_flush(void);

/* --- exceptions -------------------------------------------------------- */

struct capos_exception {
	int type; /* capos_ExceptionType */
	char message[128];
};

/* Decodes a serialized CapException; returns 0 or -1 when malformed. */
int capos_exception_decode(const void *buf, size_t len,
			   struct capos_exception *out);
/* The exception of the last call that answered with one. */
const struct capos_exception *capos_last_exception(void);
const char *capos_exception_type_name(int type);

/* --- messages ---------------------------------------------------------- */

/* A params message under construction, in a caller-owned buffer. */
struct capos_msgbuf {
	struct capnp_builder b;
	uint8_t arena[1024] __attribute__((aligned(8)));
	uint8_t framed[1040] __attribute__((aligned(8)));
	uint32_t framed_len;
};

void capos_msg_begin(struct capos_msgbuf *mb);
/* Frames the message; returns 0 or CAPOS_E_TOO_LONG. */
int capos_msg_end(struct capos_msgbuf *mb);
/* Opens a result (empty results read as an empty struct). */
int capos_msg_read(struct capnp_msg *m, const void *buf, size_t len);

/* --- calls with capabilities (ipc.c) ----------------------------------- */

/*
 * CALL with transfer descriptors (xfer[0, nxfer), at most CAPOS_XFER_MAX;
 * each CAPOS_XFER_COPY or CAPOS_XFER_MOVE) and result caps.  Waits for
 * the answer in result[0, result_cap): the payload, then *ncaps
 * struct capos_cap_record at the next 8-byte boundary (capos_cap_records).
 * Returns the payload length (>= 0), a transport error,
 * CAPOS_E_APP_EXCEPTION (see capos_last_exception), CAPOS_E_TRUNCATED or
 * CAPOS_E_DISCONNECTED.  ncaps may be NULL.
 */
int capos_call_caps(capos_capid_t cap, uint64_t interface_id, uint16_t method,
		    const void *params,
		    uint32_t len, const struct capos_xfer *xfer, uint32_t nxfer,
		    void *result, uint32_t result_cap, uint32_t *ncaps);

/* The result-cap records after a payload of payload_len bytes. */
const struct capos_cap_record *capos_cap_records(const void *result,
						 uint32_t payload_len);

/*
 * An asynchronous call: capos_call_start submits it; once
 * capos_wait(op->tag, ..., &op->cqe) or capos_wait_any has taken its CQE
 * into op->cqe, capos_call_finish reads the answer as capos_call_caps
 * would return it.  params, xfer and result must stay alive until then;
 * small params may be built in op->scratch.
 */
struct capos_op {
	uint64_t tag; /* the CQE's user_data; 0 when nothing is in flight */
	void *result;
	uint32_t result_cap;
	struct capos_cqe cqe;
	uint64_t scratch[8];
};

int capos_call_start(struct capos_op *op, capos_capid_t cap,
		     uint64_t interface_id, uint16_t method,
		     const void *params, uint32_t len,
		     const struct capos_xfer *xfer, uint32_t nxfer,
		     void *result, uint32_t result_cap);
int capos_call_finish(struct capos_op *op, uint32_t *ncaps);

/*
 * Server side of an endpoint: waits for the next call on the owner cap.
 * buf (8-byte aligned) receives struct capos_recv_header, the params and
 * the records of the caps the caller sent (already in our table).
 * Returns the bytes written, with *hdr = buf, or an error:
 * CAPOS_E_TRUNCATED when the call does not fit (it stays queued; size the
 * buffer for the interface's largest params), CAPOS_E_BAD_FIELD when the
 * header is inconsistent.
 */
int capos_recv(capos_capid_t owner, void *buf, uint32_t len,
	       struct capos_recv_header **hdr);
/* The params and cap records of a received call. */
const void *capos_recv_params(const struct capos_recv_header *hdr);
const struct capos_cap_record *
capos_recv_caps(const struct capos_recv_header *hdr);

/* Answers call_id with a result message (NULL/0: empty results) and
 * result caps xfer[0, n); returns 0 or an error (CAPOS_E_BAD_CALL_ID,
 * CAPOS_E_DISCONNECTED when the caller is gone). */
int capos_return(capos_capid_t owner, uint64_t call_id, const void *result,
		 uint32_t len, const struct capos_xfer *xfer, uint32_t n);
/* Answers call_id with a CapException (type: capos_ExceptionType). */
int capos_return_exception(capos_capid_t owner, uint64_t call_id, int type,
			   const char *message);

/* --- processes (process.c) ---------------------------------------------- */

/* Reads the whole boot manifest into a malloc'd buffer, in chunks of at
 * most CAPOS_BOOTPKG_CHUNK bytes (BootPackage.readManifest's limit). */
#define CAPOS_BOOTPKG_CHUNK	   4096u
#define CAPOS_BOOTPKG_MANIFEST_MAX (128u * 1024u)
int capos_bootpkg_read_manifest(capos_capid_t bootpkg, void **buf,
				size_t *len);
int capos_bootpkg_binary_size(capos_capid_t bootpkg, const char *name,
			      uint64_t *size, bool *found);

/* A cap the child gets in its CapSet under name (copied from ours). */
struct capos_spawn_grant {
	const char *name;
	capos_capid_t cap;
};

/* A fresh endpoint: the child gets its owner side under name, we get a
 * client facet that carries interface_id. */
struct capos_spawn_endpoint {
	const char *name;
	uint64_t interface_id;
};

/* 0 in a field: the default (the manifest's kernelParams, then the
 * kernel's own). */
struct capos_spawn_limits {
	uint32_t cap_slots, outstanding_calls, endpoint_queue, frames;
};

/*
 * ProcessSpawner.spawn: starts binary (a BootPackage binary name) as
 * process `name` with exactly grants[0, ngrants) (at most CAPOS_XFER_MAX
 * distinct caps; a cap granted under two names is sent once) followed by
 * the owner sides of eps[0, neps).  Returns 0 with the non-transferable
 * ProcessHandle in *handle and our client facets in clients[0, neps), or
 * an error (CAPOS_E_APP_EXCEPTION: see capos_last_exception).
 */
int capos_spawn(capos_capid_t spawner, const char *name, const char *binary,
		const struct capos_spawn_grant *grants, uint32_t ngrants,
		const struct capos_spawn_endpoint *eps, uint32_t neps,
		const struct capos_spawn_limits *limits, capos_capid_t *handle,
		capos_capid_t *clients);

/* ProcessHandle.wait, at once or in halves (start, then finish once
 * op->cqe holds its completion); buf holds the answer (64 bytes will do,
 * 256 leaves room for an exception). */
int capos_handle_wait(capos_capid_t handle, int32_t *exit_code);
int capos_handle_wait_start(struct capos_op *op, capos_capid_t handle,
			    void *buf, uint32_t len);
int capos_handle_wait_finish(struct capos_op *op, int32_t *exit_code);
int capos_handle_kill(capos_capid_t handle);

/* Timer.sleep in halves, for waiting beside other calls. */
int capos_timer_sleep_start(struct capos_op *op, capos_capid_t timer,
			    uint64_t ns, void *buf, uint32_t len);

/* --- kernel interfaces ------------------------------------------------- */

int capos_console_write(capos_capid_t console, const void *buf, size_t len);
int capos_console_write_line(capos_capid_t console, const char *text);
int capos_timer_now(capos_capid_t timer, uint64_t *ns);
int capos_timer_sleep(capos_capid_t timer, uint64_t ns);
int capos_null_ping(capos_capid_t null);

/* printf to the "console" cap of the CapSet; lines are written whole. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* --- in-guest tests ---------------------------------------------------- */

/* Prefixes every check name that follows (e.g. "ipc."). */
void ktest_prefix(const char *prefix);
/* Prints "KTEST ok PREFIXNAME", or "KTEST not ok PREFIXNAME: why". */
void ktest_check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Checks failed so far: a test program's exit code. */
int ktest_failures(void);
/* The check that got == want, both codes named in a failure. */
void ktest_check_code(int32_t got, int32_t want, const char *name);

/* What ktest_roundtrip reports when no CQE came in KTEST_WAIT_NS: a value
 * no real result takes. */
#define KTEST_NO_ANSWER 12345
#define KTEST_WAIT_NS	(5000ull * 1000000ull)
/* Submits one SQE (with a fresh user_data) and returns its CQE. */
struct capos_cqe ktest_roundtrip(struct capos_sqe sqe);
/* The same, only the CQE's result. */
int32_t ktest_result_of(struct capos_sqe sqe);

/* Error names, for messages. */
const char *capos_strerror(int err);

#endif
