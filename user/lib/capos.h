/*
 * libcapos: the native capOS runtime.
 *
 *   - process start-up (_start → capos_start → main → exit);
 *   - a heap (malloc/free) with the kernel heap's misuse checks;
 *   - CapSet lookup by name, checked against the expected interface id;
 *   - the ring client: submissions, completions in any order, releases
 *     queued on drop and flushed with the next submission (or done at once
 *     with capos_release_sync);
 *   - one call, synchronous (capos_call) or asynchronous
 *     (capos_call_submit, then capos_call_complete on its completion):
 *     params and caps out, payload and result caps back, exceptions
 *     decoded; the generated typed stubs (capos_call.h) sit on it;
 *   - the server side of endpoints (RECV/RETURN);
 *   - clients for BootPackage, ProcessSpawner and ProcessHandle;
 *   - threads (create, join, detach, thread-local storage), PARK/UNPARK,
 *     mutexes, condition variables and once (docs/processes.md);
 *   - clients for the kernel interfaces (Console, Timer, Null) and printf;
 *   - thin clients for FrameAllocator, MemoryObject and VirtualMemory;
 *   - clients for the kernel log and the audit trail, and capos_log.
 *
 * Errors: functions return 0 or a negative code from <capos/errors.h>;
 * CAPOS_E_APP_EXCEPTION means the call reached its object, which refused
 * it, or that the object is gone — capos_last_exception() then says
 * which (a gone object, CAPOS_E_DISCONNECTED from the kernel, is the
 * exception type disconnected).
 *
 * A call, synchronously:
 *
 *	uint8_t buf[256] __attribute__((aligned(8)));
 *	struct capos_call_desc d = {
 *		.cap = timer, .interface_id = capos_Timer_TYPE_ID,
 *		.method = capos_Timer_METHOD_now,
 *		.result = buf, .result_cap = sizeof(buf),
 *	};
 *	struct capos_reply r;
 *	err = capos_call(&d, &r);   // 0: r.len payload bytes in buf
 *
 * and asynchronously, many at once, finished in any order:
 *
 *	tag[i] = capos_next_tag();
 *	err = capos_call_submit(&d[i], tag[i]);
 *	...
 *	capos_wait_any(tag, n, CAPOS_TIMEOUT_INFINITE, &i, &cqe);
 *	err = capos_call_complete(&d[i], &cqe, &r);
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
/* realloc(NULL, n) is malloc(n); on failure NULL, and p stays allocated. */
void *realloc(void *p, size_t size);
/* align: a power of two up to 1 MiB (else NULL). */
void *aligned_alloc(size_t align, size_t size);
void free(void *p);
/* Payload bytes and allocations live now, for leak checks. */
void capos_heap_usage(size_t *bytes, size_t *allocations);

/* --- CapSet ----------------------------------------------------------- */

/*
 * Finds the cap granted under name.  Returns 0 and *cap, CAPOS_E_BAD_CAP
 * when nothing has that name, or CAPOS_E_NOT_SUPPORTED when the cap there
 * implements neither interface_id nor an interface that extends it (the
 * schema's `extends`, across every schema file the program is built
 * with: lib/rpc/index.h).  The generated I_find(name, &cap) calls this.
 */
int capos_capset_find(const char *name, uint64_t interface_id,
                      capos_capid_t *cap);
/* The first cap, under any name, that implements interface_id (or an
 * interface that extends it): for kernel objects of which any one will
 * do, such as the process's ParkSpace.  0 or CAPOS_E_BAD_CAP. */
int capos_capset_find_interface(uint64_t interface_id, capos_capid_t *cap);
/* Number of entries, and entry i, for listing what was granted. */
uint32_t capos_capset_count(void);
const struct capos_capset_entry *capos_capset_entry(uint32_t i);

/* --- the ring --------------------------------------------------------- */

/* Everything below works on the calling thread's own ring page: each
 * thread has its ring, tags, stashed completions and queued releases. */
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
int capos_wait(uint64_t user_data, uint64_t timeout_ns, struct capos_cqe *cqe);

/* A fresh user_data value (never 0). */
uint64_t capos_next_tag(void);

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
/* How many queued releases (capos_release) the kernel has refused so far,
 * in every thread, counting the completions already in this thread's
 * ring: a program checks its releases without waiting for each. */
uint32_t capos_release_failures(void);

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

