/*
 * ShutdownControl: powering the machine off or resetting it
 * (arch/x86_64/power.c does the work; docs/acpi.md).  One static object;
 * holding it is the whole authority, so a request is logged with the
 * process that made it before anything happens.
 */
#include "core/kernel.h"
#include "core/acpi.h"
#include "arch/x86_64/power.h"
#include "kobj/kobject.h"
#include "proc/process.h"

#include "capos.capnp.h"

static void
log_request(struct rpc_call *call, const char *what)
{
	const struct process *p = kcall_of(call)->caller;

	kprintf("shutdown: %s requested by process %lu (%s)\n", what,
	        (unsigned long)p->pid, p->name);
}

static int
power_off_method(void *self, struct rpc_call *call,
                 capos_ShutdownControl_powerOff_Params_reader p,
                 capos_ShutdownControl_powerOff_Results_builder r)
{
	const char *why;

	(void)self;
	(void)p;
	(void)r;
	log_request(call, "power off");
	why = power_off();
	return rpc_exception(call, RPC_EXC_FAILED, why);
}

static int
reboot_method(void *self, struct rpc_call *call,
              capos_ShutdownControl_reboot_Params_reader p,
              capos_ShutdownControl_reboot_Results_builder r)
{
	(void)self;
	(void)p;
	(void)r;
	log_request(call, "reboot");
	power_reboot();
}

static uint16_t
reboot_kind(enum power_reset_method m)
{
	switch (m) {
	case POWER_RESET_ACPI:
		return capos_RebootMethod_resetRegister;
	case POWER_RESET_KEYBOARD:
		return capos_RebootMethod_keyboardController;
	case POWER_RESET_TRIPLE_FAULT:
		break;
	}
	return capos_RebootMethod_tripleFault;
}

static int
describe(void *self, struct rpc_call *call,
         capos_ShutdownControl_describe_Params_reader p,
         capos_ShutdownControl_describe_Results_builder r)
{
	const struct power_methods *m = power_methods();
	const struct acpi_info *t = acpi_tables();

	(void)self;
	(void)call;
	(void)p;
	capos_ShutdownControl_describe_Results_set_powerOff(
	    r, m->acpi_off ? capos_PowerOffMethod_acpiS5
	                   : capos_PowerOffMethod_unavailable);
	capos_ShutdownControl_describe_Results_set_reboot(
	    r, reboot_kind(m->reset));
	capos_ShutdownControl_describe_Results_set_pm1aControl(r, m->pm1a_cnt);
	capos_ShutdownControl_describe_Results_set_pm1bControl(r, m->pm1b_cnt);
	capos_ShutdownControl_describe_Results_set_sleepTypeA(r, m->slp_typa);
	capos_ShutdownControl_describe_Results_set_sleepTypeB(r, m->slp_typb);
	if (!t)
		return KERR_OK;
	capos_ShutdownControl_describe_Results_set_acpiRevision(r, t->revision);
	capos_ShutdownControl_describe_Results_set_cpus(r, t->madt.ncpus);
	capos_ShutdownControl_describe_Results_set_ioApics(r, t->madt.nioapics);
	capos_ShutdownControl_describe_Results_set_interruptOverrides(
	    r, t->madt.noverrides);
	return KERR_OK;
}

static const struct capos_ShutdownControl_server shutdown_server = {
    .powerOff = power_off_method,
    .reboot = reboot_method,
    .describe = describe,
};

static const struct kobject_ops shutdown_ops = {
    .name = "ShutdownControl",
    .interface_id = capos_ShutdownControl_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_ShutdownControl_interface,
    .impl = &shutdown_server,
};

static struct kobject shutdown_obj = {
    .ops = &shutdown_ops,
    .refs = 1,
    .interface_id = capos_ShutdownControl_TYPE_ID,
};

struct kobject *
shutdown_object(void)
{
	return &shutdown_obj;
}
