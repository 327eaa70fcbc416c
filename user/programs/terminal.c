/*
 * terminal: the terminal service on the serial port.  It holds the
 * kernel's SerialPort (CapSet name "serial"), claims its input at start,
 * and serves on the endpoint owner cap "terminal":
 *
 *   TerminalSession  readLine(echo) with line editing and history, write,
 *                    stdio() (a StdIO facet of this endpoint),
 *                    watchInterrupt() and stopWatch()
 *   StdIO            read(max) of raw input, write
 *
 * Two threads.  The reader thread always reads the port, in chunks of up
 * to INPUT_CHUNK bytes, into the input buffer, so Ctrl-C is seen even
 * while no call reads input (a foreground program that spins): when it
 * comes while a watch is pending and no readLine is in progress, the
 * reader answers the watch true, drops the key, shows "^C" and marks the
 * terminal interrupted, which fails a StdIO.read waiting for input (or
 * made before the next readLine or watch) with `disconnected`.  The
 * serving thread answers one call at a time: readLine and StdIO.read take
 * bytes from the buffer, waiting for the reader when it is empty.  All
 * other output comes from the serving thread; writes to the port are
 * made under out_lock, so the reader's "^C" never splits a write.
 *
 * Exit codes: 2 no "terminal" endpoint or no "serial" port, 3 the ring
 * failed, 4 the port refused us its input, 5 no reader thread (the
 * manifest must grant "threads" and "park").
 */
#include "capos.h"
#include "capos_serve.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define INPUT_CHUNK   1024 /* SerialPort.read's bound */
#define INPUT_BUF     8192 /* typed and not yet used */
#define LINE_MAX      1024
#define HISTORY_LINES 16
#define OUT_MAX       4096 /* SerialPort.write's bound */
#define WAIT_NS       1000000000ull

#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define KEY_CTRL_C    0x03
#define KEY_CTRL_D    0x04
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U    0x15
#define KEY_ESC       0x1b
#define KEY_DEL       0x7f

static capos_capid_t port, owner;
static uint8_t in[8192] __attribute__((aligned(8)));

/*
 * What the two threads share, under lock.  The input buffer is a ring:
 * the reader appends (waiting on `room` when it is full, so the port's
 * own buffer holds the rest), the serving thread takes (waiting on
 * `arrived`).
 */
static struct capos_mutex lock = CAPOS_MUTEX_INIT;
static struct capos_cond arrived = CAPOS_COND_INIT; /* input, or an event */
static struct capos_cond room = CAPOS_COND_INIT;
static uint8_t input[INPUT_BUF];
static uint32_t input_head, input_count;
static bool port_failed;
static bool in_line;      /* a readLine is in progress */
static bool watching;     /* a watchInterrupt waits for its answer */
static uint64_t watch_id; /* its call id */
static bool interrupted;  /* Ctrl-C ended a watch; until the next
                            * readLine or watch */
static struct capos_msgbuf watch_msg; /* a watch's answer, under lock */

/* Writes to the port, from either thread. */
static struct capos_mutex out_lock = CAPOS_MUTEX_INIT;

static char out[OUT_MAX];
static uint32_t out_len;

static char history[HISTORY_LINES][LINE_MAX + 1];
static uint32_t history_count; /* lines kept, newest last */

/* Writes n bytes to the port (n <= OUT_MAX); c is the caller thread's. */
static void
port_write(struct capos_call *c, const char *s, uint32_t n)
{
	capos_SerialPort_write_Params_builder p;

	capos_mutex_lock(&out_lock);
	p = capos_SerialPort_write_begin(c);
	capos_SerialPort_write_Params_set_data(p, s, n);
	(void)capos_SerialPort_write_send(c, port);
	capos_mutex_unlock(&out_lock);
}

/* The serving thread's output, gathered in out. */
static void
flush(void)
{
	static struct capos_call c;

	if (!out_len)
		return;
	port_write(&c, out, out_len);
	out_len = 0;
}

