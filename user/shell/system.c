/*
 * Commands about the machine, each on a cap of the session's bundle: a
 * session without the cap gets a one-line refusal naming what is
 * missing, never a partial answer.
 */
#include "shell.h"

#include "fmt/fmt.h"
#include "time/rtc.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define TAIL_RECORDS   20
#define FOLLOW_POLL_NS 200000000ull

static const char *const provenance_names[] = {"unset", "rtc",
                                               "set by an operator"};
static const char *const level_names[] = {"error", "warn", "info", "debug",
                                          "trace"};
static const char *const audit_names[] = {
    "spawn",        "sessionIssued", "sessionRevoked",
    "loginSuccess", "loginFailure",  "shutdownRequested"};

#define NAME_OF(table, i)                                                      \
	((unsigned)(i) < sizeof(table) / sizeof(table[0]) ? table[i] : "?")

/* SystemInfo.uptime and .processCount. */
static int
sysinfo_uptime(capos_capid_t si, uint64_t *ns)
{
	static struct capos_call c;
	int err;

	(void)capos_SystemInfo_uptime_begin(&c);
	err = capos_SystemInfo_uptime_send(&c, si);
	if (!err)
		*ns = capos_SystemInfo_uptime_Results_get_ns(
		    capos_SystemInfo_uptime_results(&c));
	return err;
}

static int
sysinfo_process_count(capos_capid_t si, uint32_t *n)
{
	static struct capos_call c;
	int err;

	(void)capos_SystemInfo_processCount_begin(&c);
	err = capos_SystemInfo_processCount_send(&c, si);
	if (!err)
		*n = capos_SystemInfo_processCount_Results_get_count(
		    capos_SystemInfo_processCount_results(&c));
	return err;
}

/* The session's cap named name, or a refusal printed for cmd. */
static capos_capid_t
need(const char *cmd, const char *name, uint64_t iface, const char *iname)
{
	capos_capid_t cap = captab_get(name, iface);

	if (cap == CAPOS_CAPID_INVALID)
		sh_printf("%s: not permitted: this session holds no %s cap "
		          "(@%s)\n",
		          cmd, iname, name);
	return cap;
}

void
system_motd(void)
{
	capos_capid_t si = captab_get("sysinfo", capos_SystemInfo_TYPE_ID);
	char motd[256];

	if (si != CAPOS_CAPID_INVALID &&
	    !capos_sysinfo_motd(si, motd, sizeof(motd)) && motd[0])
		sh_printf("%s\n", motd);
}

int
cmd_hostname(const struct cmdline *cl)
{
	capos_capid_t si =
	    need("hostname", "sysinfo", capos_SystemInfo_TYPE_ID, "SystemInfo");
	char name[64];
	int err;

	(void)cl;
	if (si == CAPOS_CAPID_INVALID)
		return 1;
	err = capos_sysinfo_hostname(si, name, sizeof(name));
	if (err) {
		sh_fail("hostname", NULL, err);
		return 1;
	}
	sh_printf("%s\n", name);
	return 0;
}

int
cmd_date(const struct cmdline *cl)
{
	capos_capid_t wc = captab_get("wallclock", capos_WallClock_TYPE_ID);
	capos_capid_t si;
	int64_t ns, boot;
	uint64_t up = 0;
	int prov, err;
	char buf[40];

	(void)cl;
	/* The wall clock itself when the session has it; otherwise boot
	 * time plus uptime, which SystemInfo says is the same time. */
	if (wc != CAPOS_CAPID_INVALID) {
		err = capos_wallclock_now(wc, &ns, &prov);
	} else {
		si = need("date", "sysinfo", capos_SystemInfo_TYPE_ID,
		          "SystemInfo");
		if (si == CAPOS_CAPID_INVALID)
			return 1;
		err = capos_sysinfo_boot_time(si, &boot, &prov);
		if (!err)
			err = sysinfo_uptime(si, &up);
		ns = boot + (int64_t)up;
	}
	if (err) {
		sh_fail("date", NULL, err);
		return 1;
	}
	rtc_format_utc(ns / 1000000000, buf, sizeof(buf));
	sh_printf("%s (%s)\n", buf, NAME_OF(provenance_names, prov));
	return 0;
}

