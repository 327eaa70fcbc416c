/*
 * ProcessHandle: the parent's hold on a spawned process — wait for its
 * exit code, or kill it.  Not transferable.  One waiter at a time; wait
 * answers at once when the process has already exited.  The handle keeps
 * the process structure (and its exit code) until both the handle is
 * released and the process is dead.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "capnp/frame.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "proc/spawntrace.h"

#include "core/kerr.h"

#include "capos.capnp.h"

#define KILLED_EXIT_CODE (-9)

struct process_handle {
	struct kobject obj;
	struct process *proc;
	struct completion *wait; /* the pending wait's record, or NULL */
};

#define HANDLE(o) ((struct process_handle *)(o))

/* Builds the framed wait result; returns its length or 0. */
static uint32_t
exit_message(int code, uint8_t *buf, size_t cap)
{
	struct capnp_builder b;
	size_t written;

	kmsg_result_begin(&b);
	capos_ProcessHandle_wait_Results_set_exitCode(
	    capos_ProcessHandle_wait_Results_build_root(&b), code);
	if (capnp_frame_write(&b, buf, cap, &written))
		return 0;
	return (uint32_t)written;
}

/* The holder released the handle, or is going away: it waits no more. */
static void
wait_withdraw(struct completion *c)
{
	struct process_handle *h = c->obj;

	h->wait = NULL;
}

static const struct completion_ops wait_ops = {
    .name = "ProcessHandle.wait",
    .withdraw = wait_withdraw,
};

static int
handle_wait(void *self, struct rpc_call *call,
            capos_ProcessHandle_wait_Params_reader p,
            capos_ProcessHandle_wait_Results_builder r)
{
	struct process_handle *h = HANDLE(self);
	struct kcall *c = kcall_of(call);
	uint32_t need;

	(void)p;
	spawn_trace(ST_WAIT);
	if (h->proc->state == PROC_DEAD) {
		capos_ProcessHandle_wait_Results_set_exitCode(
		    r, h->proc->exit_code);
		return KERR_OK;
	}
	if (h->wait)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "wait: another wait is pending");
	/* The answer comes later, when nothing can be refused any more:
	 * the buffer must already hold it (the message has the same size
	 * whatever the code). */
	need = exit_message(0, c->result, c->result_cap);
	if (kcall_room_for(c, 0, need) != KERR_OK)
		return KERR_TRUNCATED;
	h->wait = kcall_defer(c, &wait_ops, h);
	spawn_trace(ST_WAITING);
	return KCALL_PENDING;
}

static int
handle_kill(void *self, struct rpc_call *call,
            capos_ProcessHandle_kill_Params_reader p,
            capos_ProcessHandle_kill_Results_builder r)
{
	(void)call;
	(void)p;
	(void)r;
	process_kill(HANDLE(self)->proc, KILLED_EXIT_CODE);
	return KERR_OK;
}

static const struct capos_ProcessHandle_server handle_server = {
    .wait = handle_wait,
    .kill = handle_kill,
};

static void
handle_destroy(struct kobject *obj)
{
	struct process_handle *h = HANDLE(obj);
	struct process *p = h->proc;

	/* Its only slot was released first, and that cancelled the wait. */
	KASSERT(!h->wait);
	p->handle = NULL;
	if (p->state == PROC_DEAD)
		process_free(p);
	else
		p->autofree = true; /* freed when it dies */
	kfree(h);
	spawn_trace(ST_RELEASED);
}

static const struct kobject_ops handle_ops = {
    .name = "ProcessHandle",
    .interface_id = capos_ProcessHandle_TYPE_ID,
    .xfer_mode = CAP_XFER_NON_TRANSFERABLE,
    .call = kobject_call,
    .iface = &capos_ProcessHandle_interface,
    .impl = &handle_server,
    .destroy = handle_destroy,
};

struct kobject *
process_handle_create(struct process *p)
{
	struct process_handle *h = kzalloc(sizeof(*h));

	if (!h)
		return NULL;
	h->obj = (struct kobject){&handle_ops, 1, capos_ProcessHandle_TYPE_ID};
	h->proc = p;
	p->handle = h;
	return &h->obj;
}

void
process_handle_exited(struct process *p)
{
	struct process_handle *h = p->handle;
	uint8_t msg[64] __attribute__((aligned(8)));
	uint32_t len;

	if (h && h->wait) {
		struct completion *w = h->wait;

		h->wait = NULL;
		len = exit_message(p->exit_code, msg, sizeof(msg));
		if (len > w->result_len ||
		    aspace_copy_out(&w->proc->as, w->result_addr, msg, len))
			completion_post(w, KERR_BAD_BUFFER, 0);
		else
			completion_post(w, (int32_t)len, 0);
	}
	spawn_trace(ST_POSTED);
	if (!h && p->autofree)
		process_free(p);
}