static void
emit(const char *s, uint32_t n)
{
	while (n) {
		uint32_t k = MIN(n, OUT_MAX - out_len);

		memcpy(out + out_len, s, k);
		out_len += k;
		s += k;
		n -= k;
		if (out_len == OUT_MAX)
			flush();
	}
}

static void
emit_str(const char *s)
{
	emit(s, (uint32_t)strlen(s));
}

/* Moves the terminal's cursor n places left or right. */
static void
cursor_move(uint32_t n, bool left)
{
	char seq[16];

	if (n)
		emit(seq, (uint32_t)fmt_snprintf(seq, sizeof(seq), "\x1b[%u%c",
		                                 n, left ? 'D' : 'C'));
}

/* Answers the pending watch with interrupted (under lock). */
static void
answer_watch(bool interrupted_by_key)
{
	capos_TerminalSession_watchInterrupt_Results_builder r;

	watching = false;
	capos_msg_begin(&watch_msg);
	r = capos_TerminalSession_watchInterrupt_Results_build_root(
	    &watch_msg.b);
	capos_TerminalSession_watchInterrupt_Results_set_interrupted(
	    r, interrupted_by_key);
	if (capos_msg_end(&watch_msg) == 0)
		(void)capos_return(owner, watch_id, watch_msg.framed,
		                   watch_msg.framed_len, NULL, 0);
}

/*
 * The reader thread: reads the port for ever.  A Ctrl-C that ends a
 * watch is not input; every other byte is appended to the buffer.
 */
static void *
reader(void *arg)
{
	static struct capos_call c, w; /* d points into c's answer */
	capos_SerialPort_read_Params_builder p;
	struct capnp_data d;
	uint32_t i;
	int err;

	(void)arg;
	for (;;) {
		p = capos_SerialPort_read_begin(&c);
		capos_SerialPort_read_Params_set_max(p, INPUT_CHUNK);
		capos_SerialPort_read_Params_set_timeoutNs(p, WAIT_NS);
		err = capos_SerialPort_read_send(&c, port);
		if (!err)
			d = capos_SerialPort_read_Results_get_data(
			    capos_SerialPort_read_results(&c));
		capos_mutex_lock(&lock);
		if (err) {
			port_failed = true;
			capos_cond_broadcast(&arrived);
			capos_mutex_unlock(&lock);
			return NULL;
		}
		for (i = 0; i < d.len; i++) {
			if (d.ptr[i] == KEY_CTRL_C && watching && !in_line) {
				answer_watch(true);
				interrupted = true;
				capos_cond_broadcast(&arrived);
				port_write(&w, "^C\r\n", 4);
				continue;
			}
			while (input_count == INPUT_BUF)
				capos_cond_wait(&room, &lock);
			input[(input_head + input_count) % INPUT_BUF] =
			    d.ptr[i];
			input_count++;
		}
		if (d.len)
			capos_cond_broadcast(&arrived);
		capos_mutex_unlock(&lock);
	}
}

/* Takes up to max buffered bytes into buf (under lock). */
static uint32_t
take(uint8_t *buf, uint32_t max)
{
	uint32_t n = MIN(max, input_count), i;

	for (i = 0; i < n; i++)
		buf[i] = input[(input_head + i) % INPUT_BUF];
	input_head = (input_head + n) % INPUT_BUF;
	input_count -= n;
	if (n)
		capos_cond_signal(&room);
	return n;
}

/* The next input byte (waits for it), or -1 when the port fails. */
static int
next_byte(void)
{
	uint8_t b;
	int got;

	capos_mutex_lock(&lock);
	if (!input_count) {
		/* Show what was echoed before waiting for more. */
		capos_mutex_unlock(&lock);
		flush();
		capos_mutex_lock(&lock);
	}
	while (!input_count && !port_failed)
		capos_cond_wait(&arrived, &lock);
	got = take(&b, 1) ? b : -1;
	capos_mutex_unlock(&lock);
	return got;
}

