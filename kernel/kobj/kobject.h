/*
 * Kernel capability objects.  Every object implements one interface,
 * named by its Cap'n Proto interface id; a CALL on a cap is dispatched
 * through the object's operations to the method with the SQE's ordinal.
 * One source file per object kind (console.c, timer.c, null.c, ...).
 */
#ifndef CAP_KOBJECT_H
#define CAP_KOBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/kernel_caps.h>

#include "core/kerr.h"
#include "rpc/dispatch.h"

struct process;
struct kobject;

/*
 * What an object operation answers.  At the ring level (kobject_ops call,
 * recv, ret): a CQE result now (>= 0 bytes, or a negative enum kerr,
 * with c->cqe->aux0 set where the ABI says), or KCALL_PENDING: the
 * operation opened its completion record (kcall_defer) and posts it
 * later.  That is the only way the kernel says "completes later".
 *
 * A method of a kernel-served interface answers:
 *   KERR_OK         the answer is built (in its results, or framed in
 *                   c->result);
 *   RPC_EXCEPTION   through kcall_exception: rpc.exc_* describe it (the
 *                   capability-exception layer, lib/rpc);
 *   KERR_TRUNCATED  the answer would not fit the caller's buffer:
 *                   c->result_len holds the bytes it needs, and nothing
 *                   happened;
 *   KCALL_PENDING   as above;
 *   any other negative enum kerr, which fails the call.
 */
#define KCALL_PENDING INT32_MIN
_Static_assert((int)KERR_OK == (int)RPC_OK,
               "a method's success is the kernel's");
_Static_assert(KCALL_PENDING < KERR_KERNEL_LAST,
               "\"completes later\" is no error kind");

struct xfer_set;
struct capos_sqe;
struct completion;
struct completion_ops;

/* Result caps one call may return (a spawn's handle and endpoints). */
#define KCALL_MAX_OUT 9
/* An exception text a method formats (kcall_exceptionf), with its NUL. */
#define KCALL_EXC_TEXT 96

/* One operation on an object, as the object sees it.  Every operation
 * gets the caller, the kernel's copy of its SQE and the CQE to fill; the
 * rest is set by kobject_call for a method of a kernel-served interface:
 * params and result in kernel buffers. */
struct kcall {
	struct process *caller;
	const struct capos_sqe *sqe; /* the kernel's copy of the SQE */
	struct capos_cqe *cqe;       /* result and aux0 are the ring's */
	/* The decoded call the generated dispatch sees: interface, method,
	 * params opened, the result builder, an exception's type and text.
	 * A method reaches the kcall around it with kcall_of. */
	struct rpc_call rpc;
	uint8_t *result;     /* framed answer, when the method frames it */
	uint32_t result_cap; /* itself (to measure it before acting) */
	uint32_t result_len;
	/* Caps sent with the call (Capability pointers in params index
	 * them); the object takes its own references to what it keeps. */
	struct xfer_set *in;
	/* Result caps: objects with one reference each, installed in the
	 * caller's table in this order (Capability pointers in the result
	 * index them).  An object returning caps checks first that the
	 * caller has room (kcall_room_for). */
	struct kobject *out[KCALL_MAX_OUT];
	uint32_t nout;
	uint32_t user_result_len; /* the caller's result buffer size */
	/* A formatted exception text lives here, in the call on the
	 * calling thread's stack, until the answer is written. */
	char exc_text[KCALL_EXC_TEXT];
};

#define kcall_of(call)                                                         \
	((struct kcall *)((char *)(call)-offsetof(struct kcall, rpc)))

/*
 * For a method that answers later: opens the call's completion record
 * (ipc/completion.h), which the object keeps and later posts; the method
 * then returns KCALL_PENDING.  obj is the object's own state for the
 * call, handed back to ops->withdraw on cancellation.
 */
struct completion *kcall_defer(struct kcall *c,
                               const struct completion_ops *ops, void *obj);

