/*
 * ThreadControl: the calling thread's own controls.  One static object
 * serves every process (process_create installs it as "thread"): a call
 * acts on the thread whose ring it came from, so holding it gives no
 * power over any other thread.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "proc/process.h"
#include "proc/sched.h"

#include <capos/layout.h>
#include "core/kerr.h"

#include "capos.capnp.h"

static int
set_fs_base(void *self, struct rpc_call *call,
            capos_ThreadControl_setFsBase_Params_reader p,
            capos_ThreadControl_setFsBase_Results_builder r)
{
	uint64_t base = capos_ThreadControl_setFsBase_Params_get_base(p);

	(void)self;
	(void)r;
	if (base && !capos_user_range_ok(base, 1))
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "setFsBase: not a user address");
	/* The switch back to user mode loads it (sched.c keeps it per
	 * thread); this thread runs on right now, so load it here too. */
	sched_current()->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
	return KERR_OK;
}

/* Nothing to take back: the record only keeps the one-CQE promise until
 * the thread's ring goes (and is cancelled with it). */
static void
exit_withdraw(struct completion *c)
{
	(void)c;
}

static const struct completion_ops exit_ops = {
    .name = "ThreadControl.exit",
    .withdraw = exit_withdraw,
};

static int
thread_exit(void *self, struct rpc_call *call,
            capos_ThreadControl_exit_Params_reader p,
            capos_ThreadControl_exit_Results_builder r)
{
	struct thread *t = sched_current();

	(void)self;
	(void)r;
	t->exit_value = capos_ThreadControl_exit_Params_get_value(p);
	t->leave = true; /* at its next return to user mode */
	kcall_defer(kcall_of(call), &exit_ops, NULL);
	return KCALL_PENDING;
}

static const struct capos_ThreadControl_server control_server = {
    .setFsBase = set_fs_base,
    .exit = thread_exit,
};

static const struct kobject_ops control_ops = {
    .name = "ThreadControl",
    .interface_id = capos_ThreadControl_TYPE_ID,
    .xfer_mode = CAP_XFER_NON_TRANSFERABLE,
    .call = kobject_call,
    .iface = &capos_ThreadControl_interface,
    .impl = &control_server,
};

static struct kobject control_obj = {
    .ops = &control_ops,
    .refs = 1,
    .interface_id = capos_ThreadControl_TYPE_ID,
};

struct kobject *
thread_control_object(void)
{
	return &control_obj;
}