/* The line being edited. */
struct editor {
	char buf[LINE_MAX + 1];
	uint32_t len, cursor;
	bool echo;
	uint32_t browse;          /* history entries back; 0: the draft */
	char draft[LINE_MAX + 1]; /* the line typed before browsing */
};

static void
show(struct editor *e, const char *s, uint32_t n)
{
	if (e->echo)
		emit(s, n);
}

/* Replaces the whole line (history): the terminal shows the new one. */
static void
replace(struct editor *e, const char *s)
{
	if (e->echo) {
		cursor_move(e->cursor, true);
		emit_str("\x1b[K");
	}
	e->len = (uint32_t)MIN(strlen(s), LINE_MAX);
	memcpy(e->buf, s, e->len);
	e->cursor = e->len;
	show(e, e->buf, e->len);
}

static void
insert(struct editor *e, char ch)
{
	if (e->len == LINE_MAX)
		return;
	memmove(e->buf + e->cursor + 1, e->buf + e->cursor, e->len - e->cursor);
	e->buf[e->cursor] = ch;
	e->len++;
	/* The character and the rest after it, then back to the cursor. */
	show(e, e->buf + e->cursor, e->len - e->cursor);
	e->cursor++;
	if (e->echo)
		cursor_move(e->len - e->cursor, true);
}

static void
erase_before(struct editor *e)
{
	if (!e->cursor)
		return;
	memmove(e->buf + e->cursor - 1, e->buf + e->cursor, e->len - e->cursor);
	e->cursor--;
	e->len--;
	if (e->echo) {
		emit_str("\b");
		emit(e->buf + e->cursor, e->len - e->cursor);
		emit_str(" ");
		cursor_move(e->len - e->cursor + 1, true);
	}
}

static void
browse(struct editor *e, bool older)
{
	if (older && e->browse < history_count) {
		if (e->browse == 0) {
			memcpy(e->draft, e->buf, e->len);
			e->draft[e->len] = 0;
		}
		e->browse++;
	} else if (!older && e->browse > 0) {
		e->browse--;
	} else {
		return;
	}
	replace(e, e->browse ? history[history_count - e->browse] : e->draft);
}

static void
remember(const char *line)
{
	if (!*line ||
	    (history_count && strcmp(history[history_count - 1], line) == 0))
		return;
	if (history_count == HISTORY_LINES) {
		memmove(history[0], history[1],
		        sizeof(history[0]) * (HISTORY_LINES - 1));
		history_count--;
	}
	str_copy(history[history_count++], line, sizeof(history[0]));
}

/* An escape sequence after ESC: the arrows (ESC [ x or ESC O x) act,
 * any other sequence is skipped.  false when the port fails. */
static bool
escape(struct editor *e)
{
	int b = next_byte();

	if (b == '[' || b == 'O') {
		do
			b = next_byte();
		while (b >= 0 && (b < 0x40 || b > 0x7e));
	}
	switch (b) {
	case 'A':
		browse(e, true);
		break;
	case 'B':
		browse(e, false);
		break;
	case 'C':
		if (e->cursor < e->len) {
			e->cursor++;
			if (e->echo)
				cursor_move(1, false);
		}
		break;
	case 'D':
		if (e->cursor > 0) {
			e->cursor--;
			if (e->echo)
				cursor_move(1, true);
		}
		break;
	}
	return b >= 0;
}

/* Edits one line; returns its event, or -1 when the port fails. */
static int
edit_line(struct editor *e)
{
	static bool after_cr;
	int b;

	for (;;) {
		b = next_byte();
		if (b < 0)
			return -1;
		/* "\r\n" from a terminal is one line end. */
		if (after_cr && b == '\n') {
			after_cr = false;
			continue;
		}
		after_cr = b == '\r';
		switch (b) {
		case '\r':
		case '\n':
			emit_str("\r\n");
			return capos_TerminalEvent_line;
		case KEY_CTRL_C:
			e->len = 0;
			emit_str("^C\r\n");
			return capos_TerminalEvent_interrupt;
		case KEY_CTRL_D:
			if (e->len == 0)
				return capos_TerminalEvent_endOfInput;
			break;
		case KEY_BACKSPACE:
		case KEY_DEL:
			erase_before(e);
			break;
		case KEY_CTRL_U:
			if (e->echo) {
				cursor_move(e->cursor, true);
				emit_str("\x1b[K");
			}
			e->len = e->cursor = 0;
			break;
		case KEY_ESC:
			if (!escape(e))
				return -1;
			break;
		default:
			if (b >= 0x20)
				insert(e, (char)b);
			break;
		}
	}
}