/*
 * Whether the caller can take an answer of result_len bytes with n result
 * caps, checked before a method does anything: KERR_OK; KERR_QUOTA
 * when its table (or its cap-slot limit) has no room for the caps; or
 * KERR_TRUNCATED with the bytes needed in c->result_len when its result
 * buffer cannot hold the answer and the caps' records.
 */
int kcall_room_for(struct kcall *c, uint32_t n, uint32_t result_len);

/*
 * An object kind.  The ring hands every operation on a cap to its
 * object's operations, without knowing what the object is: an operation
 * the kind does not serve (NULL) is KERR_NOT_SUPPORTED.  A kind that
 * serves an interface in the kernel sets call = kobject_call, which
 * decodes the call and runs `method`; an endpoint's client facet forwards
 * the call to its server instead, and its owner side serves RECV and
 * RETURN.
 */
struct kobject_ops {
	const char *name;
	uint64_t interface_id; /* the kind's interface (0: per object) */
	uint8_t xfer_mode;     /* enum cap_xfer_mode; 0 means copyable */
	/* Its methods only look at the caps sent to them and hand no one
	 * else the authority (CapabilityManager): a copy of a
	 * non-transferable cap reaches them, to be refused with a typed
	 * answer rather than a transport error (ipc/transfer.h). */
	bool inspects_caps;
	int32_t (*call)(struct kobject *obj, struct kcall *c);
	int32_t (*recv)(struct kobject *obj, struct kcall *c);
	int32_t (*ret)(struct kobject *obj, struct kcall *c);
	/* For kobject_call: the interface and its methods (generated
	 * dispatch; a method's self is the object). */
	const struct rpc_interface *iface;
	const void *impl;
	/* Last reference gone; NULL for static objects. */
	void (*destroy)(struct kobject *obj);
};

/*
 * CALL on a kernel-served interface: copies the params in, checks the
 * result buffer, takes the transfers, dispatches to the method through
 * the interface's generated table (which refuses other interfaces,
 * unknown methods and malformed params) and writes the answer (payload,
 * result caps, or exception) to the caller.  A method answers through
 * its results builder, or frames the answer into c->result itself and
 * sets c->result_len when it must know its size before acting.
 */
int32_t kobject_call(struct kobject *obj, struct kcall *c);

struct kobject {
	const struct kobject_ops *ops;
	uint32_t refs;         /* one per table slot or kernel holder */
	uint64_t interface_id; /* what a cap to this object implements */
};

void kobject_get(struct kobject *obj);
void kobject_put(struct kobject *obj);

/* Fills c for an exception answer and returns RPC_EXCEPTION.  msg is
 * static text; kcall_exceptionf formats one into c->exc_text (cut to
 * KCALL_EXC_TEXT - 1 bytes). */
int kcall_exception(struct kcall *c, enum rpc_exc type, const char *msg);
int kcall_exceptionf(struct kcall *c, enum rpc_exc type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The call buffers of CPUs other than the boot CPU, held from the heap
 * for the kernel's life (the leak check leaves them out). */
unsigned kcall_buffers_held(void);

/* The kernel's shared objects, one per registry line
 * (<capos/kernel_caps.h>): name##_object(), granted by name. */
#define KOBJECT_GETTER(name, iface, grant) struct kobject *name##_object(void);
CAPOS_KERNEL_CAPS(KOBJECT_GETTER)
#undef KOBJECT_GETTER

/* The registry's entries, in its order. */
struct kcap_entry {
	const char *name;
	uint64_t interface_id;
	int grant; /* CAPOS_KCAP_* */
	struct kobject *(*object)(void);
};
#define KCAP_COUNT_ONE(name, iface, grant) +1
enum { KCAP_COUNT = 0 CAPOS_KERNEL_CAPS(KCAP_COUNT_ONE) };
#undef KCAP_COUNT_ONE
extern const struct kcap_entry kcap_registry[KCAP_COUNT];
extern const unsigned kcap_registry_count;
/* The entry called name, or NULL. */
const struct kcap_entry *kcap_find(const char *name);

#endif
