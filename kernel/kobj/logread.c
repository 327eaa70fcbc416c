/*
 * LogReader: reads the kernel log ring (core/log.h) from a cursor, and
 * follows it (a call that completes when a record at or after its cursor
 * arrives).  One static object; a reader's position is its own cursor.
 */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "core/log.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

static void
build_record(capos_LogRecord_builder b, const struct log_record *rec)
{
	capos_LogRecord_set_seq(b, rec->seq);
	capos_LogRecord_set_monoNs(b, rec->mono_ns);
	capos_LogRecord_set_wallNs(b, rec->wall_ns);
	capos_LogRecord_set_level(b, (enum capos_LogLevel)rec->kind);
	capos_LogRecord_set_pid(b, rec->pid);
	capos_LogRecord_set_source(b, rec->name, strlen(rec->name));
	capos_LogRecord_set_text(b, rec->text, rec->text_len);
}

static int
read(void *self, struct rpc_call *call, capos_LogReader_read_Params_reader p,
     capos_LogReader_read_Results_builder r)
{
	uint64_t cursor = capos_LogReader_read_Params_get_cursor(p);
	uint32_t max = capos_LogReader_read_Params_get_max(p), n, i;
	const struct logring *ring = log_ring();
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
	                  capos_LogRecord_DATA_WORDS +
	                      capos_LogRecord_POINTERS);
	l = capos_LogReader_read_Results_init_records(r, n);
	for (i = 0; i < n; i++)
		build_record(capos_LogRecord_build_at(l, i),
		             logring_get(ring, start + i));
	irq_restore(irq);
	capos_LogReader_read_Results_set_next(r, start + n);
	capos_LogReader_read_Results_set_lost(r, lost);
	return KERR_OK;
}

static int
follow(void *self, struct rpc_call *call,
       capos_LogReader_follow_Params_reader p,
       capos_LogReader_follow_Results_builder r)
{
	uint64_t cursor = capos_LogReader_follow_Params_get_cursor(p);
	uint64_t start, lost;
	bool irq, ok;

	(void)self;
	(void)r;
	irq = irq_save();
	ok = logring_seek(log_ring(), cursor, &start, &lost);
	irq_restore(irq);
	if (!ok)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "follow: cursor beyond the newest record");
	return log_follow(kcall_of(call), cursor) ? KCALL_PENDING : KERR_OK;
}

static int
stats(void *self, struct rpc_call *call, capos_LogReader_stats_Params_reader p,
      capos_LogReader_stats_Results_builder r)
{
	const struct logring *ring = log_ring();
	bool irq;

	(void)self;
	(void)call;
	(void)p;
	irq = irq_save();
	capos_LogReader_stats_Results_set_next(r, ring->next);
	capos_LogReader_stats_Results_set_oldest(r, logring_oldest(ring));
	capos_LogReader_stats_Results_set_dropped(r, ring->dropped);
	capos_LogReader_stats_Results_set_filtered(r, log_filtered());
	irq_restore(irq);
	capos_LogReader_stats_Results_set_level(
	    r, (enum capos_LogLevel)log_level());
	return KERR_OK;
}

static const struct capos_LogReader_server logread_server = {
    .read = read,
    .follow = follow,
    .stats = stats,
};

static const struct kobject_ops logread_ops = {
    .name = "LogReader",
    .interface_id = capos_LogReader_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_LogReader_interface,
    .impl = &logread_server,
};

static struct kobject logread_obj = {
    .ops = &logread_ops,
    .refs = 1,
    .interface_id = capos_LogReader_TYPE_ID,
};

struct kobject *
logread_object(void)
{
	return &logread_obj;
}
