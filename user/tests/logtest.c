/*
 * logtest: LogSink, LogReader, AuditLog and AuditWriter (boot suite case
 * logtest, manifest=logtest, log level warn).  Runs as init holding all
 * four, and spawns children holding fewer (log_writer, log_flooder,
 * log_follower).  Checks: records carry the pid and name the kernel
 * knows, whatever their text claims; the manifest's level filters and
 * counts; a flood larger than the ring drops the oldest, counts it, keeps
 * the newest in order, and a stale cursor learns what it lost; a reader
 * following while a child floods is woken and reads every record in
 * order; waits are cancelled by release and by exit; hostile params are
 * refused; each spawn is in the audit trail with its grant names.
 */
#include "capos.h"
#include "capos_call.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"

#define MS 1000000ull
/* The kernel's ring (kernel/core/log.h LOG_RING_RECORDS). */
#define RING_RECORDS 256u
#define FLOOD        (3 * RING_RECORDS)
/* log_flooder.c's writes. */
#define CHILD_FLOOD 200

static capos_capid_t sink, reader, audit, auditw, spawner, console;
static struct capos_log_record recs[CAPOS_LOG_READ_MAX];
static struct capos_call c;

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether needle occurs in s. */
static bool
contains(const char *s, const char *needle)
{
	for (; *s; s++)
		if (starts_with(s, needle))
			return true;
	return false;
}

static uint64_t
log_next(void)
{
	struct capos_log_stats s = {0};

	if (capos_log_stats(reader, &s))
		printf("KTEST not ok log.stats\n");
	return s.next;
}

/* The first record at or after from whose text is text (audit: whose
 * detail starts with it). */
static bool
find(bool in_audit, uint64_t from, const char *text,
     struct capos_log_record *out)
{
	uint64_t next, lost;
	uint32_t n, i;

	for (;;) {
		int err =
		    in_audit ? capos_audit_read(audit, from, CAPOS_LOG_READ_MAX,
		                                recs, &n, &next, &lost)
		             : capos_log_read(reader, from, CAPOS_LOG_READ_MAX,
		                              recs, &n, &next, &lost);

		if (err || n == 0)
			return false;
		for (i = 0; i < n; i++)
			if (in_audit ? starts_with(recs[i].text, text)
			             : strcmp(recs[i].text, text) == 0) {
				*out = recs[i];
				return true;
			}
		from = next;
	}
}

/* Spawns binary under its own name with grants and waits for its exit
 * code (12345 when it could not be run). */
static int32_t
run_child(const char *binary, const struct capos_spawn_grant *g, uint32_t n)
{
	capos_capid_t handle;
	int32_t code = 12345;

	if (capos_spawn(spawner, binary, binary, g, n, NULL, 0, NULL, &handle,
	                NULL))
		return code;
	if (capos_handle_wait(handle, &code))
		code = 12345;
	capos_release_sync(handle);
	return code;
}

static void
test_own_record(void)
{
	struct capos_log_record r;
	uint64_t from = log_next();
	bool stored = false;
	int err;

	err = capos_log_write(sink, capos_LogLevel_warn, "logtest: own record",
	                      &stored);
	ktest_check(err == 0 && stored, "write.stored", "%s, stored %d",
	            capos_strerror(err), stored);
	ktest_check(find(false, from, "logtest: own record", &r) &&
	                r.pid == capos_pid() &&
	                strcmp(r.source, "logtest") == 0 &&
	                r.kind == capos_LogLevel_warn && r.seq >= from &&
	                r.mono_ns > 0 && r.wall_ns > 0,
	            "write.read_back_with_source",
	            "pid %lu (mine %lu), source '%s', level %d, seq %lu",
	            (unsigned long)r.pid, (unsigned long)capos_pid(), r.source,
	            r.kind, (unsigned long)r.seq);
}

