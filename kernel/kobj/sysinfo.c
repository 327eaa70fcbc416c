/*
 * SystemInfo: facts about the running kernel, read where they are kept
 * (the ABI version, the frame allocator, the clocks, the process list,
 * the boot manifest's kernelParams).
 * One static object; every answer is built at once and nothing is
 * changed.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "core/manifest.h"
#include "core/version.h"
#include "core/wallclock.h"
#include "kobj/kobject.h"
#include "mm/pmm.h"
#include "proc/process.h"

#include <capos/version.h>

#include "capos.capnp.h"

/* The answer when the manifest names no hostname. */
#define SYSINFO_DEFAULT_HOSTNAME "capos"

static int
abi_version(void *self, struct rpc_call *call,
            capos_SystemInfo_abiVersion_Params_reader p,
            capos_SystemInfo_abiVersion_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_abiVersion_Results_set_major(r, CAPOS_ABI_MAJOR);
	capos_SystemInfo_abiVersion_Results_set_minor(r, CAPOS_ABI_MINOR);
	return KERR_OK;
}

static int
memory(void *self, struct rpc_call *call,
       capos_SystemInfo_memory_Params_reader p,
       capos_SystemInfo_memory_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_memory_Results_set_totalFrames(r, pmm_total_frames());
	capos_SystemInfo_memory_Results_set_freeFrames(r, pmm_free_frames());
	return KERR_OK;
}

static int
uptime(void *self, struct rpc_call *call,
       capos_SystemInfo_uptime_Params_reader p,
       capos_SystemInfo_uptime_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_uptime_Results_set_ns(r, clock_ns());
	return KERR_OK;
}

/* The kernel is not preempted in a call, so the list holds still while
 * it is walked. */
static int
process_count(void *self, struct rpc_call *call,
              capos_SystemInfo_processCount_Params_reader p,
              capos_SystemInfo_processCount_Results_builder r)
{
	const struct process *q;
	uint32_t n = 0;

	(void)self;
	(void)call;
	(void)p;
	TAILQ_FOREACH(q, &all_processes, link)
		if (q->state == PROC_ALIVE)
			n++;
	capos_SystemInfo_processCount_Results_set_count(r, n);
	return KERR_OK;
}

static int
hostname(void *self, struct rpc_call *call,
         capos_SystemInfo_hostname_Params_reader p,
         capos_SystemInfo_hostname_Results_builder r)
{
	const char *name = manifest_hostname();

	(void)self;
	(void)call;
	(void)p;
	if (!name[0])
		name = SYSINFO_DEFAULT_HOSTNAME;
	capos_SystemInfo_hostname_Results_set_hostname(r, name, strlen(name));
	return KERR_OK;
}

static int
motd(void *self, struct rpc_call *call, capos_SystemInfo_motd_Params_reader p,
     capos_SystemInfo_motd_Results_builder r)
{
	const char *text = manifest_motd();

	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_motd_Results_set_motd(r, text, strlen(text));
	return KERR_OK;
}

static int
version(void *self, struct rpc_call *call,
        capos_SystemInfo_version_Params_reader p,
        capos_SystemInfo_version_Results_builder r)
{
	static const char v[] = "capOS " CAPOS_VERSION " (x86_64)";

	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_version_Results_set_version(r, v, sizeof(v) - 1);
	return KERR_OK;
}

static int
boot_time(void *self, struct rpc_call *call,
          capos_SystemInfo_bootTime_Params_reader p,
          capos_SystemInfo_bootTime_Results_builder r)
{
	enum wallclock_provenance prov;

	(void)self;
	(void)call;
	(void)p;
	capos_SystemInfo_bootTime_Results_set_unixNs(
	    r, wallclock_boot_time(&prov));
	capos_SystemInfo_bootTime_Results_set_provenance(
	    r, (enum capos_ClockProvenance)prov);
	return KERR_OK;
}

static const struct capos_SystemInfo_server sysinfo_server = {
    .abiVersion = abi_version,
    .memory = memory,
    .uptime = uptime,
    .processCount = process_count,
    .hostname = hostname,
    .motd = motd,
    .version = version,
    .bootTime = boot_time,
};

static const struct kobject_ops sysinfo_ops = {
    .name = "SystemInfo",
    .interface_id = capos_SystemInfo_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_SystemInfo_interface,
    .impl = &sysinfo_server,
};

static struct kobject sysinfo_obj = {
    .ops = &sysinfo_ops,
    .refs = 1,
    .interface_id = capos_SystemInfo_TYPE_ID,
};

struct kobject *
sysinfo_object(void)
{
	return &sysinfo_obj;
}
