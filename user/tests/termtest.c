/*
 * termtest: the terminal service's client, driven by a script on the
 * host that types into QEMU's serial port (tests/boot/terminal.py).
 * Before each step it writes a prompt "[termtest:STEP]" through its
 * TerminalSession; the script waits for the prompt and types that step's
 * keys.  Checks are KTEST lines (prefix "terminal.").
 *
 *   edit      "garbage", Ctrl-U, "abcdef", two DELs, two left arrows,
 *             "XY", Enter: the line is "abXYcd"
 *   history   up arrow, Enter: the previous line again
 *   hidden    a password with echo off: returned intact (the script
 *             checks that the transcript never shows it)
 *   interrupt "partial", Ctrl-C: the interrupt event
 *   eof       Ctrl-D: the endOfInput event
 *   stdio     "raw!": StdIO.read returns the bytes as typed
 *   facet     stdio() gives a StdIO facet (interface StdIO): what is
 *             written through it is shown, "via!" is read through it
 *   watch     a watchInterrupt is pending (a second one is refused
 *             `overloaded`); Ctrl-C, typed while nobody reads, answers
 *             it true.  Then a watch that stopWatch answers false.
 *   watchread a watch pending and a StdIO.read through the facet
 *             waiting; Ctrl-C answers the watch true and fails the read
 *             `disconnected`
 *   after     "ok", Enter: readLine works after the watches, and the
 *             Ctrl-Cs they took were not left as input
 *   burst     BURST_LINES lines of BURST_WIDTH bytes typed at once: every
 *             line arrives, in order
 *
 * It also holds "serial" itself: reading it while the service owns the
 * input is refused.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define BURST_LINES 400
#define BURST_WIDTH 25 /* bytes per line with its "\r" */
#define HIDDEN      "s3cret-Pa55word"

static struct capos_call c;
static capos_capid_t term, serial, facet;

/* A call made now and finished later (watches, a read left waiting). */
struct pending {
	struct capos_call_desc d;
	uint8_t buf[256] __attribute__((aligned(8)));
	uint64_t tag;
	int err;
};

#define PENDING_WAIT_NS (30ull * 1000000000ull)

static void
prompt(const char *step)
{
	char text[64];
	capos_TerminalSession_write_Params_builder p;
	size_t n = 0;

	n += str_copy(text, "[termtest:", sizeof(text));
	n += str_copy(text + n, step, sizeof(text) - n);
	n += str_copy(text + n, "]\n", sizeof(text) - n);
	p = capos_TerminalSession_write_begin(&c);
	capos_TerminalSession_write_Params_set_data(p, text, n);
	(void)capos_TerminalSession_write_send(&c, term);
}

/* readLine; returns the event (-1: the call failed) and copies the
 * line into line. */
static int
read_line(bool echo, char *line, size_t size)
{
	capos_TerminalSession_readLine_Results_reader r;
	struct capnp_text t;
	int err;

	capos_TerminalSession_readLine_Params_set_echo(
	    capos_TerminalSession_readLine_begin(&c), echo);
	err = capos_TerminalSession_readLine_send(&c, term);
	if (err) {
		printf("termtest: readLine failed: %s\n", capos_strerror(err));
		return -1;
	}
	r = capos_TerminalSession_readLine_results(&c);
	t = capos_TerminalSession_readLine_Results_get_line(r);
	str_copy(line, t.str ? t.str : "", size);
	return (int)capos_TerminalSession_readLine_Results_get_event(r);
}

static void
check_line(const char *step, bool echo, const char *want)
{
	char line[1100];
	int ev;

	prompt(step);
	ev = read_line(echo, line, sizeof(line));
	ktest_check(ev == capos_TerminalEvent_line && strcmp(line, want) == 0,
	            step, "event %d, line \"%s\"", ev,
	            echo ? line : "(hidden)");
}

static void
check_event(const char *step, int want)
{
	char line[1100];
	int ev;

	prompt(step);
	ev = read_line(true, line, sizeof(line));
	ktest_check(ev == want && line[0] == 0, step, "event %d, line \"%s\"",
	            ev, line);
}

/* The service claimed the input at start: our own read is refused. */
static void
check_serial_refused(void)
{
	capos_SerialPort_read_Params_builder p;
	int err;

	if (capos_SerialPort_find("serial", &serial)) {
		ktest_check(false, "serial_refused", "no serial cap");
		return;
	}
	p = capos_SerialPort_read_begin(&c);
	capos_SerialPort_read_Params_set_max(p, 16);
	capos_SerialPort_read_Params_set_timeoutNs(p, 0);
	err = capos_SerialPort_read_send(&c, serial);
	ktest_check_exception(err, capos_ExceptionType_failed,
	                      "serial_refused");
	capos_SerialPort_stats_begin(&c);
	err = capos_SerialPort_stats_send(&c, serial);
	ktest_check(err == 0 && capos_SerialPort_stats_Results_get_owner(
	                            capos_SerialPort_stats_results(&c)) != 0,
	            "serial_owned", "%s", capos_strerror(err));
}