/* --- calls (call.c) ---------------------------------------------------- */

/*
 * One CALL: method of interface_id on cap, with params (a framed message;
 * NULL/0 for none, which the callee reads as an empty struct) and the
 * caps xfer[0, nxfer) (at most CAPOS_XFER_MAX, each CAPOS_XFER_COPY or
 * CAPOS_XFER_MOVE; a cap at most once).  The answer goes to
 * result[0, result_cap), which must be 8-byte aligned when result caps
 * may come back: the payload, then the result-cap records at the next
 * 8-byte boundary (capos_cap_records).  An exception needs room too:
 * 256 bytes hold any the kernel raises.  Every buffer must stay alive
 * until the call's completion.
 */
struct capos_call_desc {
	capos_capid_t cap;
	uint16_t method;
	uint64_t interface_id;
	const void *params;
	uint32_t params_len;
	const struct capos_xfer *xfer;
	uint32_t nxfer;
	void *result;
	uint32_t result_cap;
};

/* What came back, on success: len payload bytes at the start of the
 * result buffer, and ncaps records of caps now in our table. */
struct capos_reply {
	uint32_t len;
	uint32_t ncaps;
	const struct capos_cap_record *caps;
};

/*
 * Makes the call and waits for its answer.  Returns 0 with *r filled, a
 * transport error, CAPOS_E_APP_EXCEPTION (decoded: capos_last_exception;
 * the kernel's CAPOS_E_DISCONNECTED arrives as type disconnected),
 * CAPOS_E_TRUNCATED (the answer needs more than result_cap), or
 * CAPOS_E_BAD_FIELD when the answer itself is inconsistent (a malformed
 * exception, or a length or records beyond the buffer offered).
 */
int capos_call(const struct capos_call_desc *d, struct capos_reply *r);
/* capos_call for a method without params whose answer the caller does
 * not read (Null.ping, ProcessHandle.kill): 0 or the error. */
int capos_call_empty(capos_capid_t cap, uint64_t interface_id, uint16_t method);

/*
 * The same in halves.  capos_call_submit queues the call under user_data
 * (take it from capos_next_tag(); 0 and values with bit 63 set are the
 * runtime's: CAPOS_E_BAD_ARG).  Once capos_wait or capos_wait_any has
 * taken its CQE, capos_call_complete(d, cqe, r) reads the answer with
 * the same d and returns what capos_call would have.  Calls complete in
 * any order; d and its buffers stay alive until then.
 */
int capos_call_submit(const struct capos_call_desc *d, uint64_t user_data);
int capos_call_complete(const struct capos_call_desc *d,
                        const struct capos_cqe *cqe, struct capos_reply *r);

/*
 * Finds the n cap records after a payload of len bytes in buf[0, size):
 * the kernel puts them at the next 8-byte boundary, after a CALL's result
 * and after a RECV's message alike.  Returns 0 with *recs, or
 * CAPOS_E_BAD_FIELD when the payload or the records pass size (or
 * records would be misaligned).  Every path of libcapos that reads
 * records finds them here.
 */
static inline int
capos_cap_records(const void *buf, uint32_t size, uint32_t len, uint64_t n,
                  const struct capos_cap_record **recs)
{
	uint64_t off = ((uint64_t)len + 7u) & ~(uint64_t)7u;

	if (len > size)
		return CAPOS_E_BAD_FIELD;
	if (n && (((uintptr_t)buf & 7u) || off > size ||
	          n > (size - off) / sizeof(struct capos_cap_record)))
		return CAPOS_E_BAD_FIELD;
	*recs = (const void *)((uintptr_t)buf + off);
	return 0;
}

/* --- the server side of endpoints (ipc.c) ------------------------------ */

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

/* One answer to a received call: the result message (NULL/0: empty
 * results) and result caps, or with exception set a framed CapException
 * (capos_exception_frame). */
struct capos_answer {
	uint64_t call_id;
	const void *result;
	uint32_t len;
	const struct capos_xfer *xfer;
	uint32_t nxfer;
	bool exception;
};

/* RETURNs answer a, as capos_return does. */
int capos_return_answer(capos_capid_t owner, const struct capos_answer *a);

/* Frames a CapException (type: capos_ExceptionType) in mb for an
 * answer; returns 0 or CAPOS_E_TOO_LONG. */
