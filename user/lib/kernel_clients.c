/*
 * Clients for the kernel's own interfaces: Console, Timer, Null, over the
 * generated stubs (capos.capnp.client.h).  One call structure serves them
 * all; a program is single-threaded, and none of these call each other.
 * Null.ping, with neither params nor results, is the plain call.
 */
#include "capos.h"

#include "capos.capnp.client.h"

static struct capos_call call;

int
capos_console_write(capos_capid_t console, const void *buf, size_t len)
{
	capos_Console_write_Params_set_data(capos_Console_write_begin(&call),
	                                    buf, len);
	return capos_Console_write_send(&call, console);
}

int
capos_console_write_line(capos_capid_t console, const char *text)
{
	capos_Console_writeLine_Params_set_text(
	    capos_Console_writeLine_begin(&call), text, strlen(text));
	return capos_Console_writeLine_send(&call, console);
}

int
capos_timer_now(capos_capid_t timer, uint64_t *ns)
{
	int err;

	capos_Timer_now_begin(&call);
	err = capos_Timer_now_send(&call, timer);
	if (err)
		return err;
	*ns = capos_Timer_now_Results_get_ns(capos_Timer_now_results(&call));
	return capnp_msg_error(&call.result_msg) ? CAPOS_E_BAD_FIELD : 0;
}

int
capos_timer_sleep(capos_capid_t timer, uint64_t ns)
{
	capos_Timer_sleep_Params_set_ns(capos_Timer_sleep_begin(&call), ns);
	return capos_Timer_sleep_send(&call, timer);
}

int
capos_null_ping(capos_capid_t null)
{
	return capos_call_empty(null, capos_Null_TYPE_ID,
	                        capos_Null_METHOD_ping);
}