int
cmd_uptime(const struct cmdline *cl)
{
	capos_capid_t si =
	    need("uptime", "sysinfo", capos_SystemInfo_TYPE_ID, "SystemInfo");
	uint64_t ns, s;
	uint32_t procs = 0;
	int err;

	(void)cl;
	if (si == CAPOS_CAPID_INVALID)
		return 1;
	err = sysinfo_uptime(si, &ns);
	if (!err)
		err = sysinfo_process_count(si, &procs);
	if (err) {
		sh_fail("uptime", NULL, err);
		return 1;
	}
	s = ns / 1000000000ull;
	sh_printf("up %lu:%02lu:%02lu.%03lu, %u processes\n",
	          (unsigned long)(s / 3600), (unsigned long)(s / 60 % 60),
	          (unsigned long)(s % 60), (unsigned long)(ns / 1000000 % 1000),
	          procs);
	return 0;
}

/* Shows log records from *cursor on; advances it. */
static int
log_show(capos_capid_t reader, uint64_t *cursor)
{
	static struct capos_call c;
	capos_LogReader_read_Params_builder p;
	capos_LogReader_read_Results_reader r;
	struct capnp_list l;
	uint32_t i;
	int err;

	p = capos_LogReader_read_begin(&c);
	capos_LogReader_read_Params_set_cursor(p, *cursor);
	capos_LogReader_read_Params_set_max(p, TAIL_RECORDS);
	err = capos_LogReader_read_send(&c, reader);
	if (err)
		return err;
	r = capos_LogReader_read_results(&c);
	l = capos_LogReader_read_Results_get_records(r);
	for (i = 0; i < l.len; i++) {
		capos_LogRecord_reader rec = capos_LogRecord_at(l, i);
		struct capnp_text src = capos_LogRecord_get_source(rec);
		struct capnp_text text = capos_LogRecord_get_text(rec);
		uint64_t mono = capos_LogRecord_get_monoNs(rec);

		sh_printf("[%5lu.%03lu] %-5s %.*s: %.*s\n",
		          (unsigned long)(mono / 1000000000ull),
		          (unsigned long)(mono / 1000000 % 1000),
		          NAME_OF(level_names, capos_LogRecord_get_level(rec)),
		          (int)src.len, src.str, (int)text.len, text.str);
	}
	*cursor = capos_LogReader_read_Results_get_next(r);
	return 0;
}

int
cmd_log(const struct cmdline *cl)
{
	static struct capos_call c;
	capos_capid_t reader =
	    need("log", "logread", capos_LogReader_TYPE_ID, "LogReader");
	capos_LogReader_stats_Results_reader st;
	bool follow = cl->nargs == 1 && strcmp(cl->args[0], "follow") == 0;
	uint64_t cursor, next, oldest;
	int err;

	if (cl->nargs > 1 || (cl->nargs == 1 && !follow)) {
		sh_printf("log: usage: log [follow]\n");
		return 1;
	}
	if (reader == CAPOS_CAPID_INVALID)
		return 1;
	(void)capos_LogReader_stats_begin(&c);
	err = capos_LogReader_stats_send(&c, reader);
	if (err) {
		sh_fail("log", NULL, err);
		return 1;
	}
	st = capos_LogReader_stats_results(&c);
	next = capos_LogReader_stats_Results_get_next(st);
	oldest = capos_LogReader_stats_Results_get_oldest(st);
	cursor = next > oldest + TAIL_RECORDS ? next - TAIL_RECORDS : oldest;
	err = log_show(reader, &cursor);
	while (!err && follow) {
		/* New records are polled for, so Ctrl-C is watched for
		 * beside a plain sleep. */
		capos_capid_t timer =
		    need("log follow", "timer", capos_Timer_TYPE_ID, "Timer");
		struct capos_call_desc d;
		uint8_t buf[CAPOS_SLEEP_BUF_MIN] __attribute__((aligned(8)));
		struct capos_cqe cqe;
		uint64_t tag = capos_next_tag();

		if (timer == CAPOS_CAPID_INVALID)
			return 1;
		err = capos_timer_sleep_submit(&d, timer, FOLLOW_POLL_NS, buf,
		                               sizeof(buf), tag);
		if (err)
			break;
		if (!wait_or_interrupt(tag, &cqe)) {
			(void)capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
			return 0;
		}
		err = log_show(reader, &cursor);
	}
	if (err) {
		sh_fail("log", NULL, err);
		return 1;
	}
	return 0;
}

