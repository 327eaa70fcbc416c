/*
 * echo: reads lines from "stdio" and writes each back, until a line "."
 * or the end of input (Ctrl-D, byte 0x04).  Input arrives raw, as typed:
 * "\r", "\n" and "\r\n" each end a line.  A line longer than LINE_MAX
 * is written back in pieces; what was typed before a Ctrl-D is written
 * back as a last line.
 *
 * Exit codes: 0 "." or end of input, 2 no stdio (said on the Console
 * when there is one), 3 a read or write on stdio failed.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define LINE_MAX   1024
#define READ_MAX   1024 /* StdIO.read's bound */
#define KEY_CTRL_D 0x04

static capos_capid_t stdio;

static bool
write_line(const char *s, uint32_t n)
{
	static struct capos_call c;
	static char buf[LINE_MAX + 1];

	memcpy(buf, s, n);
	buf[n] = '\n';
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), buf,
	                                  n + 1);
	return capos_StdIO_write_send(&c, stdio) == 0;
}

int
main(void)
{
	static struct capos_call c;
	static char line[LINE_MAX];
	uint32_t len = 0, i;
	bool after_cr = false;
	capos_capid_t console;

	if (capos_StdIO_find("stdio", &stdio)) {
		if (capos_Console_find("console", &console) == 0)
			capos_console_write_line(console, "echo: no stdio cap");
		return 2;
	}
	for (;;) {
		struct capnp_data d;

		capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&c),
		                                READ_MAX);
		if (capos_StdIO_read_send(&c, stdio))
			return 3;
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&c));
		for (i = 0; i < d.len; i++) {
			char ch = (char)d.ptr[i];

			/* "\r\n" from a terminal is one line end. */
			if (after_cr && ch == '\n') {
				after_cr = false;
				continue;
			}
			after_cr = ch == '\r';
			if (ch == KEY_CTRL_D)
				return len && !write_line(line, len) ? 3 : 0;
			if (ch == '\r' || ch == '\n') {
				if (len == 1 && line[0] == '.')
					return 0;
				if (!write_line(line, len))
					return 3;
				len = 0;
				continue;
			}
			if (len == LINE_MAX) {
				if (!write_line(line, len))
					return 3;
				len = 0;
			}
			line[len++] = ch;
		}
	}
}