static void
test_writer_cannot_forge(void)
{
	const struct capos_spawn_grant g[2] = {{"console", console},
	                                       {"log", sink}};
	struct capos_log_record r = {0}, a = {0};
	uint64_t from = log_next();
	char want[96];

	ktest_check(run_child("log_writer", g, 2) == 0, "writer.passed",
	            "log_writer failed");
	ktest_check(find(false, from, "pid=0 source=kernel: forged", &r) &&
	                r.pid != 0 && r.pid != capos_pid() &&
	                strcmp(r.source, "log_writer") == 0,
	            "writer.source_set_by_kernel", "pid %lu, source '%s'",
	            (unsigned long)r.pid, r.source);
	/* The kernel recorded the spawn: by whom, which child, which grants. */
	fmt_snprintf(want, sizeof(want),
	             "name=log_writer pid=%lu binary=log_writer "
	             "grants=console,log",
	             (unsigned long)r.pid);
	ktest_check(find(true, 0, want, &a) && strcmp(a.text, want) == 0 &&
	                a.kind == capos_AuditEvent_spawn &&
	                a.pid == capos_pid() &&
	                strcmp(a.source, "logtest") == 0,
	            "audit.spawn_recorded", "want '%s', found '%s' by %lu '%s'",
	            want, a.text, (unsigned long)a.pid, a.source);
}

static void
test_level_filter(void)
{
	struct capos_log_stats s0 = {0}, s1 = {0};
	struct capos_log_record r;
	bool info_stored = true, debug_stored = true, error_stored = false;
	uint64_t from = log_next();
	int e1, e2, e3;

	capos_log_stats(reader, &s0);
	ktest_check(s0.level == capos_LogLevel_warn, "level.from_manifest",
	            "level %d", s0.level);
	e1 = capos_log_write(sink, capos_LogLevel_info, "logtest: an info",
	                     &info_stored);
	e2 = capos_log_write(sink, capos_LogLevel_debug, "logtest: a debug",
	                     &debug_stored);
	e3 = capos_log_write(sink, capos_LogLevel_error, "logtest: an error",
	                     &error_stored);
	capos_log_stats(reader, &s1);
	ktest_check(e1 == 0 && e2 == 0 && !info_stored && !debug_stored,
	            "level.info_and_debug_filtered", "%s/%s, stored %d/%d",
	            capos_strerror(e1), capos_strerror(e2), info_stored,
	            debug_stored);
	ktest_check(s1.filtered >= s0.filtered + 2, "level.filtered_counted",
	            "filtered %lu then %lu", (unsigned long)s0.filtered,
	            (unsigned long)s1.filtered);
	ktest_check(!find(false, from, "logtest: an info", &r) &&
	                !find(false, from, "logtest: a debug", &r),
	            "level.filtered_not_kept", "found '%s'", r.text);
	ktest_check(e3 == 0 && error_stored &&
	                find(false, from, "logtest: an error", &r) &&
	                r.kind == capos_LogLevel_error,
	            "level.error_kept", "%s, stored %d", capos_strerror(e3),
	            error_stored);
}

