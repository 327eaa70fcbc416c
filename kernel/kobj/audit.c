/*
 * AuditLog: reads the audit trail (core/audit.h) from a cursor, as
 * LogReader.read reads the log.  Holding this cap is the only way to read
 * it; it writes nothing (AuditWriter, kobj/auditwrite.c, appends).
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "core/audit.h"
#include "core/log.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

static void
build_record(capos_AuditRecord_builder b, const struct log_record *rec)
{
	capos_AuditRecord_set_seq(b, rec->seq);
	capos_AuditRecord_set_monoNs(b, rec->mono_ns);
	capos_AuditRecord_set_wallNs(b, rec->wall_ns);
	capos_AuditRecord_set_event(b, (enum capos_AuditEvent)rec->kind);
	capos_AuditRecord_set_pid(b, rec->pid);
	capos_AuditRecord_set_source(b, rec->name, strlen(rec->name));
	capos_AuditRecord_set_detail(b, rec->text, rec->text_len);
}

static int
read(void *self, struct rpc_call *call, capos_AuditLog_read_Params_reader p,
     capos_AuditLog_read_Results_builder r)
{
	uint64_t cursor = capos_AuditLog_read_Params_get_cursor(p);
	uint32_t max = capos_AuditLog_read_Params_get_max(p), n, i;
	const struct logring *ring = audit_ring();
	struct capnp_list_builder l;
	uint64_t start, lost;
	bool irq;

	(void)self;
	irq = irq_save();
	if (!logring_seek(ring, cursor, &start, &lost)) {
		irq_restore(irq);
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "read: cursor beyond the newest record");
	}
	n = log_read_span(ring, start, MIN(max, LOG_READ_MAX),
	                  capos_AuditRecord_DATA_WORDS +
	                      capos_AuditRecord_POINTERS);
	l = capos_AuditLog_read_Results_init_records(r, n);
	for (i = 0; i < n; i++)
		build_record(capos_AuditRecord_build_at(l, i),
		             logring_get(ring, start + i));
	irq_restore(irq);
	capos_AuditLog_read_Results_set_next(r, start + n);
	capos_AuditLog_read_Results_set_lost(r, lost);
	return KERR_OK;
}

static const struct capos_AuditLog_server audit_server = {
    .read = read,
};

static const struct kobject_ops audit_ops = {
    .name = "AuditLog",
    .interface_id = capos_AuditLog_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_AuditLog_interface,
    .impl = &audit_server,
};

static struct kobject audit_obj = {
    .ops = &audit_ops,
    .refs = 1,
    .interface_id = capos_AuditLog_TYPE_ID,
};

struct kobject *
audit_object(void)
{
	return &audit_obj;
}
