/*
 * cat: copies "stdio" input to "stdio" output byte for byte until Ctrl-D
 * (byte 0x04) or until a read fails.  Input arrives raw, as typed: a
 * terminal's Enter is "\r" (or "\r\n"), written back as "\n".  Each read
 * is written back whole, in one call.
 *
 * Exit codes: 0 Ctrl-D or the input ended, 2 no stdio (said on the
 * Console when there is one), 3 a write failed.
 */
#include "capos.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define READ_MAX   1024 /* StdIO.read's bound */
#define KEY_CTRL_D 0x04

static capos_capid_t stdio;

static bool
write_out(const char *s, uint32_t n)
{
	static struct capos_call c;

	if (!n)
		return true;
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), s, n);
	return capos_StdIO_write_send(&c, stdio) == 0;
}

int
main(void)
{
	static struct capos_call c;
	static char out[READ_MAX];
	bool after_cr = false;
	capos_capid_t console;
	uint32_t i, n;

	if (capos_StdIO_find("stdio", &stdio)) {
		if (capos_Console_find("console", &console) == 0)
			capos_console_write_line(console, "cat: no stdio cap");
		return 2;
	}
	for (;;) {
		struct capnp_data d;

		capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&c),
		                                READ_MAX);
		if (capos_StdIO_read_send(&c, stdio))
			return 0;
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&c));
		for (i = n = 0; i < d.len; i++) {
			char ch = (char)d.ptr[i];

			/* A server may answer more than we asked for. */
			if (n == READ_MAX) {
				if (!write_out(out, n))
					return 3;
				n = 0;
			}
			if (ch == KEY_CTRL_D)
				return write_out(out, n) ? 0 : 3;
			/* "\r\n" is one line end, already written. */
			if (after_cr && ch == '\n') {
				after_cr = false;
				continue;
			}
			after_cr = ch == '\r';
			out[n++] = ch == '\r' ? '\n' : ch;
		}
		if (!write_out(out, n))
			return 3;
	}
}