static void
test_flood(void)
{
	struct capos_log_stats s0 = {0}, s1 = {0};
	uint64_t cursor, next, lost = 0, expect_seq;
	uint32_t i, n, failed = 0, last_flood = 0;
	bool in_order = true, first = true;
	char text[32];
	int err = 0;

	capos_log_stats(reader, &s0);
	for (i = 0; i < FLOOD; i++) {
		fmt_snprintf(text, sizeof(text), "flood %u", i);
		if (capos_log_write(sink, capos_LogLevel_warn, text, NULL))
			failed++;
	}
	capos_log_stats(reader, &s1);
	ktest_check(failed == 0, "flood.writes", "%u failed", failed);
	ktest_check(s1.next - s1.oldest == RING_RECORDS &&
	                s1.dropped >= s0.dropped + FLOOD - RING_RECORDS,
	            "flood.drops_counted", "kept %lu, dropped %lu then %lu",
	            (unsigned long)(s1.next - s1.oldest),
	            (unsigned long)s0.dropped, (unsigned long)s1.dropped);

	/* The cursor from before the flood is stale: it learns how many
	 * records it lost and resumes at the oldest. */
	cursor = s0.next;
	expect_seq = s1.oldest;
	while (!err) {
		uint64_t l;

		err = capos_log_read(reader, cursor, CAPOS_LOG_READ_MAX, recs,
		                     &n, &next, &l);
		if (err || n == 0)
			break;
		if (first) {
			lost = l;
			first = false;
		} else if (l != 0)
			in_order = false;
		for (i = 0; i < n; i++) {
			unsigned k;

			if (recs[i].seq != expect_seq++)
				in_order = false;
			if (recs[i].pid != capos_pid() ||
			    !starts_with(recs[i].text, "flood "))
				continue;
			k = 0;
			for (const char *p = recs[i].text + 6; *p; p++)
				k = k * 10 + (unsigned)(*p - '0');
			if (last_flood && k != last_flood + 1)
				in_order = false;
			last_flood = k;
		}
		cursor = next;
	}
	ktest_check(err == 0 && lost == s1.oldest - s0.next && lost > 0,
	            "flood.stale_cursor_reports_loss", "%s, lost %lu, want %lu",
	            capos_strerror(err), (unsigned long)lost,
	            (unsigned long)(s1.oldest - s0.next));
	ktest_check(in_order && last_flood == FLOOD - 1 && cursor == s1.next,
	            "flood.newest_kept_in_order",
	            "in order %d, last flood %u, ended at %lu of %lu", in_order,
	            last_flood, (unsigned long)cursor, (unsigned long)s1.next);
	err = capos_log_read(reader, 0, 1, recs, &n, &next, &lost);
	ktest_check(err == 0 && n == 1 && recs[0].seq == s1.oldest &&
	                lost == s1.oldest,
	            "flood.cursor_0_resumes_at_oldest", "%s, seq %lu, lost %lu",
	            capos_strerror(err), (unsigned long)recs[0].seq,
	            (unsigned long)lost);
}

/* Follows the log while log_flooder writes CHILD_FLOOD records: the
 * first follow waits (it is submitted before the child exists) and is
 * woken; every record of the child is read, in order. */
static void
test_follow_flood(void)
{
	static struct capos_log_follow f;
	const struct capos_spawn_grant g[2] = {{"console", console},
	                                       {"log", sink}};
	uint64_t cursor = log_next(), next, lost, tag = capos_next_tag();
	uint32_t expected = 0, n, i, rounds = 0;
	capos_capid_t handle = 0;
	struct capos_cqe cqe;
	int32_t code = 12345;
	bool in_order = true, woken;
	int err;
	char want[32];

	err = capos_log_follow_submit(&f, reader, cursor, tag);
	if (!err)
		err = capos_spawn(spawner, "log_flooder", "log_flooder", g, 2,
		                  NULL, 0, NULL, &handle, NULL);
	ktest_check(err == 0, "follow.started", "%s", capos_strerror(err));
	if (err)
		return;
	woken = capos_wait(tag, 5000 * MS, &cqe) == 0 && cqe.result == 0 &&
	        log_next() > cursor;
	ktest_check(woken, "follow.woken_by_writer", "CQE result %d",
	            cqe.result);
	while (woken && expected < CHILD_FLOOD && rounds++ < 10000) {
		err = capos_log_read(reader, cursor, CAPOS_LOG_READ_MAX, recs,
		                     &n, &next, &lost);
		if (err || lost) {
			in_order = false;
			break;
		}
		for (i = 0; i < n; i++) {
			if (strcmp(recs[i].source, "log_flooder") != 0)
				continue;
			fmt_snprintf(want, sizeof(want), "wflood %u", expected);
			if (strcmp(recs[i].text, want) != 0)
				in_order = false;
			expected++;
		}
		cursor = next;
		if (n == 0 && expected < CHILD_FLOOD) {
			tag = capos_next_tag();
			if (capos_log_follow_submit(&f, reader, cursor, tag) ||
			    capos_wait(tag, 5000 * MS, &cqe) || cqe.result != 0)
				break;
		}
	}
	ktest_check(in_order && expected == CHILD_FLOOD,
	            "follow.read_every_record_in_order",
	            "%u of %u records, in order %d, %s", expected, CHILD_FLOOD,
	            in_order, capos_strerror(err));
	if (capos_handle_wait(handle, &code))
		code = 12345;
	capos_release_sync(handle);
	ktest_check(code == 0, "follow.flooder_passed", "exit code %d", code);
}