static int
do_read_line(void *self, struct rpc_call *call,
             capos_TerminalSession_readLine_Params_reader p,
             capos_TerminalSession_readLine_Results_builder r)
{
	static struct editor e;
	int ev;

	(void)self;
	memset(&e, 0, sizeof(e));
	e.echo = capos_TerminalSession_readLine_Params_get_echo(p);
	capos_mutex_lock(&lock);
	in_line = true;
	interrupted = false;
	capos_mutex_unlock(&lock);
	ev = edit_line(&e);
	capos_mutex_lock(&lock);
	in_line = false;
	capos_mutex_unlock(&lock);
	flush();
	if (ev < 0)
		return rpc_exception(call, RPC_EXC_DISCONNECTED,
		                     "readLine: the serial port failed");
	e.buf[e.len] = 0;
	if (ev == capos_TerminalEvent_line && e.echo)
		remember(e.buf);
	capos_TerminalSession_readLine_Results_set_line(r, e.buf, e.len);
	capos_TerminalSession_readLine_Results_set_event(
	    r, (enum capos_TerminalEvent)ev);
	return RPC_OK;
}

/* Writes data, turning "\n" into "\r\n" for the terminal. */
static int
write_text(struct rpc_call *call, struct capnp_data d)
{
	uint32_t i;

	if (capnp_msg_error(&call->params) || d.len > OUT_MAX)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "write: at most 4096 bytes");
	for (i = 0; i < d.len; i++)
		emit(d.ptr[i] == '\n' ? "\r\n" : (const char *)&d.ptr[i],
		     d.ptr[i] == '\n' ? 2 : 1);
	flush();
	return RPC_OK;
}

static int
do_session_write(void *self, struct rpc_call *call,
                 capos_TerminalSession_write_Params_reader p,
                 capos_TerminalSession_write_Results_builder r)
{
	(void)self;
	(void)r;
	return write_text(call, capos_TerminalSession_write_Params_get_data(p));
}

static int
do_stdio_read(void *self, struct rpc_call *call,
              capos_StdIO_read_Params_reader p,
              capos_StdIO_read_Results_builder r)
{
	static uint8_t buf[INPUT_CHUNK];
	uint32_t max = MIN(capos_StdIO_read_Params_get_max(p), INPUT_CHUNK);
	uint32_t n = 0;
	bool failed, stopped;

	(void)self;
	if (max == 0)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "read: max is 0");
	flush();
	capos_mutex_lock(&lock);
	while (!input_count && !port_failed && !interrupted)
		capos_cond_wait(&arrived, &lock);
	/* Interrupted: the foreground program is being stopped, and what
	 * is typed next is for the shell. */
	stopped = interrupted;
	failed = port_failed && !input_count;
	if (!stopped && !failed)
		n = take(buf, max);
	capos_mutex_unlock(&lock);
	if (stopped)
		return rpc_exception(call, RPC_EXC_DISCONNECTED,
		                     "read: interrupted (Ctrl-C)");
	if (failed)
		return rpc_exception(call, RPC_EXC_DISCONNECTED,
		                     "read: the serial port failed");
	capos_StdIO_read_Results_set_data(r, buf, n);
	return RPC_OK;
}

static int
do_stdio_write(void *self, struct rpc_call *call,
               capos_StdIO_write_Params_reader p,
               capos_StdIO_write_Results_builder r)
{
	(void)self;
	(void)r;
	return write_text(call, capos_StdIO_write_Params_get_data(p));
}

