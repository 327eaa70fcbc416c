/*
 * Clients for the kernel log (LogSink, LogReader) and the audit trail
 * (AuditLog, AuditWriter), over the generated stubs, one call structure
 * under a mutex as system_services.c does; and capos_log, printf to the
 * CapSet's "log" sink.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"

static struct capos_call call;
static struct capos_mutex call_lock = CAPOS_MUTEX_INIT;

/* Copies a text field into buf[size], cut to fit. */
static void
copy_cut(struct capnp_text t, char *buf, size_t size)
{
	size_t n = t.str ? t.len : 0;

	if (n > size - 1)
		n = size - 1;
	if (n)
		memcpy(buf, t.str, n);
	buf[n] = '\0';
}

int
capos_log_write(capos_capid_t sink, int level, const char *text, bool *stored)
{
	capos_LogSink_write_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_LogSink_write_begin(&call);
	capos_LogSink_write_Params_set_level(p, (enum capos_LogLevel)level);
	capos_LogSink_write_Params_set_text(p, text, strlen(text));
	err = capos_LogSink_write_send(&call, sink);
	if (!err && stored)
		*stored = capos_LogSink_write_Results_get_stored(
		    capos_LogSink_write_results(&call));
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_log(int level, const char *fmt, ...)
{
	static capos_capid_t sink;
	static bool found;
	char text[CAPOS_LOG_TEXT_MAX + 1];
	va_list ap;
	size_t n;

	if (!found && capos_LogSink_find("log", &sink))
		return CAPOS_E_BAD_CAP;
	found = true;
	va_start(ap, fmt);
	n = fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* One record per call: a trailing newline is not part of it. */
	if (n > sizeof(text) - 1)
		n = sizeof(text) - 1;
	if (n && text[n - 1] == '\n')
		text[--n] = '\0';
	if (n == 0)
		return 0;
	return capos_log_write(sink, level, text, NULL);
}

/* The list of records of a LogReader or AuditLog answer, and the
 * cursors, into out[]. */
#define READ_RECORDS(Iface, Rec, last)                                         \
	do {                                                                   \
		capos_##Iface##_read_Results_reader r =                        \
		    capos_##Iface##_read_results(&call);                       \
		struct capnp_list l =                                          \
		    capos_##Iface##_read_Results_get_records(r);               \
		uint32_t i, len = capnp_list_len(l);                           \
                                                                               \
		for (i = 0; i < len && i < max; i++) {                         \
			capos_##Rec##_reader e = capos_##Rec##_at(l, i);       \
                                                                               \
			out[i].seq = capos_##Rec##_get_seq(e);                 \
			out[i].mono_ns = capos_##Rec##_get_monoNs(e);          \
			out[i].wall_ns = capos_##Rec##_get_wallNs(e);          \
			out[i].pid = capos_##Rec##_get_pid(e);                 \
			copy_cut(capos_##Rec##_get_source(e), out[i].source,   \
			         sizeof(out[i].source));                       \
			copy_cut(capos_##Rec##_get_##last(e), out[i].text,     \
			         sizeof(out[i].text));                         \
		}                                                              \
		*n = i;                                                        \
		*next = capos_##Iface##_read_Results_get_next(r);              \
		*lost = capos_##Iface##_read_Results_get_lost(r);              \
		if (len > max || capnp_msg_error(&call.result_msg))            \
			err = CAPOS_E_BAD_FIELD;                               \
	} while (0)

int
capos_log_read(capos_capid_t reader, uint64_t cursor, uint32_t max,
               struct capos_log_record *out, uint32_t *n, uint64_t *next,
               uint64_t *lost)
{
	capos_LogReader_read_Params_builder p;
	uint32_t i;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_LogReader_read_begin(&call);
	capos_LogReader_read_Params_set_cursor(p, cursor);
	capos_LogReader_read_Params_set_max(p, max);
	err = capos_LogReader_read_send(&call, reader);
	if (!err) {
		READ_RECORDS(LogReader, LogRecord, text);
		for (i = 0; i < *n; i++)
			out[i].kind =
			    (int)capos_LogRecord_get_level(capos_LogRecord_at(
			        capos_LogReader_read_Results_get_records(
			            capos_LogReader_read_results(&call)),
			        i));
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_log_stats(capos_capid_t reader, struct capos_log_stats *s)
{
	capos_LogReader_stats_Results_reader r;
	int err;

	capos_mutex_lock(&call_lock);
	capos_LogReader_stats_begin(&call);
	err = capos_LogReader_stats_send(&call, reader);
	if (!err) {
		r = capos_LogReader_stats_results(&call);
		s->next = capos_LogReader_stats_Results_get_next(r);
		s->oldest = capos_LogReader_stats_Results_get_oldest(r);
		s->dropped = capos_LogReader_stats_Results_get_dropped(r);
		s->filtered = capos_LogReader_stats_Results_get_filtered(r);
		s->level = (int)capos_LogReader_stats_Results_get_level(r);
		if (capnp_msg_error(&call.result_msg))
			err = CAPOS_E_BAD_FIELD;
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_log_follow_submit(struct capos_log_follow *f, capos_capid_t reader,
                        uint64_t cursor, uint64_t tag)
{
	int err;

	capos_msg_begin(&f->mb);
	capos_LogReader_follow_Params_set_cursor(
	    capos_LogReader_follow_Params_build_root(&f->mb.b), cursor);
	err = capos_msg_end(&f->mb);
	if (err)
		return err;
	f->d = (struct capos_call_desc){
	    .cap = reader,
	    .interface_id = capos_LogReader_TYPE_ID,
	    .method = capos_LogReader_METHOD_follow,
	    .params = f->mb.framed,
	    .params_len = f->mb.framed_len,
	    .result = f->result,
	    .result_cap = sizeof(f->result),
	};
	return capos_call_submit(&f->d, tag);
}

int
capos_log_follow(capos_capid_t reader, uint64_t cursor)
{
	static struct capos_log_follow f;
	static struct capos_mutex lock = CAPOS_MUTEX_INIT;
	struct capos_cqe cqe;
	struct capos_reply r;
	uint64_t tag = capos_next_tag();
	int err;

	capos_mutex_lock(&lock);
	err = capos_log_follow_submit(&f, reader, cursor, tag);
	if (!err)
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!err)
		err = capos_call_complete(&f.d, &cqe, &r);
	capos_mutex_unlock(&lock);
	return err;
}

int
capos_audit_read(capos_capid_t audit, uint64_t cursor, uint32_t max,
                 struct capos_log_record *out, uint32_t *n, uint64_t *next,
                 uint64_t *lost)
{
	capos_AuditLog_read_Params_builder p;
	uint32_t i;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_AuditLog_read_begin(&call);
	capos_AuditLog_read_Params_set_cursor(p, cursor);
	capos_AuditLog_read_Params_set_max(p, max);
	err = capos_AuditLog_read_send(&call, audit);
	if (!err) {
		READ_RECORDS(AuditLog, AuditRecord, detail);
		for (i = 0; i < *n; i++)
			out[i].kind = (int)capos_AuditRecord_get_event(
			    capos_AuditRecord_at(
			        capos_AuditLog_read_Results_get_records(
			            capos_AuditLog_read_results(&call)),
			        i));
	}
	capos_mutex_unlock(&call_lock);
	return err;
}

int
capos_audit_record(capos_capid_t writer, int event, const char *detail)
{
	capos_AuditWriter_record_Params_builder p;
	int err;

	capos_mutex_lock(&call_lock);
	p = capos_AuditWriter_record_begin(&call);
	capos_AuditWriter_record_Params_set_event(p,
	                                          (enum capos_AuditEvent)event);
	capos_AuditWriter_record_Params_set_detail(p, detail, strlen(detail));
	err = capos_AuditWriter_record_send(&call, writer);
	capos_mutex_unlock(&call_lock);
	return err;
}
