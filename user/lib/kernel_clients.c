/* Clients for the kernel's own interfaces: Console, Timer, Null. */
#include "capos.h"

#include "capos.capnp.h"

int
capos_console_write(capos_capid_t console, const void *buf, size_t len)
{
	struct capos_msgbuf mb;
	int err;

	capos_msg_begin(&mb);
	capos_Console_write_Params_set_data(
		capos_Console_write_Params_build_root(&mb.b), buf, len);
	err = capos_msg_end(&mb);
	if (!err)
		err = capos_call(console, capos_Console_METHOD_write, mb.framed,
				 mb.framed_len, NULL, 0);
	return err < 0 ? err : 0;
}

int
capos_console_write_line(capos_capid_t console, const char *text)
{
	struct capos_msgbuf mb;
	uint8_t exc[256];
	int err;

	capos_msg_begin(&mb);
	capos_Console_writeLine_Params_set_text(
		capos_Console_writeLine_Params_build_root(&mb.b), text,
		strlen(text));
	err = capos_msg_end(&mb);
	if (!err)
		err = capos_call(console, capos_Console_METHOD_writeLine,
				 mb.framed, mb.framed_len, exc, sizeof(exc));
	return err < 0 ? err : 0;
}

int
capos_timer_now(capos_capid_t timer, uint64_t *ns)
{
	uint8_t result[256] __attribute__((aligned(8)));
	struct capnp_msg m;
	int n;

	n = capos_call(timer, capos_Timer_METHOD_now, NULL, 0, result,
		       sizeof(result));
	if (n < 0)
		return n;
	if (capos_msg_read(&m, result, (size_t)n))
		return CAPOS_E_BAD_FIELD;
	*ns = capos_Timer_now_Results_get_ns(
		capos_Timer_now_Results_read_root(&m));
	return capnp_msg_error(&m) ? CAPOS_E_BAD_FIELD : 0;
}

int
capos_timer_sleep(capos_capid_t timer, uint64_t ns)
{
	struct capos_msgbuf mb;
	uint8_t exc[256];
	int err;

	capos_msg_begin(&mb);
	capos_Timer_sleep_Params_set_ns(
		capos_Timer_sleep_Params_build_root(&mb.b), ns);
	err = capos_msg_end(&mb);
	if (!err)
		err = capos_call(timer, capos_Timer_METHOD_sleep, mb.framed,
				 mb.framed_len, exc, sizeof(exc));
	return err < 0 ? err : 0;
}

int
capos_null_ping(capos_capid_t null)
{
	int err = capos_call(null, capos_Null_METHOD_ping, NULL, 0, NULL, 0);

	return err < 0 ? err : 0;
}