static void
check_stdio(void)
{
	char got[16];
	size_t n = 0;
	int err = 0;

	prompt("stdio");
	while (n < 5 && !err) {
		struct capnp_data d;

		capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&c),
		                                (uint32_t)(5 - n));
		err = capos_StdIO_read_send(&c, term);
		if (err)
			break;
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&c));
		memcpy(got + n, d.ptr, d.len);
		n += d.len;
	}
	ktest_check(!err && n == 5 && memcmp(got, "raw!\r", 5) == 0,
	            "stdio_read", "%s, %u bytes", capos_strerror(err),
	            (unsigned)n);
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c),
	                                  "stdio: written\n", 15);
	err = capos_StdIO_write_send(&c, term);
	ktest_check(err == 0, "stdio_write", "%s", capos_strerror(err));
}

static void
start(struct pending *pc, capos_capid_t cap, uint64_t iid, uint16_t method,
      const void *params, uint32_t len)
{
	pc->d = (struct capos_call_desc){.cap = cap,
	                                 .method = method,
	                                 .interface_id = iid,
	                                 .params = params,
	                                 .params_len = len,
	                                 .result = pc->buf,
	                                 .result_cap = sizeof(pc->buf)};
	pc->tag = capos_next_tag();
	pc->err = capos_call_submit(&pc->d, pc->tag);
}

static int
finish(struct pending *pc, struct capos_reply *r)
{
	struct capos_cqe cqe;
	int err = pc->err;

	if (!err)
		err = capos_wait(pc->tag, PENDING_WAIT_NS, &cqe);
	if (!err)
		err = capos_call_complete(&pc->d, &cqe, r);
	return err;
}

static void
start_watch(struct pending *pc)
{
	start(pc, term, capos_TerminalSession_TYPE_ID,
	      capos_TerminalSession_METHOD_watchInterrupt, NULL, 0);
}

/* The watch's answer: 0 with *interrupted, or the error. */
static int
finish_watch(struct pending *pc, bool *interrupted)
{
	struct capos_reply r;
	struct capnp_msg m;
	int err = finish(pc, &r);

	if (err)
		return err;
	if (capos_msg_read(&m, pc->buf, r.len))
		return CAPOS_E_BAD_FIELD;
	*interrupted =
	    capos_TerminalSession_watchInterrupt_Results_get_interrupted(
	        capos_TerminalSession_watchInterrupt_Results_read_root(&m));
	return 0;
}

/* stdio(): a StdIO facet of the terminal's endpoint. */
static void
check_stdio_facet(void)
{
	char got[8];
	uint64_t iid = 0;
	size_t n = 0;
	int err;

	capos_TerminalSession_stdio_begin(&c);
	err = capos_TerminalSession_stdio_send(&c, term);
	if (!err)
		facet = capos_call_result_cap(
		    &c,
		    capos_TerminalSession_stdio_Results_get_stdio(
		        capos_TerminalSession_stdio_results(&c)),
		    &iid);
	ktest_check(!err && facet && iid == capos_StdIO_TYPE_ID, "stdio_facet",
	            "%s, interface %lx", capos_strerror(err),
	            (unsigned long)iid);
	if (!facet)
		return;
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c),
	                                  "facet: written\n", 15);
	err = capos_StdIO_write_send(&c, facet);
	ktest_check(err == 0, "stdio_facet_write", "%s", capos_strerror(err));
	prompt("facet");
	while (n < 4 && !err) {
		struct capnp_data d;

		capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&c),
		                                (uint32_t)(4 - n));
		err = capos_StdIO_read_send(&c, facet);
		if (err)
			break;
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&c));
		memcpy(got + n, d.ptr, d.len);
		n += d.len;
	}
	ktest_check(!err && n == 4 && memcmp(got, "via!", 4) == 0,
	            "stdio_facet_read", "%s, %u bytes", capos_strerror(err),
	            (unsigned)n);
}

