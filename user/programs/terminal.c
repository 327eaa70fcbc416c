/*
 * terminal: the terminal service on the serial port.  It holds the
 * kernel's SerialPort (CapSet name "serial"), claims its input at start,
 * and serves on the endpoint owner cap "terminal":
 *
 *   TerminalSession  readLine(echo) with line editing and history, write
 *   StdIO            read(max) of raw input, write
 *
 * One call at a time: a readLine reads the port until its line ends.
 * Input is read in chunks of up to INPUT_CHUNK bytes into a buffer of
 * its own, so what follows a line waits there for the next call.
 * Output (echo and redraws) is gathered and written once per chunk.
 *
 * Exit codes: 2 no "terminal" endpoint or no "serial" port, 3 the ring
 * failed, 4 the port refused us its input.
 */
#include "capos.h"
#include "capos_serve.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define INPUT_CHUNK   1024 /* SerialPort.read's bound */
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

static capos_capid_t port;
static uint8_t in[8192] __attribute__((aligned(8)));

/* Input read from the port and not yet used. */
static uint8_t input[INPUT_CHUNK];
static uint32_t input_len, input_pos;

static char out[OUT_MAX];
static uint32_t out_len;

static char history[HISTORY_LINES][LINE_MAX + 1];
static uint32_t history_count; /* lines kept, newest last */

static void
flush(void)
{
	static struct capos_call c;
	capos_SerialPort_write_Params_builder p;

	if (!out_len)
		return;
	p = capos_SerialPort_write_begin(&c);
	capos_SerialPort_write_Params_set_data(p, out, out_len);
	(void)capos_SerialPort_write_send(&c, port);
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

/* Reads one chunk from the port into input (waits for at least a byte);
 * false when the port fails. */
static bool
fill(void)
{
	static struct capos_call c;
	capos_SerialPort_read_Params_builder p;
	struct capnp_data d;
	int err;

	flush();
	do {
		p = capos_SerialPort_read_begin(&c);
		capos_SerialPort_read_Params_set_max(p, INPUT_CHUNK);
		capos_SerialPort_read_Params_set_timeoutNs(p, WAIT_NS);
		err = capos_SerialPort_read_send(&c, port);
		if (err)
			return false;
		d = capos_SerialPort_read_Results_get_data(
		    capos_SerialPort_read_results(&c));
	} while (d.len == 0);
	memcpy(input, d.ptr, MIN(d.len, sizeof(input)));
	input_len = (uint32_t)MIN(d.len, sizeof(input));
	input_pos = 0;
	return true;
}

/* The next input byte, or -1 when the port fails. */
static int
next_byte(void)
{
	if (input_pos == input_len && !fill())
		return -1;
	return input[input_pos++];
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
	ev = edit_line(&e);
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
	uint32_t max = MIN(capos_StdIO_read_Params_get_max(p), INPUT_CHUNK);
	uint32_t n;

	(void)self;
	if (max == 0)
		return rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,
		                     "read: max is 0");
	if (input_pos == input_len && !fill())
		return rpc_exception(call, RPC_EXC_DISCONNECTED,
		                     "read: the serial port failed");
	n = MIN(max, input_len - input_pos);
	capos_StdIO_read_Results_set_data(r, input + input_pos, n);
	input_pos += n;
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

static const struct capos_TerminalSession_server session_impl = {
    .readLine = do_read_line,
    .write = do_session_write,
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
	input_len = (uint32_t)MIN(d.len, sizeof(input));
	memcpy(input, d.ptr, input_len);
	return true;
}

int
main(void)
{
	capos_capid_t owner;

	if (capos_capset_find("terminal", capos_Endpoint_TYPE_ID, &owner) ||
	    capos_SerialPort_find("serial", &port))
		return 2;
	if (!claim())
		return 4;
	for (;;)
		if (capos_serve_one_of(owner, served, 2, in, sizeof(in)) < 0)
			return 3;
}
