/*
 * log_writer: spawned by logtest with a Console and a LogSink only.  It
 * writes one record whose text claims to be the kernel; logtest checks
 * that the kernel stamped it with this process's pid and name.  It also
 * tries every way to reach the audit trail it could: no reader or writer
 * in its CapSet, and its LogSink called as an AuditLog or AuditWriter
 * (unimplemented).  Exit code: its failures.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

static struct capos_call c;

int
main(void)
{
	capos_capid_t sink, other;
	bool stored = false;
	int err;

	ktest_prefix("log.writer.");
	if (capos_LogSink_find("log", &sink)) {
		printf("KTEST not ok log.writer.capset: no log\n");
		return 1;
	}
	err = capos_log_write(sink, capos_LogLevel_warn,
	                      "pid=0 source=kernel: forged", &stored);
	ktest_check(err == 0 && stored, "wrote", "%s, stored %d",
	            capos_strerror(err), stored);
	ktest_check(
	    capos_AuditLog_find("audit", &other) == CAPOS_E_BAD_CAP &&
	        capos_capset_find_interface(capos_AuditLog_TYPE_ID, &other) ==
	            CAPOS_E_BAD_CAP &&
	        capos_capset_find_interface(capos_AuditWriter_TYPE_ID,
	                                    &other) == CAPOS_E_BAD_CAP &&
	        capos_capset_find_interface(capos_LogReader_TYPE_ID, &other) ==
	            CAPOS_E_BAD_CAP,
	    "no_reader_or_audit_in_capset",
	    "a reader or audit cap was granted");
	capos_AuditLog_read_begin(&c);
	ktest_check_exception(capos_AuditLog_read_send(&c, sink),
	                      capos_ExceptionType_unimplemented,
	                      "sink_cannot_read_audit.unimplemented");
	capos_AuditWriter_record_Params_set_detail(
	    capos_AuditWriter_record_begin(&c), "forged", 6);
	ktest_check_exception(capos_AuditWriter_record_send(&c, sink),
	                      capos_ExceptionType_unimplemented,
	                      "sink_cannot_write_audit.unimplemented");
	capos_LogReader_read_begin(&c);
	ktest_check_exception(capos_LogReader_read_send(&c, sink),
	                      capos_ExceptionType_unimplemented,
	                      "sink_cannot_read_log.unimplemented");
	return ktest_failures();
}