int
cmd_audit(const struct cmdline *cl)
{
	static struct capos_call c;
	capos_capid_t audit =
	    need("audit", "audit", capos_AuditLog_TYPE_ID, "AuditLog");
	capos_AuditLog_read_Params_builder p;
	capos_AuditLog_read_Results_reader r;
	struct capnp_list l;
	uint64_t cursor = 0;
	uint32_t i, shown = 0;
	int err;

	(void)cl;
	if (audit == CAPOS_CAPID_INVALID)
		return 1;
	/* The whole trail, oldest first; the reader's cursor skips what
	 * was dropped. */
	for (;;) {
		p = capos_AuditLog_read_begin(&c);
		capos_AuditLog_read_Params_set_cursor(p, cursor);
		capos_AuditLog_read_Params_set_max(p, TAIL_RECORDS);
		err = capos_AuditLog_read_send(&c, audit);
		if (err) {
			sh_fail("audit", NULL, err);
			return 1;
		}
		r = capos_AuditLog_read_results(&c);
		l = capos_AuditLog_read_Results_get_records(r);
		for (i = 0; i < l.len; i++) {
			capos_AuditRecord_reader rec =
			    capos_AuditRecord_at(l, i);
			struct capnp_text src =
			    capos_AuditRecord_get_source(rec);
			struct capnp_text det =
			    capos_AuditRecord_get_detail(rec);
			uint64_t mono = capos_AuditRecord_get_monoNs(rec);

			sh_printf("#%lu [%5lu.%03lu] %s by %.*s (pid %lu): "
			          "%.*s\n",
			          (unsigned long)capos_AuditRecord_get_seq(rec),
			          (unsigned long)(mono / 1000000000ull),
			          (unsigned long)(mono / 1000000 % 1000),
			          NAME_OF(audit_names,
			                  capos_AuditRecord_get_event(rec)),
			          (int)src.len, src.str,
			          (unsigned long)capos_AuditRecord_get_pid(rec),
			          (int)det.len, det.str);
			shown++;
		}
		if (l.len == 0)
			break;
		cursor = capos_AuditLog_read_Results_get_next(r);
	}
	if (!shown)
		sh_printf("the audit trail is empty\n");
	return 0;
}

static int
power(const char *cmd, uint16_t method)
{
	capos_capid_t sd = need(cmd, "shutdown", capos_ShutdownControl_TYPE_ID,
	                        "ShutdownControl");
	int err;

	if (sd == CAPOS_CAPID_INVALID)
		return 1;
	sh_printf("%s: as %s\n", cmd, session_user());
	err = capos_call_empty(sd, capos_ShutdownControl_TYPE_ID, method);
	sh_fail(cmd, NULL, err ? err : CAPOS_E_NOT_SUPPORTED);
	return 1;
}

int
cmd_shutdown(const struct cmdline *cl)
{
	(void)cl;
	return power("shutdown", capos_ShutdownControl_METHOD_powerOff);
}

int
cmd_reboot(const struct cmdline *cl)
{
	(void)cl;
	return power("reboot", capos_ShutdownControl_METHOD_reboot);
}