int capos_exception_frame(struct capos_msgbuf *mb, int type,
                          const char *message);

/*
 * A server's step: RETURNs answer a, and receives the next call into buf
 * as capos_recv does, both in one cap_enter when the next caller is not
 * there yet, so that its CALL finds the RECV waiting.  *returned is what
 * capos_return would have returned (a failure only concerns that
 * caller); the function returns what capos_recv would.  The answer's
 * buffers may lie in buf: the RETURN is done before the RECV writes.
 */
int capos_return_recv(capos_capid_t owner, const struct capos_answer *a,
                      int *returned, void *buf, uint32_t len,
                      struct capos_recv_header **hdr);

/*
 * Endpoint.client: a new client facet of the endpoint whose owner side is
 * owner, carrying interface_id and badge, in *client.  Every call through
 * it (or a copy of it) arrives with hdr->badge == badge (in a handler:
 * capos_server_call_of(call)->hdr->badge).  Returns 0, or an error:
 * CAPOS_E_APP_EXCEPTION (invalidArgument) for interface_id 0, a quota
 * error when our table has no room.
 */
int capos_endpoint_client(capos_capid_t owner, uint64_t interface_id,
                          uint64_t badge, capos_capid_t *client);

/* --- processes (process.c) ---------------------------------------------- */

/* Reads the whole boot manifest into a malloc'd buffer, in chunks of at
 * most CAPOS_BOOTPKG_CHUNK bytes (BootPackage.readManifest's limit). */
#define CAPOS_BOOTPKG_CHUNK        4096u
#define CAPOS_BOOTPKG_MANIFEST_MAX (128u * 1024u)
int capos_bootpkg_read_manifest(capos_capid_t bootpkg, void **buf, size_t *len);
/* BootPackage.binarySize: 0 with *found and, when found, *size; a name
 * that is not there is *found = false, not an error. */
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
	uint32_t cap_slots, outstanding_calls, endpoint_queue, frames, threads,
	    virtual_pages;
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

/*
 * ProcessHandle.wait, at once or in halves.  capos_handle_wait_submit
 * fills *d with the call, its answer to go to buf (8-byte aligned; 64
 * bytes will do, 256 leave room for an exception), and submits it under
 * user_data; once its CQE is taken, capos_handle_wait_complete reads the
 * exit code.
 */
int capos_handle_wait(capos_capid_t handle, int32_t *exit_code);
int capos_handle_wait_submit(struct capos_call_desc *d, capos_capid_t handle,
                             void *buf, uint32_t len, uint64_t user_data);
int capos_handle_wait_complete(const struct capos_call_desc *d,
                               const struct capos_cqe *cqe, int32_t *exit_code);
int capos_handle_kill(capos_capid_t handle);
/* ProcessSpawner.narrow: a launcher in *out that starts only
 * binaries[0, n) (at most CAPOS_LAUNCHER_BINARIES_MAX), each of which the
 * spawner itself may start. */
int capos_spawner_narrow(capos_capid_t spawner, const char *const *binaries,
                         uint32_t n, capos_capid_t *out);

/*
 * Service readiness (docs/services.md): init gives a service whose
 * manifest entry says awaitReady an endpoint named
 * CAPOS_SERVICE_READY_NAME and calls ServiceReady.ready on it; the
 * service calls this once it serves, which answers that call.  init
 * starts the services listed after it only then.  Returns 0 (also when
 * nobody waits: no such endpoint), or the error of the RECV or RETURN.
 * Call it once.
 */
#define CAPOS_SERVICE_READY_NAME "ready" /* lib/manifest: MANIFEST_READY_NAME */
int capos_service_ready(void);

/*
 * Timer.sleep submitted under user_data, for waiting beside other calls;
 * finish it with capos_call_complete(d, cqe, r).  buf (8-byte aligned,
 * len >= CAPOS_SLEEP_BUF_MIN) holds the params in its first
 * CAPOS_SLEEP_PARAMS bytes and the answer after them.
 */
#define CAPOS_SLEEP_PARAMS  32u
#define CAPOS_SLEEP_BUF_MIN 64u
int capos_timer_sleep_submit(struct capos_call_desc *d, capos_capid_t timer,
                             uint64_t ns, void *buf, uint32_t len,
                             uint64_t user_data);

/* --- threads (thread.c) ------------------------------------------------ */