/* A StdIO facet of our own endpoint, moved to the caller. */
static int
do_stdio(void *self, struct rpc_call *call,
         capos_TerminalSession_stdio_Params_reader p,
         capos_TerminalSession_stdio_Results_builder r)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	capos_capid_t cap;
	uint32_t idx;

	(void)self;
	(void)p;
	if (capos_endpoint_client(owner, capos_StdIO_TYPE_ID, 0, &cap))
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "stdio: no room for another facet");
	idx = capos_serve_result_cap(sc, cap, CAPOS_XFER_MOVE);
	if (idx == UINT32_MAX) {
		capos_release_sync(cap);
		return rpc_exception(call, RPC_EXC_FAILED,
		                     "stdio: no room in the answer");
	}
	capos_TerminalSession_stdio_Results_set_stdio(r, idx);
	return RPC_OK;
}

/* Answered later: by the reader on Ctrl-C, or by stopWatch. */
static int
do_watch(void *self, struct rpc_call *call,
         capos_TerminalSession_watchInterrupt_Params_reader p,
         capos_TerminalSession_watchInterrupt_Results_builder r)
{
	bool busy;

	(void)self;
	(void)p;
	(void)r;
	capos_mutex_lock(&lock);
	busy = watching;
	if (!busy) {
		watching = true;
		watch_id = capos_server_call_of(call)->hdr->call_id;
		interrupted = false;
	}
	capos_mutex_unlock(&lock);
	if (busy)
		return rpc_exception(call, RPC_EXC_OVERLOADED,
		                     "watchInterrupt: a watch is pending");
	return RPC_PENDING;
}

static int
do_stop_watch(void *self, struct rpc_call *call,
              capos_TerminalSession_stopWatch_Params_reader p,
              capos_TerminalSession_stopWatch_Results_builder r)
{
	(void)self;
	(void)call;
	(void)p;
	(void)r;
	capos_mutex_lock(&lock);
	if (watching)
		answer_watch(false);
	capos_mutex_unlock(&lock);
	return RPC_OK;
}

static const struct capos_TerminalSession_server session_impl = {
    .readLine = do_read_line,
    .write = do_session_write,
    .stdio = do_stdio,
    .watchInterrupt = do_watch,
    .stopWatch = do_stop_watch,
};

static const struct capos_StdIO_server stdio_impl = {
    .read = do_stdio_read,
    .write = do_stdio_write,
};

static const struct capos_served served[] = {
    {&capos_TerminalSession_interface, &session_impl, NULL},
    {&capos_StdIO_interface, &stdio_impl, NULL},
};

/* Claims the port's input: a read that waits for nothing.  What it
 * returns is the first input. */
static bool
claim(void)
{
	static struct capos_call c;
	capos_SerialPort_read_Params_builder p;
	struct capnp_data d;

	p = capos_SerialPort_read_begin(&c);
	capos_SerialPort_read_Params_set_max(p, INPUT_CHUNK);
	capos_SerialPort_read_Params_set_timeoutNs(p, 0);
	if (capos_SerialPort_read_send(&c, port))
		return false;
	d = capos_SerialPort_read_Results_get_data(
	    capos_SerialPort_read_results(&c));
	input_count = (uint32_t)MIN(d.len, sizeof(input));
	memcpy(input, d.ptr, input_count);
	return true;
}

int
main(void)
{
	struct capos_thread *t;

	if (capos_capset_find("terminal", capos_Endpoint_TYPE_ID, &owner) ||
	    capos_SerialPort_find("serial", &port))
		return 2;
	if (!claim())
		return 4;
	if (capos_thread_create(&t, reader, NULL, NULL))
		return 5;
	capos_thread_detach(t);
	/* Services started after us (the shell) may call now. */
	(void)capos_service_ready();
	for (;;)
		if (capos_serve_one_of(owner, served, 2, in, sizeof(in)) < 0)
			return 3;
}