static void
test_follow_cancel(void)
{
	const struct capos_spawn_grant g[3] = {
	    {"console", console}, {"logread", reader}, {"logread2", reader}};
	uint64_t from;
	struct capos_log_record a = {0};

	/* Already there: answers at once. */
	from = log_next();
	ktest_check(from > 0 && capos_log_follow(reader, from - 1) == 0,
	            "follow.answers_at_once", "next %lu", (unsigned long)from);
	ktest_check(run_child("log_follower", g, 3) == 0, "follower.passed",
	            "log_follower failed");
	ktest_check(find(true, 0, "name=log_follower ", &a) &&
	                contains(a.text, " grants=console,logread,logread2") &&
	                a.pid == capos_pid(),
	            "audit.spawn_lists_grants", "found '%s'", a.text);
}

static void
test_hostile(void)
{
	struct capos_log_stats s = {0};
	char text[CAPOS_LOG_TEXT_MAX + 2];
	struct capos_log_record r;
	uint64_t next, lost;
	uint32_t n;
	bool stored = false;
	int err;

	capos_log_stats(reader, &s);
	ktest_check_exception(capos_log_write(sink, 99, "bad level", NULL),
	                      capos_ExceptionType_invalidArgument,
	                      "hostile.bad_level.invalid_argument");
	ktest_check_exception(
	    capos_log_write(sink, capos_LogLevel_warn, "", NULL),
	    capos_ExceptionType_invalidArgument,
	    "hostile.empty_text.invalid_argument");
	memset(text, 'y', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ktest_check_exception(
	    capos_log_write(sink, capos_LogLevel_warn, text, NULL),
	    capos_ExceptionType_invalidArgument,
	    "hostile.text_120_bytes.invalid_argument");
	text[CAPOS_LOG_TEXT_MAX] = '\0';
	err = capos_log_write(sink, capos_LogLevel_warn, text, &stored);
	ktest_check(err == 0 && stored && find(false, s.next, text, &r) &&
	                strlen(r.text) == CAPOS_LOG_TEXT_MAX,
	            "hostile.text_119_bytes_kept_whole", "%s",
	            capos_strerror(err));
	capos_LogSink_write_Params_builder p = capos_LogSink_write_begin(&c);
	capos_LogSink_write_Params_set_level(p, capos_LogLevel_warn);
	capos_LogSink_write_Params_set_text(p, "a\0b", 3);
	ktest_check_exception(capos_LogSink_write_send(&c, sink),
	                      capos_ExceptionType_invalidArgument,
	                      "hostile.text_with_nul.invalid_argument");

	next = log_next();
	ktest_check_exception(
	    capos_log_read(reader, next + 1, 1, recs, &n, &next, &lost),
	    capos_ExceptionType_invalidArgument,
	    "hostile.read_beyond_newest.invalid_argument");
	ktest_check_exception(
	    capos_log_read(reader, UINT64_MAX, 1, recs, &n, &next, &lost),
	    capos_ExceptionType_invalidArgument,
	    "hostile.read_cursor_max.invalid_argument");
	next = log_next();
	ktest_check_exception(capos_log_follow(reader, next + 1),
	                      capos_ExceptionType_invalidArgument,
	                      "hostile.follow_beyond_newest.invalid_argument");
	next = log_next();
	err = capos_log_read(reader, next, 0, recs, &n, &next, &lost);
	ktest_check(err == 0 && n == 0 && lost == 0, "hostile.max_0.empty",
	            "%s, %u records", capos_strerror(err), n);
	/* A huge max answers at most 16 records. */
	capos_LogReader_read_Params_builder rp = capos_LogReader_read_begin(&c);
	capos_LogReader_read_Params_set_cursor(rp, 0);
	capos_LogReader_read_Params_set_max(rp, UINT32_MAX);
	err = capos_LogReader_read_send(&c, reader);
	n = err ? 0
	        : capnp_list_len(capos_LogReader_read_Results_get_records(
	              capos_LogReader_read_results(&c)));
	ktest_check(err == 0 && n > 0 && n <= CAPOS_LOG_READ_MAX,
	            "hostile.max_huge.bounded", "%s, %u records",
	            capos_strerror(err), n);
	/* The reader cannot write. */
	capos_LogSink_write_Params_set_text(capos_LogSink_write_begin(&c), "x",
	                                    1);
	ktest_check_exception(capos_LogSink_write_send(&c, reader),
	                      capos_ExceptionType_unimplemented,
	                      "hostile.reader_cannot_write.unimplemented");
}

static void
test_audit_writer(void)
{
	struct capos_log_record a = {0};
	uint64_t next, lost;
	uint32_t n;
	int err;

	err = capos_audit_record(auditw, capos_AuditEvent_loginFailure,
	                         "user=alice from=serial");
	ktest_check(err == 0 && find(true, 0, "user=alice from=serial", &a) &&
	                a.kind == capos_AuditEvent_loginFailure &&
	                a.pid == capos_pid() &&
	                strcmp(a.source, "logtest") == 0,
	            "audit.writer_record_read_back", "%s, event %d, pid %lu",
	            capos_strerror(err), a.kind, (unsigned long)a.pid);
	ktest_check_exception(
	    capos_audit_record(auditw, capos_AuditEvent_spawn, "name=fake"),
	    capos_ExceptionType_invalidArgument,
	    "audit.writer_cannot_claim_spawn");
	ktest_check_exception(capos_audit_record(auditw, 99, "x"),
	                      capos_ExceptionType_invalidArgument,
	                      "audit.bad_event.invalid_argument");
	ktest_check_exception(
	    capos_audit_record(auditw, capos_AuditEvent_loginSuccess, ""),
	    capos_ExceptionType_invalidArgument,
	    "audit.empty_detail.invalid_argument");
	ktest_check_exception(
	    capos_audit_read(audit, UINT64_MAX, 1, recs, &n, &next, &lost),
	    capos_ExceptionType_invalidArgument,
	    "audit.read_beyond_newest.invalid_argument");
	/* The writer cannot read, the reader cannot write. */
	capos_AuditLog_read_begin(&c);
	ktest_check_exception(capos_AuditLog_read_send(&c, auditw),
	                      capos_ExceptionType_unimplemented,
	                      "audit.writer_cannot_read.unimplemented");
	capos_AuditWriter_record_Params_set_detail(
	    capos_AuditWriter_record_begin(&c), "x", 1);
	ktest_check_exception(capos_AuditWriter_record_send(&c, audit),
	                      capos_ExceptionType_unimplemented,
	                      "audit.reader_cannot_write.unimplemented");
}

int
main(void)
{
	ktest_prefix("log.");
	if (capos_LogSink_find("log", &sink) ||
	    capos_LogReader_find("logread", &reader) ||
	    capos_AuditLog_find("audit", &audit) ||
	    capos_AuditWriter_find("auditwrite", &auditw) ||
	    capos_ProcessSpawner_find("spawner", &spawner) ||
	    capos_Console_find("console", &console)) {
		printf("KTEST not ok log.capset: caps missing\n");
		return 1;
	}
	test_own_record();
	test_writer_cannot_forge();
	test_level_filter();
	test_hostile();
	test_flood();
	test_follow_flood();
	test_follow_cancel();
	test_audit_writer();
	printf("log test: %d failures\n", ktest_failures());
	return ktest_failures();
}