/*
 * A thread of this process, started by the runtime: it gets its own stack
 * and TLS block (from the heap: __thread variables start as the program
 * says, each thread with its own copy) and drives its own ring page, so
 * every libcapos function works in it.  Creating threads needs a
 * ThreadSpawner and a ParkSpace in the CapSet (any names).
 */
struct capos_thread;

/* 0: CAPOS_THREAD_STACK_DEFAULT. */
struct capos_thread_attr {
	size_t stack_size;
};
#define CAPOS_THREAD_STACK_DEFAULT (16u << 10)
#define CAPOS_THREAD_STACK_MIN     (4u << 10)

/*
 * Starts fn(arg) in a new thread; attr may be NULL.  Returns 0 with *t, or
 * CAPOS_E_NOT_SUPPORTED (no ThreadSpawner or no ParkSpace granted),
 * CAPOS_E_QUOTA (the thread limit, or no heap for the stack), or the
 * spawn's error.  The thread ends when fn returns or calls
 * capos_thread_exit; its result goes to capos_thread_join.
 */
int capos_thread_create(struct capos_thread **t, void *(*fn)(void *), void *arg,
                        const struct capos_thread_attr *attr);
/* Waits for t's end, stores its result (result may be NULL) and frees it. */
int capos_thread_join(struct capos_thread *t, void **result);
/* Nobody will join t: its stack and TLS are freed once it has ended (by
 * the next create, join or detach of any thread). */
int capos_thread_detach(struct capos_thread *t);
/* The calling thread (the main thread has one too). */
struct capos_thread *capos_thread_self(void);
/* Ends the calling thread with result; in the main thread, the process
 * with exit code 0 (a process ends when its main thread does). */
void capos_thread_exit(void *result) __attribute__((noreturn));

/*
 * The kernel calls under capos_thread_create, for a thread with an entry
 * of its own (the thread entry ABI, docs/abi.md: RDI its ring page, RSI
 * arg, RSP stack_top, FS base tls, 0 for none).  The new thread must then
 * drive its ring page by hand: the runtime's state is thread-local and
 * not set up for it.  capos_thread_spawn returns 0 with the ThreadHandle
 * in *handle (releasing it detaches the thread); capos_thread_handle_join
 * waits for the thread's end and reads the value it passed to
 * ThreadControl.exit.
 */
int capos_thread_spawn(capos_capid_t spawner, uint64_t entry, uint64_t arg,
                       uint64_t stack_top, uint64_t tls, capos_capid_t *handle);
int capos_thread_handle_join(capos_capid_t handle, uint64_t *exit_value);

/* --- PARK/UNPARK and locks (park.c, sync.c) ---------------------------- */

/*
 * PARK through the process's ParkSpace: waits while *word == expected,
 * at most timeout_ns (CAPOS_PARK_NO_TIMEOUT: no limit).  Returns
 * CAPOS_PARK_WOKEN, CAPOS_PARK_VALUE_CHANGED, CAPOS_E_TIMED_OUT, or
 * another error (CAPOS_E_NOT_SUPPORTED: no ParkSpace granted).
 */
int capos_park(uint32_t *word, uint32_t expected, uint64_t timeout_ns);
/* UNPARK: wakes up to count threads parked on word; returns how many, or
 * an error. */
int capos_unpark(uint32_t *word, uint32_t count);

/* A mutex: not recursive; a thread waits parked only under contention. */
struct capos_mutex {
	uint32_t state; /* 0 free, 1 held, 2 held with waiters */
};
#define CAPOS_MUTEX_INIT                                                       \
	{                                                                      \
		0                                                              \
	}
void capos_mutex_lock(struct capos_mutex *m);
/* true when it took the mutex, false when another thread holds it. */
bool capos_mutex_trylock(struct capos_mutex *m);
void capos_mutex_unlock(struct capos_mutex *m);

/* A condition variable; waits may wake spuriously, as everywhere. */
struct capos_cond {
	uint32_t seq;     /* bumped by every signal and broadcast */
	uint32_t waiters; /* threads in a wait */
};
#define CAPOS_COND_INIT                                                        \
	{                                                                      \
		0, 0                                                           \
	}
void capos_cond_wait(struct capos_cond *c, struct capos_mutex *m);
/* The same, giving up after timeout_ns: 0, or CAPOS_E_TIMED_OUT. */
int capos_cond_timedwait(struct capos_cond *c, struct capos_mutex *m,
                         uint64_t timeout_ns);