static void
check_watch(void)
{
	static struct pending w;
	bool intr = false;
	int err;

	start_watch(&w);
	capos_TerminalSession_watchInterrupt_begin(&c);
	ktest_check_exception(
	    capos_TerminalSession_watchInterrupt_send(&c, term),
	    capos_ExceptionType_overloaded, "watch_second_refused");
	prompt("watch");
	err = finish_watch(&w, &intr);
	ktest_check(err == 0 && intr, "watch_ctrl_c_true", "%s, interrupted %d",
	            capos_strerror(err), intr);

	start_watch(&w);
	capos_TerminalSession_stopWatch_begin(&c);
	err = capos_TerminalSession_stopWatch_send(&c, term);
	ktest_check(err == 0, "stop_watch", "%s", capos_strerror(err));
	intr = true;
	err = finish_watch(&w, &intr);
	ktest_check(err == 0 && !intr, "watch_stopped_false",
	            "%s, interrupted %d", capos_strerror(err), intr);
	capos_TerminalSession_stopWatch_begin(&c);
	err = capos_TerminalSession_stopWatch_send(&c, term);
	ktest_check(err == 0, "stop_watch_none_pending", "%s",
	            capos_strerror(err));
}

/* A read waiting for input while a watch is pending: Ctrl-C answers the
 * watch and fails the read. */
static void
check_watch_read(void)
{
	static struct pending w, rd;
	static struct capos_msgbuf mb;
	struct capos_reply r;
	bool intr = false;
	int err;

	if (!facet) {
		ktest_check(false, "watch_read", "no stdio facet");
		return;
	}
	capos_msg_begin(&mb);
	capos_StdIO_read_Params_set_max(
	    capos_StdIO_read_Params_build_root(&mb.b), 16);
	capos_msg_end(&mb);
	start_watch(&w);
	prompt("watchread");
	start(&rd, facet, capos_StdIO_TYPE_ID, capos_StdIO_METHOD_read,
	      mb.framed, mb.framed_len);
	err = finish_watch(&w, &intr);
	ktest_check(err == 0 && intr, "watch_read.watch_true",
	            "%s, interrupted %d", capos_strerror(err), intr);
	ktest_check_exception(finish(&rd, &r), capos_ExceptionType_disconnected,
	                      "watch_read.read_disconnected");
}

/* Line i of the burst, as the script types it (without its "\r"). */
static void
burst_line(unsigned i, char *out)
{
	size_t n = fmt_snprintf(out, BURST_WIDTH, "burst %04u ", i);

	while (n < BURST_WIDTH - 1) {
		out[n] = (char)('a' + (n + i) % 26);
		n++;
	}
	out[n] = 0;
}

static void
check_burst(void)
{
	char line[1100], want[BURST_WIDTH + 1];
	unsigned i, good = 0;
	int ev = 0;

	prompt("burst");
	for (i = 0; i < BURST_LINES; i++) {
		ev = read_line(false, line, sizeof(line));
		burst_line(i, want);
		if (ev != capos_TerminalEvent_line || strcmp(line, want)) {
			printf("termtest: burst line %u is \"%s\"\n", i, line);
			break;
		}
		good++;
	}
	ktest_check(good == BURST_LINES, "burst_every_line_in_order",
	            "%u of %u lines", good, BURST_LINES);
	printf("termtest: burst of %u bytes, %u lines read\n",
	       BURST_LINES * BURST_WIDTH, good);
}

/* The port's counters: everything typed arrived, nothing was lost. */
static void
check_stats(void)
{
	capos_SerialPort_stats_Results_reader r;
	uint64_t received = 0, dropped = 0;
	int err;

	capos_SerialPort_stats_begin(&c);
	err = capos_SerialPort_stats_send(&c, serial);
	if (!err) {
		r = capos_SerialPort_stats_results(&c);
		received = capos_SerialPort_stats_Results_get_received(r);
		dropped = capos_SerialPort_stats_Results_get_dropped(r);
	}
	ktest_check(!err && received >= BURST_LINES * BURST_WIDTH &&
	                dropped == 0,
	            "nothing_dropped", "%s, %lu received, %lu dropped",
	            capos_strerror(err), (unsigned long)received,
	            (unsigned long)dropped);
	printf("termtest: serial port received %lu bytes, dropped %lu\n",
	       (unsigned long)received, (unsigned long)dropped);
}

int
main(void)
{
	ktest_prefix("terminal.");
	if (capos_TerminalSession_find("terminal", &term)) {
		ktest_check(false, "session_found", "no terminal cap");
		return 1;
	}
	check_serial_refused();
	check_line("edit", true, "abXYcd");
	check_line("history", true, "abXYcd");
	check_line("hidden", false, HIDDEN);
	check_event("interrupt", capos_TerminalEvent_interrupt);
	check_event("eof", capos_TerminalEvent_endOfInput);
	check_stdio();
	check_stdio_facet();
	check_watch();
	check_watch_read();
	check_line("after", true, "ok");
	check_burst();
	check_stats();
	if (facet)
		capos_release_sync(facet);
	prompt("done");
	printf("termtest: %d failures\n", ktest_failures());
	return ktest_failures();
}
