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
int capos_call(capos_capid_t cap, uint16_t method, const void *params,
	       uint32_t params_len, void *result, uint32_t result_cap);

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

/* --- kernel interfaces ------------------------------------------------- */

int capos_console_write(capos_capid_t console, const void *buf, size_t len);
int capos_console_write_line(capos_capid_t console, const char *text);
int capos_timer_now(capos_capid_t timer, uint64_t *ns);
int capos_timer_sleep(capos_capid_t timer, uint64_t ns);
int capos_null_ping(capos_capid_t null);

/* printf to the "console" cap of the CapSet; lines are written whole. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* Error names, for messages. */
const char *capos_strerror(int err);

#endif