void capos_cond_signal(struct capos_cond *c);
void capos_cond_broadcast(struct capos_cond *c);

/* Runs fn exactly once however many threads call it; every caller
 * returns only after it has run. */
struct capos_once {
	uint32_t state; /* 0 new, 1 running, 2 running with waiters, 3 done */
};
#define CAPOS_ONCE_INIT                                                        \
	{                                                                      \
		0                                                              \
	}
void capos_once(struct capos_once *o, void (*fn)(void));

/* --- kernel interfaces ------------------------------------------------- */

int capos_console_write(capos_capid_t console, const void *buf, size_t len);
int capos_console_write_line(capos_capid_t console, const char *text);
int capos_timer_now(capos_capid_t timer, uint64_t *ns);
int capos_timer_sleep(capos_capid_t timer, uint64_t ns);
int capos_null_ping(capos_capid_t null);
/* SystemInfo.memory: the machine's frames, and how many are free now. */
int capos_sysinfo_memory(capos_capid_t sysinfo, uint64_t *total,
                         uint64_t *free);

/* --- revocable caps (revocable.c) ------------------------------------- */

/*
 * CapabilityManager.revocable: *forwarder, a cap of cap's interface that
 * reaches cap, copyable as cap is, and *revoker, not transferable, whose
 * capos_revoke makes every copy of the forwarder fail disconnected from
 * then on (again: nothing).  Releasing the revoker revokes too.  A
 * non-transferable cap is CAPOS_E_APP_EXCEPTION (invalidArgument).
 */
int capos_revocable(capos_capid_t capmgr, capos_capid_t cap,
                    capos_capid_t *forwarder, capos_capid_t *revoker);
int capos_revoke(capos_capid_t revoker);

/* --- memory: FrameAllocator, MemoryObject, VirtualMemory -------------- */

/*
 * Thin clients (docs/memory.md).  Addresses are page aligned, counts are
 * pages; VirtualMemory acts on the caller's own address space, in the
 * heap window.  A bad argument is CAPOS_E_APP_EXCEPTION (invalidArgument,
 * see capos_last_exception), a limit reached CAPOS_E_QUOTA; nothing
 * changed when a call fails.
 */
#define CAPOS_PROT_NONE         0 /* Protection in the schema */
#define CAPOS_PROT_READ         1
#define CAPOS_PROT_READ_WRITE   2
#define CAPOS_PROT_READ_EXECUTE 3

/* FrameAllocator.allocate: a new MemoryObject of pages zeroed frames. */
int capos_frames_allocate(capos_capid_t frames, uint32_t pages,
                          capos_capid_t *object);
int capos_memory_object_info(capos_capid_t object, uint32_t *pages,
                             uint64_t *size);
/* VirtualMemory.reserve at addr (0: the kernel picks); *out: where. */
int capos_vm_reserve(capos_capid_t vm, uint64_t pages, uint64_t addr,
                     uint64_t *out);
int capos_vm_commit(capos_capid_t vm, uint64_t addr, uint64_t pages);
int capos_vm_decommit(capos_capid_t vm, uint64_t addr, uint64_t pages);
/* VirtualMemory.map of the whole object (its cap copied along) at addr
 * (0: the kernel picks) with CAPOS_PROT_*; *out: where. */
int capos_vm_map(capos_capid_t vm, capos_capid_t object, uint64_t addr,
                 int prot, uint64_t *out);
int capos_vm_unmap(capos_capid_t vm, uint64_t addr, uint64_t pages);
int capos_vm_protect(capos_capid_t vm, uint64_t addr, uint64_t pages, int prot);
/* VirtualMemory.access: whether the caller may read, and write, every
 * byte of [addr, addr + len) now (*readable, *writable: 0 or 1). */
int capos_vm_access(capos_capid_t vm, uint64_t addr, uint64_t len,
                    int *readable, int *writable);

/* --- system services (system_services.c) -------------------------------- */

/*
 * SystemInfo's texts: the answer copied into buf (NUL-terminated,
 * len >= 1); an answer that does not fit is CAPOS_E_TRUNCATED with buf
 * holding its first len - 1 bytes.
 */
