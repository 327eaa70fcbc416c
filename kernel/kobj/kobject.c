/*
 * Kernel objects: references, and the decoding of a CALL on an interface
 * the kernel serves (kobject_call).
 */
#include <stdarg.h>

#include "core/kernel.h"
#include "arch/x86_64/percpu.h"
#include "fmt/fmt.h"
#include "mm/kheap.h"
#include "ipc/completion.h"
#include "ipc/sqe.h"
#include "ipc/transfer.h"
#include "kobj/exception.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

const struct kcap_entry kcap_registry[KCAP_COUNT] = {
#define KCAP_ENTRY(name, iface, grant)                                         \
	{#name, capos_##iface##_TYPE_ID, grant, name##_object},
    CAPOS_KERNEL_CAPS(KCAP_ENTRY)
#undef KCAP_ENTRY
};
const unsigned kcap_registry_count = ARRAY_SIZE(kcap_registry);

const struct kcap_entry *
kcap_find(const char *name)
{
	unsigned i;

	for (i = 0; i < kcap_registry_count; i++)
		if (strcmp(kcap_registry[i].name, name) == 0)
			return &kcap_registry[i];
	return NULL;
}

void
kobject_get(struct kobject *obj)
{
	obj->refs++;
}

void
kobject_put(struct kobject *obj)
{
	KASSERT(obj->refs > 0);
	if (--obj->refs == 0 && obj->ops->destroy)
		obj->ops->destroy(obj);
}

int
kcall_exception(struct kcall *c, enum rpc_exc type, const char *msg)
{
	return rpc_exception(&c->rpc, type, msg);
}

int
kcall_exceptionf(struct kcall *c, enum rpc_exc type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(c->exc_text, sizeof(c->exc_text), fmt, ap);
	va_end(ap);
	return rpc_exception(&c->rpc, type, c->exc_text);
}

struct completion *
kcall_defer(struct kcall *c, const struct completion_ops *ops, void *obj)
{
	return completion_open(c->caller, c->sqe, ops, obj);
}

int
kcall_room_for(struct kcall *c, uint32_t n, uint32_t result_len)
{
	struct process *p = c->caller;
	uint32_t need = n ? ALIGN_UP(result_len, 8u) +
	                        n * (uint32_t)sizeof(struct capos_cap_record)
	                  : result_len;

	if (cap_free_count(&p->caps) < n ||
	    cap_count(&p->caps) + n > process_cap_limit(p))
		return KERR_QUOTA;
	if (need > c->user_result_len) {
		c->result_len = need;
		return KERR_TRUNCATED;
	}
	return KERR_OK;
}

/*
 * Call buffers, one pair per CPU (docs/smp.md): a call on a kernel object
 * runs to completion on its CPU before that CPU takes the next SQE
 * (kernel code is not preempted), so one pair serves every call made on
 * it.  64 KiB each is too much for a kernel stack.  The boot CPU's pair
 * is static; another CPU's comes from the heap at its first call and is
 * kept, a cache the leak check leaves out (kcall_buffers_held).
 */
struct call_buffers {
	uint8_t params[CAPOS_PARAMS_MAX];
	uint8_t result[CAPOS_RESULT_MAX];
};

static struct call_buffers boot_cpu_buffers;
static struct call_buffers *cpu_buffers[MAX_CPUS];
static unsigned cpu_buffers_held;

static struct call_buffers *
call_buffers(void)
{
	uint32_t id = this_cpu()->cpu_id;
	struct call_buffers *b;

	if (__builtin_expect(id == 0, 1))
		return &boot_cpu_buffers;
	KASSERT(id < MAX_CPUS);
	b = cpu_buffers[id];
	if (!b) {
		/* Only this CPU writes its slot. */
		b = kmalloc(sizeof(*b));
		if (!b)
			return NULL;
		cpu_buffers[id] = b;
		__atomic_fetch_add(&cpu_buffers_held, 1, __ATOMIC_RELAXED);
	}
	return b;
}

unsigned
kcall_buffers_held(void)
{
	return __atomic_load_n(&cpu_buffers_held, __ATOMIC_RELAXED);
}

/*
 * Writes a kernel object's answer to the caller: the payload, then at the
 * next 8-byte boundary one record per result cap, installed now.
 */
static int32_t
copy_result(struct kcall *c, int32_t ok_code)
{
	struct capos_cap_record recs[KCALL_MAX_OUT];
	struct process *p = c->caller;
	uint32_t len = c->result_len, total, i;
	uint32_t caps_off = ALIGN_UP(len, 8u);

	total = c->nout ? caps_off + c->nout * (uint32_t)sizeof(recs[0]) : len;
	if (total > c->sqe->result_len || total > c->result_cap) {
		for (i = 0; i < c->nout; i++)
			kobject_put(c->out[i]);
		c->cqe->aux0 = total;
		return KERR_TRUNCATED;
	}
	for (i = 0; i < c->nout; i++) {
		/* Room was checked by the object (kcall_room_for). */
		if (cap_install_new(p, c->out[i], CAP_ORIGIN_RESULT_CAP,
		                    &recs[i].cap))
			panic("result cap does not fit after the room check");
		recs[i].reserved = 0;
		recs[i].interface_id = c->out[i]->interface_id;
	}
	if (c->nout) {
		memset(c->result + len, 0, caps_off - len);
		memcpy(c->result + caps_off, recs, c->nout * sizeof(recs[0]));
	}
	if (total != 0 &&
	    aspace_copy_out(&p->as, sqe_result_addr(c->sqe), c->result, total))
		return KERR_BAD_BUFFER;
	c->cqe->aux0 = ok_code ? len : c->nout;
	return ok_code ? ok_code : (int32_t)len;
}

int32_t
kobject_call(struct kobject *obj, struct kcall *c)
{
	const struct capos_sqe *sqe = c->sqe;
	struct process *p = c->caller;
	struct call_buffers *buf = call_buffers();
	struct capnp_builder results;
	struct xfer_set xs;
	int err, status;

	if (!buf)
		return KERR_NOMEM;
	if (sqe->params_len &&
	    aspace_copy_in(&p->as, buf->params, sqe_params_addr(sqe),
	                   sqe->params_len))
		return KERR_BAD_BUFFER;
	/* The result buffer must be writable before anything happens. */
	if (sqe->result_len &&
	    aspace_check(&p->as, sqe_result_addr(sqe), sqe->result_len, true))
		return KERR_BAD_BUFFER;
	err = obj->ops->inspects_caps
	          ? xfer_take_held(p, sqe_xfer_addr(sqe), sqe->xfer_count, &xs)
	          : xfer_take(p, sqe_xfer_addr(sqe), sqe->xfer_count, &xs);
	if (err)
		return err;

	/* Only the fields a method reads are set; the rest is written by
	 * the method before use (exc_*, out). */
	c->rpc.interface_id = sqe->interface_id;
	c->rpc.method = sqe->method;
	c->rpc.results = &results;
	c->result = buf->result;
	c->result_cap = sizeof(buf->result);
	c->in = &xs;
	c->user_result_len = sqe->result_len;
	c->result_len = 0;
	c->nout = 0;
	kmsg_result_begin(&results);
	status = kmsg_params(c, buf->params, sqe->params_len);
	if (status == KERR_OK)
		status =
		    rpc_dispatch(obj->ops->iface, obj->ops->impl, obj, &c->rpc);
	/* Built, not yet framed by the method: frame it now. */
	if (status == KERR_OK && c->result_len == 0 &&
	    !rpc_results_empty(&results))
		status = kmsg_result_end(c, &results);
	xfer_finish_kernel(&xs, status == KERR_OK || status == KCALL_PENDING);
	switch (status) {
	case KERR_OK:
		return copy_result(c, 0);
	case KCALL_PENDING:
		return KCALL_PENDING; /* the method opened a completion record */
	case KERR_TRUNCATED:
		c->cqe->aux0 = c->result_len; /* the bytes the answer needs */
		return KERR_TRUNCATED;
	case RPC_EXCEPTION:
		c->nout = 0;
		c->result_len =
		    kexception_encode(c->rpc.exc_type, c->rpc.exc_message,
		                      c->result, c->result_cap);
		return copy_result(c, KERR_EXCEPTION);
	default:
		return status < 0 ? status : KERR_BAD_ARG;
	}
}
