/*
 * The shell's output: everything it shows goes through its terminal's
 * TerminalSession.write (which turns "\n" into "\r\n"), in pieces of at
 * most OUT_MAX bytes.
 */
#include <stdarg.h>

#include "shell.h"

#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define OUT_MAX 4096 /* TerminalSession.write's bound */

void
sh_write(const char *s, uint32_t n)
{
	static struct capos_call c;

	while (n) {
		uint32_t k = n < OUT_MAX ? n : OUT_MAX;
		capos_TerminalSession_write_Params_builder p =
		    capos_TerminalSession_write_begin(&c);

		capos_TerminalSession_write_Params_set_data(p, s, k);
		if (capos_TerminalSession_write_send(&c, shell_terminal))
			return; /* nowhere left to say it */
		s += k;
		n -= k;
	}
}

void
sh_printf(const char *fmt, ...)
{
	static char buf[OUT_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sh_write(buf, (uint32_t)(n < sizeof(buf) ? n : sizeof(buf) - 1));
}

const char *
sh_error_text(int err)
{
	const struct capos_exception *e;

	switch (err) {
	case CAPOS_E_APP_EXCEPTION:
		e = capos_last_exception();
		if (!e)
			return "failed";
		return e->message[0] ? e->message
		                     : capos_exception_type_name(e->type);
	case CAPOS_E_DISCONNECTED:
		return "the service is gone (disconnected)";
	case CAPOS_E_QUOTA:
		return "a limit of this session was reached";
	case CAPOS_E_CANCELLED:
		return "cancelled";
	case CAPOS_E_BAD_CAP:
		return "the cap is no longer held";
	default:
		return capos_error_name(err);
	}
}

void
sh_fail(const char *cmd, const char *what, int err)
{
	if (what)
		sh_printf("%s: %s: %s\n", cmd, what, sh_error_text(err));
	else
		sh_printf("%s: %s\n", cmd, sh_error_text(err));
}
