/*
 * ThreadHandle: a thread's hold on another thread of its own process,
 * made by ThreadSpawner.spawn — join for its exit value.  Not
 * transferable: a thread of another process has nothing to join.  One
 * joiner at a time; join answers at once when the thread has already
 * ended.  Releasing the handle detaches the thread: it runs on, and the
 * reaper frees it when it ends, as it frees any thread.
 */
#include "core/kernel.h"
#include "capnp/frame.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "mm/aspace.h"
#include "mm/kheap.h"
#include "proc/process.h"

#include "core/kerr.h"

#include "capos.capnp.h"

struct thread_handle {
	struct kobject obj;
	struct thread *thread;   /* NULL once it has ended */
	uint64_t exit_value;     /* once it has ended */
	struct completion *join; /* the pending join's record, or NULL */
};

#define THANDLE(o) ((struct thread_handle *)(o))

/* Builds the framed join result; returns its length or 0. */
static uint32_t
join_message(uint64_t value, uint8_t *buf, size_t cap)
{
	struct capnp_builder b;
	size_t written;

	kmsg_result_begin(&b);
	capos_ThreadHandle_join_Results_set_exitValue(
	    capos_ThreadHandle_join_Results_build_root(&b), value);
	if (capnp_frame_write(&b, buf, cap, &written))
		return 0;
	return (uint32_t)written;
}

/* The joiner released the handle, or its thread is gone. */
static void
join_withdraw(struct completion *c)
{
	struct thread_handle *h = c->obj;

	h->join = NULL;
}

static const struct completion_ops join_ops = {
    .name = "ThreadHandle.join",
    .withdraw = join_withdraw,
};

static int
handle_join(void *self, struct rpc_call *call,
            capos_ThreadHandle_join_Params_reader p,
            capos_ThreadHandle_join_Results_builder r)
{
	struct thread_handle *h = THANDLE(self);
	struct kcall *c = kcall_of(call);
	uint32_t need;

	(void)p;
	if (!h->thread) {
		capos_ThreadHandle_join_Results_set_exitValue(r, h->exit_value);
		return KERR_OK;
	}
	if (h->join)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "join: another join is pending");
	/* Answered later, when nothing can be refused: the buffer must hold
	 * the answer now (its size does not depend on the value). */
	need = join_message(UINT64_MAX, c->result, c->result_cap);
	if (kcall_room_for(c, 0, need) != KERR_OK)
		return KERR_TRUNCATED;
	h->join = kcall_defer(c, &join_ops, h);
	return KCALL_PENDING;
}

static const struct capos_ThreadHandle_server handle_server = {
    .join = handle_join,
};

static void
handle_destroy(struct kobject *obj)
{
	struct thread_handle *h = THANDLE(obj);

	/* Its only slot was released first, and that cancelled the join. */
	KASSERT(!h->join);
	if (h->thread)
		h->thread->handle = NULL; /* detached: it runs on */
	kfree(h);
}

static const struct kobject_ops handle_ops = {
    .name = "ThreadHandle",
    .interface_id = capos_ThreadHandle_TYPE_ID,
    .xfer_mode = CAP_XFER_NON_TRANSFERABLE,
    .call = kobject_call,
    .iface = &capos_ThreadHandle_interface,
    .impl = &handle_server,
    .destroy = handle_destroy,
};

struct kobject *
thread_handle_alloc(void)
{
	struct thread_handle *h = kzalloc(sizeof(*h));

	if (!h)
		return NULL;
	h->obj = (struct kobject){&handle_ops, 1, capos_ThreadHandle_TYPE_ID};
	return &h->obj;
}

void
thread_handle_bind(struct kobject *obj, struct thread *t)
{
	struct thread_handle *h = THANDLE(obj);

	h->thread = t;
	t->handle = h;
}

void
thread_handle_free(struct kobject *obj)
{
	KASSERT(!THANDLE(obj)->thread);
	kfree(obj);
}

void
thread_handle_ended(struct thread *t)
{
	struct thread_handle *h = t->handle;
	struct completion *w = h->join;
	uint8_t msg[64] __attribute__((aligned(8)));
	uint32_t len;

	h->thread = NULL;
	h->exit_value = t->exit_value;
	t->handle = NULL;
	if (!w)
		return;
	h->join = NULL;
	len = join_message(h->exit_value, msg, sizeof(msg));
	if (len == 0 || len > w->result_len ||
	    aspace_copy_out(&w->proc->as, w->result_addr, msg, len))
		completion_post(w, KERR_BAD_BUFFER, 0);
	else
		completion_post(w, (int32_t)len, 0);
}