int capos_sysinfo_hostname(capos_capid_t si, char *buf, size_t len);
int capos_sysinfo_motd(capos_capid_t si, char *buf, size_t len);
int capos_sysinfo_version(capos_capid_t si, char *buf, size_t len);
/* SystemInfo.bootTime; *provenance is an enum capos_ClockProvenance. */
int capos_sysinfo_boot_time(capos_capid_t si, int64_t *unix_ns,
                            int *provenance);

/* WallClock.now: ns since the Unix epoch (UTC) and where it comes from
 * (enum capos_ClockProvenance). */
int capos_wallclock_now(capos_capid_t wallclock, int64_t *unix_ns,
                        int *provenance);
/* ClockDiscipline.set. */
int capos_clock_set(capos_capid_t clockset, int64_t unix_ns);

/* EntropySource.getBytes, as many calls of at most
 * CAPOS_ENTROPY_CALL_MAX bytes as len needs. */
#define CAPOS_ENTROPY_CALL_MAX 256u
int capos_entropy_get(capos_capid_t entropy, void *buf, size_t len);
/* EntropySource.info; *seeded_from is an enum capos_EntropySeed. */
int capos_entropy_info(capos_capid_t entropy, int *seeded_from,
                       uint64_t *reseeds);

/*
 * The kernel log and the audit trail (log.c; docs/system-services.md).
 * A record of either: kind is its level (enum capos_LogLevel) or its
 * event (enum capos_AuditEvent); text is the log text or audit detail.
 */
#define CAPOS_LOG_TEXT_MAX 119u /* bytes of one record's text */
#define CAPOS_LOG_READ_MAX 16u  /* records one read answers at most */
struct capos_log_record {
	uint64_t seq, mono_ns, pid;
	int64_t wall_ns;
	int kind;
	char source[32];
	char text[CAPOS_LOG_TEXT_MAX + 1];
};
struct capos_log_stats {
	uint64_t next, oldest, dropped, filtered;
	int level;
};
/* LogSink.write; *stored (may be NULL) is false when it was filtered. */
int capos_log_write(capos_capid_t sink, int level, const char *text,
                    bool *stored);
/* Formats one record (cut to CAPOS_LOG_TEXT_MAX bytes, a final newline
 * dropped) and writes it to the CapSet's "log" sink. */
int capos_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* LogReader.read into out[0, max): *n records, the cursor to go on
 * from, and how many records before the first were lost. */
int capos_log_read(capos_capid_t reader, uint64_t cursor, uint32_t max,
                   struct capos_log_record *out, uint32_t *n, uint64_t *next,
                   uint64_t *lost);
int capos_log_stats(capos_capid_t reader, struct capos_log_stats *s);
/* LogReader.follow: returns once the log holds a record at or after
 * cursor. */
int capos_log_follow(capos_capid_t reader, uint64_t cursor);
/* The same, submitted under tag and finished with
 * capos_call_complete(&f->d, ...); f stays alive until then. */
struct capos_log_follow {
	struct capos_msgbuf mb;
	struct capos_call_desc d;
	uint8_t result[256] __attribute__((aligned(8))); /* an exception's */
};
int capos_log_follow_submit(struct capos_log_follow *f, capos_capid_t reader,
                            uint64_t cursor, uint64_t tag);
/* AuditLog.read, as capos_log_read. */
int capos_audit_read(capos_capid_t audit, uint64_t cursor, uint32_t max,
                     struct capos_log_record *out, uint32_t *n, uint64_t *next,
                     uint64_t *lost);
/* AuditWriter.record. */
int capos_audit_record(capos_capid_t writer, int event, const char *detail);

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
/* Passes when got is CAPOS_E_APP_EXCEPTION and the exception is of the
 * given type (capos_ExceptionType_*); the failure line shows both. */
void ktest_check_exception(int32_t got, int type, const char *name);

/* What ktest_roundtrip reports when no CQE came in KTEST_WAIT_NS: a value
 * no real result takes. */
#define KTEST_NO_ANSWER 12345
#define KTEST_WAIT_NS   (5000ull * 1000000ull)
/* Submits one SQE (with a fresh user_data) and returns its CQE. */
struct capos_cqe ktest_roundtrip(struct capos_sqe sqe);
/* The same, only the CQE's result. */
int32_t ktest_result_of(struct capos_sqe sqe);

/* Error names, for messages. */
const char *capos_strerror(int err);

#endif
